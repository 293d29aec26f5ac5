"""Alembic environment: run with a connection handed in by ``podium.db.migrate``."""

from __future__ import annotations

from alembic import context

from podium.db.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - always called through podium.db.migrate
    raise RuntimeError("Run migrations with `podium db upgrade`.")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
