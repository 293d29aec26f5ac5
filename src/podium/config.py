"""Settings from the environment (``PODIUM_*``), read in one place."""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["DEFAULT_DATABASE_URL", "Settings"]

DEFAULT_DATABASE_URL = "sqlite:///./podium.db"


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ValueError(f"{name} must be a whole number, got {raw!r}") from exc
    if value <= 0:
        raise ValueError(f"{name} must be positive, got {raw!r}")
    return value


def _float(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = float(raw)
    except ValueError as exc:
        raise ValueError(f"{name} must be a number, got {raw!r}") from exc
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a positive number, got {raw!r}")
    return value


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything Podium can be told through its environment."""

    database_url: str = DEFAULT_DATABASE_URL
    host: str = "127.0.0.1"
    port: int = 8000
    # Outbox relay: how often to look for work when idle, how many events per batch,
    # how many attempts before an event is dead-lettered, the first retry delay.
    relay_poll_seconds: float = 0.2
    relay_batch_size: int = 100
    relay_max_attempts: int = 10
    relay_backoff_seconds: float = 1.0
    relay_lease_seconds: float = 60.0
    max_body_bytes: int = 1024 * 1024
    db_pool_size: int = 20
    # Signs dashboard session cookies; when unset, a key kept in the database is used.
    secret_key: str | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        e = os.environ if env is None else env
        return cls(
            database_url=e.get("PODIUM_DATABASE_URL") or DEFAULT_DATABASE_URL,
            host=e.get("PODIUM_HOST") or "127.0.0.1",
            port=_int(e, "PODIUM_PORT", 8000),
            relay_poll_seconds=_float(e, "PODIUM_RELAY_POLL_SECONDS", 0.2),
            relay_batch_size=_int(e, "PODIUM_RELAY_BATCH_SIZE", 100),
            relay_max_attempts=_int(e, "PODIUM_RELAY_MAX_ATTEMPTS", 10),
            relay_backoff_seconds=_float(e, "PODIUM_RELAY_BACKOFF_SECONDS", 1.0),
            relay_lease_seconds=_float(e, "PODIUM_RELAY_LEASE_SECONDS", 60.0),
            max_body_bytes=_int(e, "PODIUM_MAX_BODY_BYTES", 1024 * 1024),
            db_pool_size=_int(e, "PODIUM_DB_POOL_SIZE", 20),
            secret_key=e.get("PODIUM_SECRET_KEY") or None,
        )
