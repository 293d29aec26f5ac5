"""Migrations: empty → head; head → base → head; and the models match the migrated schema."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from podium.db.engine import build_engine
from podium.db.migrate import current_revision, downgrade, head_revision, upgrade
from podium.db.tables import metadata


def _tables(engine: sa.Engine) -> set[str]:
    return set(sa.inspect(engine).get_table_names()) - {"alembic_version"}


def test_migrations_go_up_down_and_up_again(database_url: str, tmp_path: Path) -> None:
    if database_url.startswith("sqlite"):  # tests get a migrated copy; this one starts empty
        database_url = f"sqlite:///{tmp_path}/empty.db"
    engine = build_engine(database_url)
    try:
        upgrade(engine)
        assert current_revision(engine) == head_revision()
        assert _tables(engine) == set(metadata.tables)
        downgrade(engine, "base")
        assert current_revision(engine) is None
        assert _tables(engine) == set()
        upgrade(engine)
        assert current_revision(engine) == head_revision()
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), metadata)
        assert diff == []
    finally:
        engine.dispose()
