"""Secrets at rest: platform tokens, carrier and gateway keys encrypted in the database.

A secret is stored as ``enc:v1:<Fernet token>``, encrypted with the first key of
``PODIUM_ENCRYPTION_KEYS`` (comma-separated Fernet keys, newest first); any listed key decrypts,
so a rotation is: put a new key first, keep the old ones after it, run
``podium db rotate-secrets``, then drop the old keys. A value without the prefix is a plaintext
secret stored before encryption was configured: it reads as it is and is encrypted on its next
write (or by the rotate command).

Encryption happens in the column types (:class:`SecretJson` for a settings document whose
secret fields are encrypted one by one, :class:`SecretString` for a column that is a secret),
so every capability reads and writes plaintext and never sees a key. With no key configured,
secrets are written in plaintext (``podium serve`` warns); an encrypted value read without the
right key raises :class:`SecretKeyError`, which names the setting, never garbage.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect

from podium.errors import DomainError

__all__ = [
    "KEYS_SETTING",
    "PREFIX",
    "SECRET_FIELDS",
    "SecretJson",
    "SecretKeyError",
    "SecretString",
    "decrypt",
    "encrypt",
    "encryption_enabled",
    "new_key",
    "parse_keys",
    "use_keys",
]

KEYS_SETTING = "PODIUM_ENCRYPTION_KEYS"
PREFIX = "enc:v1:"
# The settings fields that are secrets, whatever the channel, carrier or gateway type.
SECRET_FIELDS = frozenset(
    {
        "access_token",
        "refresh_token",
        "client_secret",
        "consumer_key",
        "consumer_secret",
        "webhook_secret",
        "previous_webhook_secret",
        "api_key",
        "secret_key",
    }
)


class SecretKeyError(DomainError):
    status = 500
    code = "encryption_key_mismatch"


_lock = threading.Lock()
_keyring: MultiFernet | None = None


def new_key() -> str:
    return Fernet.generate_key().decode()


def parse_keys(raw: str | Iterable[str] | None) -> tuple[str, ...]:
    """Comma-separated Fernet keys (newest first); a malformed one is named, not echoed."""
    items = raw.split(",") if isinstance(raw, str) else list(raw or ())
    keys = tuple(k.strip() for k in items if k.strip())
    for n, key in enumerate(keys, 1):
        try:
            Fernet(key.encode())
        except (ValueError, TypeError) as exc:
            raise ValueError(
                f"{KEYS_SETTING}: key {n} is not a Fernet key (32 url-safe base64-encoded bytes; "
                "make one with `podium db new-key`)"
            ) from exc
    return keys


def use_keys(keys: Iterable[str]) -> None:
    """Set the process's keys (the first encrypts); no keys turns encryption off."""
    global _keyring
    found = parse_keys(keys)
    with _lock:
        _keyring = MultiFernet([Fernet(k.encode()) for k in found]) if found else None


def encryption_enabled() -> bool:
    return _keyring is not None


def encrypt(value: str) -> str:
    """The stored form of a secret: encrypted when keys are configured (idempotent)."""
    ring = _keyring
    if ring is None or value.startswith(PREFIX):
        return value
    return PREFIX + ring.encrypt(value.encode()).decode()


def decrypt(value: str) -> str:
    if not value.startswith(PREFIX):
        return value  # stored before encryption was configured
    ring = _keyring
    if ring is None:
        raise SecretKeyError(
            f"A stored secret is encrypted but {KEYS_SETTING} is not set: "
            "set it to the key(s) the database was encrypted with.",
            details={"setting": KEYS_SETTING},
        )
    try:
        return ring.decrypt(value[len(PREFIX) :].encode()).decode()
    except InvalidToken as exc:
        raise SecretKeyError(
            f"A stored secret cannot be decrypted with any key in {KEYS_SETTING}: "
            "add the key it was encrypted with (after the new one).",
            details={"setting": KEYS_SETTING},
        ) from exc


def _encrypt_fields(doc: Any) -> Any:
    if not isinstance(doc, dict):
        return doc
    return {
        k: encrypt(v) if k in SECRET_FIELDS and isinstance(v, str) else v for k, v in doc.items()
    }


def _decrypt_fields(doc: Any) -> Any:
    if not isinstance(doc, dict):
        return doc
    return {
        k: decrypt(v) if k in SECRET_FIELDS and isinstance(v, str) else v for k, v in doc.items()
    }


class SecretJson(sa.types.TypeDecorator[Any]):
    """A JSON settings document (JSONB on PostgreSQL) whose secret fields are encrypted."""

    impl = sa.JSON
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> sa.types.TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(JSONB())
        return dialect.type_descriptor(sa.JSON())

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        return _encrypt_fields(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        return _decrypt_fields(value)


class SecretString(sa.types.TypeDecorator[str]):
    """A text column that is a secret."""

    impl = sa.String
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else encrypt(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else decrypt(value)
