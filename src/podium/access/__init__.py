"""API keys and roles: who may call what."""

from podium.access.model import (
    DEFAULT_ROLE,
    Permission,
    Role,
    allows,
)
from podium.access.service import (
    ApiKey,
    KeyCache,
    count_keys,
    create_key,
    list_keys,
    revoke_key,
)

__all__ = [
    "DEFAULT_ROLE",
    "ApiKey",
    "KeyCache",
    "Permission",
    "Role",
    "allows",
    "count_keys",
    "create_key",
    "list_keys",
    "revoke_key",
]
