"""The return status machine and the channel's return policy."""

from __future__ import annotations

from typing import Any

import pytest

from podium.errors import InvalidTransition
from podium.returns.model import (
    DEFAULT_REASONS,
    DEFAULT_WINDOW_DAYS,
    ReturnStatus,
    check_return_transition,
    return_policy,
)

S = ReturnStatus


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (S.REQUESTED, S.APPROVED),
        (S.REQUESTED, S.REJECTED),
        (S.APPROVED, S.IN_TRANSIT),
        (S.IN_TRANSIT, S.RECEIVED),
        (S.RECEIVED, S.INSPECTED),
        (S.APPROVED, S.INSPECTED),
        (S.INSPECTED, S.CLOSED),
        (S.APPROVED, S.CLOSED),
    ],
)
def test_the_happy_path_is_allowed(a: Any, b: Any) -> None:
    assert check_return_transition(a, b) is b


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (S.REQUESTED, S.RECEIVED),
        (S.REJECTED, S.APPROVED),
        (S.CLOSED, S.REQUESTED),
        (S.INSPECTED, S.REJECTED),
        (S.IN_TRANSIT, S.REJECTED),
    ],
)
def test_skipping_or_undoing_is_refused(a: Any, b: Any) -> None:
    with pytest.raises(InvalidTransition):
        check_return_transition(a, b)


def test_policy_defaults_and_channel_overrides() -> None:
    assert return_policy({}).window_days == DEFAULT_WINDOW_DAYS
    assert return_policy({}).reasons == DEFAULT_REASONS
    custom = return_policy({"returns": {"window_days": 14, "reasons": ["broken", "late"]}})
    assert (custom.window_days, custom.reasons) == (14, ("broken", "late"))
    garbage = return_policy({"returns": {"window_days": "soon", "reasons": "all"}})
    assert (garbage.window_days, garbage.reasons) == (DEFAULT_WINDOW_DAYS, DEFAULT_REASONS)
