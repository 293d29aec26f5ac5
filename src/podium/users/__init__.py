"""Dashboard users: people who sign in with an e-mail and a password."""

from podium.users.model import (
    User,
)
from podium.users.retention import (
    count_expired_sessions,
    prune_expired_sessions,
)
from podium.users.service import (
    DEFAULT_HASHER,
    change_password,
    create_user,
    disable_user,
    list_users,
    session_secret,
    set_password,
    sign_in,
)
from podium.users.sessions import (
    check_session,
    end_session,
    list_sessions,
    revoke_session,
    revoke_sessions,
    session_id,
    start_session,
    token_hash,
)

__all__ = [
    "DEFAULT_HASHER",
    "User",
    "change_password",
    "check_session",
    "count_expired_sessions",
    "create_user",
    "disable_user",
    "end_session",
    "list_sessions",
    "list_users",
    "prune_expired_sessions",
    "revoke_session",
    "revoke_sessions",
    "session_id",
    "session_secret",
    "set_password",
    "sign_in",
    "start_session",
    "token_hash",
]
