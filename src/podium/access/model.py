"""Roles and what each may do (pure).

readonly reads; support also adds notes and holds; warehouse also works shipments; operator also
places and cancels orders, adjusts stock and edits the catalogue; admin does everything,
including channels, warehouses and keys.
"""

from __future__ import annotations

import hashlib
import secrets
from enum import StrEnum

__all__ = ["KEY_PREFIX", "Permission", "Role", "allows", "hash_key", "new_key", "split_key"]

KEY_PREFIX = "pdm"


class Role(StrEnum):
    ADMIN = "admin"
    OPERATOR = "operator"
    WAREHOUSE = "warehouse"
    SUPPORT = "support"
    READONLY = "readonly"


# What a new key or user gets when no role is named: least privilege (issue 12). Only the
# first-start key and user are made admin, explicitly.
DEFAULT_ROLE = Role.READONLY


class Permission(StrEnum):
    READ = "read"
    NOTE = "note"  # notes and holds on orders
    FULFIL = "fulfil"  # shipments, pick lists, labels
    OPERATE = "operate"  # place/cancel orders, adjust stock, products
    ADMIN = "admin"  # channels, warehouses, keys, events


P = Permission
_GRANTS: dict[Role, frozenset[Permission]] = {
    Role.READONLY: frozenset({P.READ}),
    Role.SUPPORT: frozenset({P.READ, P.NOTE}),
    Role.WAREHOUSE: frozenset({P.READ, P.FULFIL}),
    Role.OPERATOR: frozenset({P.READ, P.NOTE, P.FULFIL, P.OPERATE}),
    Role.ADMIN: frozenset(P),
}


def allows(role: str, permission: Permission) -> bool:
    try:
        return permission in _GRANTS[Role(role)]
    except ValueError:
        return False


def new_key() -> tuple[str, str]:
    """A new key ``pdm_<prefix>_<secret>`` and its public prefix."""
    prefix = secrets.token_hex(6)
    return f"{KEY_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}", prefix


def split_key(key: str) -> str | None:
    """The prefix of a well-formed key, else None."""
    parts = key.split("_", 2)
    if len(parts) != 3 or parts[0] != KEY_PREFIX or len(parts[1]) != 12 or not parts[2]:
        return None
    return parts[1]


def hash_key(key: str) -> str:
    # Keys carry 256 random bits, so a fast hash is as good as a slow one here.
    return hashlib.sha256(key.encode()).hexdigest()
