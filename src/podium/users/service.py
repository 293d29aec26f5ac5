"""Creating, listing, disabling and signing in users; the shared session secret."""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from podium.db.database import Database, as_utc, utcnow
from podium.errors import Conflict, NotFound, ValidationFailed
from podium.ids import new_id
from podium.users import _session_store as session_store
from podium.users import _store as store
from podium.users.model import User, check_email, check_password, check_role

__all__ = [
    "DEFAULT_HASHER",
    "change_password",
    "create_user",
    "disable_user",
    "find_user",
    "get_user",
    "list_users",
    "session_secret",
    "set_password",
    "sign_in",
]

# RFC 9106's second recommendation (argon2id, 64 MiB, 3 passes); tests pass a cheaper one.
DEFAULT_HASHER = PasswordHasher()


def _user(row: sa.RowMapping) -> User:
    return User(
        row["id"],
        row["email"],
        row["role"],
        bool(row["active"]),
        as_utc(row["created_at"]),
        as_utc(row["last_login_at"]) if row["last_login_at"] else None,
    )


def create_user(
    db: Database, email: str, role: str, password: str, *, hasher: PasswordHasher = DEFAULT_HASHER
) -> User:
    address = check_email(email)
    check_role(role)
    check_password(password, address)
    row = {
        "id": new_id("usr"),
        "email": address,
        "role": role,
        "password_hash": hasher.hash(password),
        "active": True,
        "created_at": utcnow(),
        "last_login_at": None,
    }
    with db.write() as conn:
        if store.by_email(conn, address) is not None:
            raise Conflict(
                f"A user {address} exists already.",
                code="user_exists",
                details={"field": "email"},
            )
        store.insert_user(conn, row)
        found = store.by_id(conn, str(row["id"]))
    if found is None:
        raise RuntimeError(f"user {row['id']} not found after it was created")
    return _user(found)


def list_users(db: Database) -> list[User]:
    with db.read() as conn:
        return [_user(r) for r in store.all_users(conn)]


def get_user(db: Database, user_id: str) -> User | None:
    with db.read() as conn:
        row = store.by_id(conn, user_id)
    return _user(row) if row is not None else None


def find_user(conn: sa.Connection, who: str) -> sa.RowMapping:
    """The user row by id (``usr_…``) or e-mail, else 404 ``user_not_found``."""
    row = store.by_id(conn, who) if who.startswith("usr_") else store.by_email(conn, who.lower())
    if row is None:
        raise NotFound(f"No user {who}.", code="user_not_found")
    return row


def disable_user(db: Database, who: str) -> User:
    """Disable a user by id or e-mail; every session of theirs ends with it."""
    with db.write() as conn:
        row = find_user(conn, who)
        store.update_user(conn, row["id"], {"active": False})
        session_store.delete_for_user(conn, row["id"])
        found = store.by_id(conn, row["id"])
    if found is None:
        raise RuntimeError(f"user {row['id']} not found after it was deactivated")
    return _user(found)


def change_password(
    db: Database,
    user_id: str,
    current: str,
    new: str,
    *,
    keep_token_hash: str | None,
    hasher: PasswordHasher = DEFAULT_HASHER,
) -> int:
    """A user changes their own password, proving the current one (422 ``wrong_password``
    otherwise). Every other session of theirs ends; returns how many did."""
    with db.read() as conn:
        row = find_user(conn, user_id)
    try:
        hasher.verify(row["password_hash"], current)
    except (VerificationError, InvalidHashError):
        raise ValidationFailed(
            "The current password is wrong.",
            code="wrong_password",
            details={"field": "current_password"},
        ) from None
    check_password(new, row["email"])
    return _store_password(db, row["id"], hasher.hash(new), keep_token_hash)


def set_password(
    db: Database, who: str, new: str, *, hasher: PasswordHasher = DEFAULT_HASHER
) -> int:
    """An administrator sets a user's password (by e-mail or id); all their sessions end."""
    with db.read() as conn:
        row = find_user(conn, who)
    check_password(new, row["email"])
    return _store_password(db, row["id"], hasher.hash(new), None)


def _store_password(db: Database, user_id: str, hashed: str, keep: str | None) -> int:
    with db.write() as conn:
        store.update_user(conn, user_id, {"password_hash": hashed})
        return session_store.delete_for_user(conn, user_id, keep_hash=keep)


def sign_in(
    db: Database, email: str, password: str, *, hasher: PasswordHasher = DEFAULT_HASHER
) -> User | None:
    """The user if the e-mail and password match an active user, else None."""
    address = email.strip().lower()
    with db.read() as conn:
        row = store.by_email(conn, address)
    stored = row["password_hash"] if row is not None else _dummy_hash(hasher)
    try:
        hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return None
    if row is None or not row["active"]:
        return None
    values: dict[str, object] = {"last_login_at": utcnow()}
    if hasher.check_needs_rehash(stored):
        values["password_hash"] = hasher.hash(password)
    with db.write() as conn:
        store.update_user(conn, row["id"], values)
        fresh = store.by_id(conn, row["id"])
    if fresh is None:
        raise RuntimeError(f"user {row['id']} not found after it was updated")
    return _user(fresh)


_dummies: dict[int, str] = {}


def _dummy_hash(hasher: PasswordHasher) -> str:
    """A hash to check an unknown e-mail against, so it costs what a known one costs."""
    key = id(hasher)
    if key not in _dummies:
        _dummies[key] = hasher.hash(secrets.token_urlsafe(16))
    return _dummies[key]


SECRET_NAME = "session_key"


def session_secret(db: Database, configured: str | None) -> str:
    """PODIUM_SECRET_KEY if set; else the key stored in the database, made on first use."""
    if configured:
        return configured
    with db.read() as conn:
        found = store.secret(conn, SECRET_NAME)
    if found is not None:
        return found
    fresh = secrets.token_urlsafe(48)
    try:
        with db.write() as conn:
            if store.secret(conn, SECRET_NAME) is None:
                store.insert_secret(conn, SECRET_NAME, fresh, utcnow())
    except sa.exc.IntegrityError:
        pass  # another process stored one first; use theirs
    with db.read() as conn:
        stored = store.secret(conn, SECRET_NAME)
    if stored is None:
        raise RuntimeError(f"secret {SECRET_NAME} not found after it was stored")
    return stored
