"""What a password, an e-mail and a role must be (pure)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from podium.errors import ValidationFailed
from podium.users.model import check_email, check_password, check_role


@pytest.mark.parametrize(
    "password",
    ["short", "aaaaaaaaaaaa", "abababababab", "ann@example.com", "x" * 257],
)
def test_weak_passwords_are_refused_with_a_code(password: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        check_password(password, "ann@example.com")
    assert refused.value.code == "weak_password"
    assert refused.value.details == {"field": "password"}


def test_a_reasonable_password_passes() -> None:
    assert check_password("correct horse battery", "ann@example.com")


@given(st.text(min_size=10, max_size=100).filter(lambda p: len(set(p)) >= 4))
def test_any_ten_varied_characters_pass(password: str) -> None:
    assert check_password(password) == password


def test_emails_are_trimmed_and_lowered_and_nonsense_is_refused() -> None:
    assert check_email("  Ann@Example.COM ") == "ann@example.com"
    for bad in ("", "ann", "ann@", "a b@example.com", "ann@localhost"):
        with pytest.raises(ValidationFailed):
            check_email(bad)


def test_roles_come_from_the_access_model() -> None:
    assert check_role("warehouse") == "warehouse"
    with pytest.raises(ValidationFailed) as refused:
        check_role("root")
    assert refused.value.code == "invalid_role"
