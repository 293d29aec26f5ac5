"""Migrations: empty → head; head → base → head; and the models match the migrated schema."""

from __future__ import annotations

from datetime import UTC, datetime
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


def _unchecked(engine: sa.Engine, database_url: str) -> sa.Engine:
    """An engine that does not check foreign keys: a return without its order is enough to
    look at the migration of its lines' counts."""
    if database_url.startswith("sqlite"):
        return sa.create_engine(database_url)  # Podium's engine turns the check on
    return engine


def test_0015_moves_disposition_counts_to_rows_and_back(database_url: str, tmp_path: Path) -> None:
    if database_url.startswith("sqlite"):
        database_url = f"sqlite:///{tmp_path}/dispositions.db"
    engine = build_engine(database_url)
    line = "INSERT INTO return_lines VALUES ('RMA-1', {n}, 1, 'SKU', 5, 'damaged', {r}, {q})"
    try:
        upgrade(engine, "0014")  # an empty SQLite file
        downgrade(engine, "0014")  # the PostgreSQL test database, emptied, at head
        with _unchecked(engine, database_url).connect() as conn:
            if conn.dialect.name == "postgresql":
                conn.exec_driver_sql("SET session_replication_role = replica")
            conn.execute(
                sa.text(
                    "INSERT INTO returns (id, order_id, status, created_at, updated_at,"
                    " created_by) VALUES ('RMA-1', 'O-1', 'received', :now, :now, 'test')"
                ),
                {"now": datetime(2026, 12, 3, tzinfo=UTC)},
            )
            conn.exec_driver_sql(line.format(n=1, r=4, q="1, 2, 1, 0"))
            conn.exec_driver_sql(line.format(n=2, r=0, q="0, 0, 0, 0"))
            conn.commit()
        upgrade(engine, "0015")
        with engine.connect() as conn:
            rows = conn.exec_driver_sql(
                "SELECT return_id, line_no, disposition, quantity FROM return_line_dispositions"
                " ORDER BY line_no, disposition"
            ).all()
            received = conn.exec_driver_sql(
                "SELECT line_no, quantity_received FROM return_lines ORDER BY line_no"
            ).all()
        assert [tuple(r) for r in rows] == [
            ("RMA-1", 1, "damaged", 2),
            ("RMA-1", 1, "restock", 1),
            ("RMA-1", 1, "scrap", 1),
        ]
        assert [tuple(r) for r in received] == [(1, 4), (2, 0)]
        downgrade(engine, "0014")
        with engine.connect() as conn:
            back = conn.exec_driver_sql(
                "SELECT line_no, quantity_restocked, quantity_damaged, quantity_scrapped,"
                " quantity_refurbished FROM return_lines ORDER BY line_no"
            ).all()
        assert [tuple(r) for r in back] == [(1, 1, 2, 1, 0), (2, 0, 0, 0, 0)]
    finally:
        upgrade(engine)
        engine.dispose()
