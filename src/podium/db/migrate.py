"""Applying Alembic migrations from code (``podium db upgrade``, ``podium serve``, tests)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

__all__ = ["Readiness", "current_revision", "downgrade", "head_revision", "readiness", "upgrade"]

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
            _create_schema(conn)
            conn.commit()
        try:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
            conn.commit()
        finally:
            if postgres:
                conn.exec_driver_sql(f"SELECT pg_advisory_unlock({_MIGRATION_LOCK})")
                conn.commit()


def _create_schema(conn: Connection) -> None:
    """A brand's own schema (PODIUM_DATABASE_SCHEMA sets the connections' ``search_path``) is
    created on its first migration; the default ``public`` always exists."""
    if conn.exec_driver_sql("SELECT current_schema()").scalar() is not None:
        return
    wanted = str(conn.exec_driver_sql("SHOW search_path").scalar() or "").split(",")[0].strip()
    if wanted and not wanted.startswith("$"):
        conn.exec_driver_sql(f'CREATE SCHEMA IF NOT EXISTS "{wanted.strip(chr(34))}"')


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


@cache
def _code_head() -> str | None:
    """The head of the migrations shipped with this code (read once: the files do not change
    under a running process)."""
    return head_revision()


@dataclass(frozen=True, slots=True)
class Readiness:
    """``problem`` is None when ready, else ``database_unreachable`` or
    ``migrations_pending``."""

    problem: str | None
    message: str
    revision: str | None = None
    head: str | None = None


def readiness(engine: Engine) -> Readiness:
    """Can this process serve: the database answers and its schema is this code's head (one
    small read of ``alembic_version``)."""
    head = _code_head()
    try:
        current = current_revision(engine)
    except Exception as exc:  # whatever the driver raises, the answer is "not ready"
        return Readiness(
            "database_unreachable", f"The database is unreachable: {type(exc).__name__}."
        )
    if current != head:
        return Readiness(
            "migrations_pending",
            "The database schema is not this version's: run `podium db upgrade`.",
            current,
            head,
        )
    return Readiness(None, "ready", current, head)
