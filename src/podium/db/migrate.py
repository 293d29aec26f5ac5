"""Applying Alembic migrations from code (``podium db upgrade``, ``podium serve``, tests)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

__all__ = ["current_revision", "downgrade", "head_revision", "upgrade"]

_MIGRATIONS = Path(__file__).with_name("migrations")


def _config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(_MIGRATIONS))
    return cfg


# Several processes may start at once (podium serve --workers, a fleet of pods): on PostgreSQL
# they take turns through an advisory lock instead of racing to create the same tables.
_MIGRATION_LOCK = 7_243_911


def upgrade(engine: Engine, revision: str = "head") -> None:
    cfg = _config()
    with engine.connect() as conn:
        postgres = conn.dialect.name == "postgresql"
        if postgres:
            conn.exec_driver_sql(f"SELECT pg_advisory_lock({_MIGRATION_LOCK})")
            conn.commit()
        try:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
            conn.commit()
        finally:
            if postgres:
                conn.exec_driver_sql(f"SELECT pg_advisory_unlock({_MIGRATION_LOCK})")
                conn.commit()


def downgrade(engine: Engine, revision: str = "base") -> None:
    cfg = _config()
    with engine.connect() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)
        conn.commit()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str | None:
    return ScriptDirectory.from_config(_config()).get_current_head()
