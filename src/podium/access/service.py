"""Creating, listing, revoking and checking API keys."""

from __future__ import annotations

import hmac
import threading
import time
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from podium.access.model import Role, hash_key, new_key, split_key
from podium.db.database import Database, as_utc, utcnow
from podium.db.tables import api_keys
from podium.errors import NotFound, ValidationFailed
from podium.ids import new_id

__all__ = [
    "ApiKey",
    "KeyCache",
    "authenticate",
    "count_keys",
    "create_key",
    "list_keys",
    "revoke_key",
]


@dataclass(frozen=True, slots=True)
class ApiKey:
    id: str
    name: str
    role: str
    prefix: str
    created_at: datetime
    revoked_at: datetime | None


def create_key(db: Database, name: str, role: str) -> tuple[ApiKey, str]:
    """Store a new key; the secret itself is returned once and never stored."""
    if role not in {r.value for r in Role}:
        raise ValidationFailed(
            f"role must be one of {', '.join(r.value for r in Role)}.",
            code="invalid_role",
            details={"field": "role"},
        )
    if not name.strip() or len(name) > 200:
        raise ValidationFailed(
            "name must be 1-200 characters.", code="invalid_name", details={"field": "name"}
        )
    key, prefix = new_key()
    now = utcnow()
    row = {
        "id": new_id("key"),
        "name": name.strip(),
        "role": role,
        "prefix": prefix,
        "key_hash": hash_key(key),
        "created_at": now,
    }
    with db.write() as conn:
        conn.execute(api_keys.insert().values(**row))
    return ApiKey(str(row["id"]), name.strip(), role, prefix, now, None), key


def authenticate(db: Database, key: str) -> ApiKey | None:
    prefix = split_key(key)
    if prefix is None:
        return None
    with db.read() as conn:
        row = (
            conn.execute(sa.select(api_keys).where(api_keys.c.prefix == prefix)).mappings().first()
        )
    if row is None or row["revoked_at"] is not None:
        return None
    if not hmac.compare_digest(row["key_hash"], hash_key(key)):
        return None
    return _key(row)


class KeyCache:
    """Remembers verified keys for a few seconds, sparing the database a read per request.

    A key revoked through this process is forgotten at once; another process notices within
    ``ttl_seconds``.
    """

    def __init__(self, db: Database, ttl_seconds: float = 10.0, size: int = 1024) -> None:
        self.db = db
        self.ttl = ttl_seconds
        self.size = size
        self._entries: dict[str, tuple[ApiKey, float]] = {}
        self._lock = threading.Lock()

    def cached(self, key: str) -> ApiKey | None:
        """The key if this process verified it within ``ttl_seconds``; never touches the
        database, so the event loop may call it."""
        with self._lock:
            hit = self._entries.get(hash_key(key))
        return hit[0] if hit is not None and hit[1] > time.monotonic() else None

    def authenticate(self, key: str) -> ApiKey | None:
        hit = self.cached(key)
        if hit is not None:
            return hit
        digest = hash_key(key)
        now = time.monotonic()
        found = authenticate(self.db, key)
        if found is not None:
            with self._lock:
                if len(self._entries) >= self.size:
                    self._entries.clear()
                self._entries[digest] = (found, now + self.ttl)
        return found

    def forget(self) -> None:
        with self._lock:
            self._entries.clear()


def _key(row: sa.RowMapping) -> ApiKey:
    return ApiKey(
        row["id"],
        row["name"],
        row["role"],
        row["prefix"],
        as_utc(row["created_at"]),
        as_utc(row["revoked_at"]) if row["revoked_at"] else None,
    )


def list_keys(db: Database) -> list[ApiKey]:
    with db.read() as conn:
        rows = conn.execute(sa.select(api_keys).order_by(api_keys.c.created_at)).mappings()
        return [_key(r) for r in rows]


def revoke_key(db: Database, key_id: str) -> ApiKey:
    with db.write() as conn:
        done = conn.execute(
            api_keys.update()
            .where(api_keys.c.id == key_id, api_keys.c.revoked_at.is_(None))
            .values(revoked_at=utcnow())
        ).rowcount
        row = conn.execute(sa.select(api_keys).where(api_keys.c.id == key_id)).mappings().first()
    if row is None or (done == 0 and row["revoked_at"] is None):
        raise NotFound(f"No API key {key_id}.", code="key_not_found")
    return _key(row)


def count_keys(db: Database) -> int:
    with db.read() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(api_keys)).scalar_one())
