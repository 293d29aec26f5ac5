"""Roles, permissions and API keys."""

from __future__ import annotations

import re

import pytest

from podium.access.model import KEY_PREFIX, Permission, Role, allows, hash_key, new_key, split_key

P = Permission

# Written out independently of the module's table.
GRANTS: dict[str, set[Permission]] = {
    "readonly": {P.READ},
    "support": {P.READ, P.NOTE},
    "warehouse": {P.READ, P.FULFIL},
    "operator": {P.READ, P.NOTE, P.FULFIL, P.OPERATE},
    "admin": {P.READ, P.NOTE, P.FULFIL, P.OPERATE, P.ADMIN},
}


def granted(role: str) -> set[Permission]:
    return {p for p in Permission if allows(role, p)}


def test_every_role_is_covered_by_the_expected_grants() -> None:
    assert set(GRANTS) == {r.value for r in Role}


@pytest.mark.parametrize("role", sorted(GRANTS))
def test_each_role_is_granted_exactly_its_permissions(role: str) -> None:
    assert granted(role) == GRANTS[role]


def test_readonly_only_reads() -> None:
    assert granted("readonly") == {P.READ}


def test_support_reads_and_notes_but_does_not_fulfil_or_operate() -> None:
    assert allows("support", P.NOTE)
    assert not allows("support", P.FULFIL)
    assert not allows("support", P.OPERATE)


def test_warehouse_fulfils_but_does_not_operate_or_administer() -> None:
    assert allows("warehouse", P.FULFIL)
    assert not allows("warehouse", P.OPERATE)
    assert not allows("warehouse", P.ADMIN)


def test_operator_operates_but_does_not_administer() -> None:
    assert granted("operator") >= {P.READ, P.NOTE, P.FULFIL, P.OPERATE}
    assert not allows("operator", P.ADMIN)


def test_admin_may_do_everything() -> None:
    assert granted("admin") == set(Permission)


def test_every_role_can_read() -> None:
    assert all(allows(role, P.READ) for role in Role)


@pytest.mark.parametrize("role", ["", "root", "Admin", "ADMIN", " admin", "superuser"])
def test_unknown_role_is_granted_nothing(role: str) -> None:
    assert granted(role) == set()


def test_enum_members_work_as_roles() -> None:
    assert allows(Role.OPERATOR, P.OPERATE)


# --- keys ----------------------------------------------------------------------------------


def test_new_key_has_the_pdm_layout_and_returns_its_prefix() -> None:
    key, prefix = new_key()

    assert re.fullmatch(r"[0-9a-f]{12}", prefix)
    assert key.startswith(f"{KEY_PREFIX}_{prefix}_")
    assert len(key) > len(f"{KEY_PREFIX}_{prefix}_") + 40
    assert split_key(key) == prefix


def test_new_keys_and_prefixes_are_unique() -> None:
    made = [new_key() for _ in range(500)]

    assert len({key for key, _ in made}) == len(made)
    assert len({prefix for _, prefix in made}) == len(made)


def test_split_key_keeps_underscores_in_the_secret() -> None:
    assert split_key("pdm_0123456789ab_se_cr_et") == "0123456789ab"


@pytest.mark.parametrize(
    "key",
    [
        "",
        "pdm",
        "pdm_",
        "pdm__secret",
        "pdm_0123456789ab",
        "pdm_0123456789ab_",
        "pdm_0123456789a_secret",
        "pdm_0123456789abc_secret",
        "xyz_0123456789ab_secret",
        "PDM_0123456789ab_secret",
        "pdm-0123456789ab-secret",
        "0123456789ab_secret",
    ],
)
def test_split_key_rejects_malformed_keys(key: str) -> None:
    assert split_key(key) is None


def test_hash_key_is_deterministic_sha256_hex() -> None:
    key, _ = new_key()

    assert hash_key(key) == hash_key(key)
    assert re.fullmatch(r"[0-9a-f]{64}", hash_key(key))


def test_hash_key_differs_for_different_keys_and_does_not_contain_the_key() -> None:
    first, _ = new_key()
    second, _ = new_key()

    assert hash_key(first) != hash_key(second)
    assert first not in hash_key(first)


def test_hash_key_of_a_known_value() -> None:
    # sha256("abc"), the FIPS 180-2 test vector.
    assert hash_key("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
