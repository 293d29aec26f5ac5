"""Re-encrypting every stored secret with the first key of PODIUM_ENCRYPTION_KEYS.

Each row holding a secret is read (decrypted with whichever listed key fits, or taken as it is
when stored in plaintext) and written back, which encrypts it with the first key. One
transaction per table: a key that decrypts nothing stops the run before anything of that table
is rewritten.
"""

from __future__ import annotations

import sqlalchemy as sa

from podium.db.database import Database
from podium.db.secrets import KEYS_SETTING, SecretJson, SecretString, encryption_enabled
from podium.db.tables import metadata

__all__ = ["rotate_secrets", "secret_columns"]


def secret_columns() -> list[tuple[sa.Table, sa.Column[object]]]:
    return [
        (table, column)
        for table in metadata.sorted_tables
        for column in table.columns
        if isinstance(column.type, (SecretJson, SecretString))
    ]


def rotate_secrets(db: Database) -> dict[str, int]:
    """Rows rewritten per table; refuses when no key is configured."""
    if not encryption_enabled():
        raise ValueError(
            f"{KEYS_SETTING} is not set: there is no key to encrypt with "
            "(make one with `podium db new-key`)."
        )
    done: dict[str, int] = {}
    for table, column in secret_columns():
        key = list(table.primary_key.columns)
        with db.engine.begin() as conn:
            rows = conn.execute(sa.select(*key, column)).all()
            for row in rows:
                where = [c == row._mapping[c.name] for c in key]
                value = row._mapping[column.name]
                conn.execute(sa.update(table).where(*where).values({column.name: value}))
        done[f"{table.name}.{column.name}"] = len(rows)
    return done
