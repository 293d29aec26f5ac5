"""``podium db new-key`` and ``podium db rotate-secrets`` as an operator runs them (both
engines): plaintext secrets saved before encryption get encrypted, keys rotate, and a missing,
malformed or wrong key is one readable line naming PODIUM_ENCRYPTION_KEYS."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from podium.db.engine import build_engine
from podium.db.secrets import PREFIX
from podium.db.tables import channels

PODIUM = Path(sys.executable).with_name("podium")
TOKEN = "shpat_plaintext_token_1234"


def _podium(database_url: str, *args: str, keys: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PODIUM_DATABASE_URL": database_url, "PODIUM_ENCRYPTION_KEYS": keys}
    return subprocess.run(
        [str(PODIUM), *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def _said(done: subprocess.CompletedProcess[str]) -> str:
    return " ".join(done.stderr.split())  # the console wraps long lines


def _stored_token(engine: sa.Engine) -> str:
    query = sa.text("SELECT settings FROM channels WHERE code = 'shop'")
    with engine.connect() as conn:
        value = conn.execute(query).scalar_one()
    doc = json.loads(value) if isinstance(value, str) else value
    return str(doc["access_token"])


def test_rotate_secrets_encrypts_old_plaintext_then_moves_to_a_new_key(database_url: str) -> None:
    engine = build_engine(database_url)
    now = datetime.now(UTC)
    with engine.begin() as conn:  # saved before PODIUM_ENCRYPTION_KEYS was set: plaintext
        conn.execute(
            channels.insert().values(
                code="shop",
                name="Shop",
                type="shopify",
                settings={"shop_url": "https://shop.example.com", "access_token": TOKEN},
                active=True,
                created_at=now,
                updated_at=now,
            )
        )
    assert _stored_token(engine) == TOKEN

    missing = _podium(database_url, "db", "rotate-secrets")
    assert missing.returncode == 2 and "PODIUM_ENCRYPTION_KEYS is not set" in _said(missing)
    malformed = _podium(database_url, "db", "rotate-secrets", keys="nope")
    assert malformed.returncode == 2 and "key 1 is not a Fernet key" in _said(malformed)

    old = _podium(database_url, "db", "new-key").stdout.strip()
    new = _podium(database_url, "db", "new-key").stdout.strip()
    assert old != new and len(old) == 44

    first = _podium(database_url, "db", "rotate-secrets", keys=old)
    assert first.returncode == 0, first.stderr
    assert "channels.settings" in first.stdout
    by_old = _stored_token(engine)
    assert by_old.startswith(PREFIX) and TOKEN not in by_old

    wrong = _podium(database_url, "db", "rotate-secrets", keys=new)
    assert wrong.returncode == 2
    assert "cannot be decrypted with any key in PODIUM_ENCRYPTION_KEYS" in _said(wrong)
    assert _stored_token(engine) == by_old  # nothing rewritten

    rotated = _podium(database_url, "db", "rotate-secrets", keys=f"{new},{old}")
    assert rotated.returncode == 0, rotated.stderr
    assert _stored_token(engine) != by_old
    # Only the new key is needed now: a second run with it alone decrypts everything.
    again = _podium(database_url, "db", "rotate-secrets", keys=new)
    assert again.returncode == 0, again.stderr
    engine.dispose()
