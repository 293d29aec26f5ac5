"""Return dispositions as rows (issue 13).

``return_lines`` counted each disposition in a column of its own (restocked, damaged, scrapped,
refurbished), so a new disposition meant a migration. Units received per line are now a row
per line and disposition in ``return_line_dispositions``; what a disposition does (restock,
set aside, write off) is data in ``podium.returns.dispositions``. Existing counts are copied
over, then the four columns go; ``return_lines.quantity_received`` stays (the line's total).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

# The dispositions that had a column, and that column.
COLUMNS = {
    "restock": "quantity_restocked",
    "damaged": "quantity_damaged",
    "scrap": "quantity_scrapped",
    "refurbish": "quantity_refurbished",
}


_FK = "fk_return_line_dispositions_return_id_return_lines"


def upgrade() -> None:
    # The foreign key is added last: on SQLite dropping the columns rebuilds ``return_lines``
    # (copy, drop, rename), and with foreign keys on, dropping a table that rows of another
    # table reference fails.
    op.create_table(
        "return_line_dispositions",
        sa.Column("return_id", sa.String(40), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("disposition", sa.String(16), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "return_id", "line_no", "disposition", name="pk_return_line_dispositions"
        ),
    )
    for disposition, column in COLUMNS.items():
        op.execute(
            sa.text(
                "INSERT INTO return_line_dispositions (return_id, line_no, disposition, quantity)"
                f" SELECT return_id, line_no, :disposition, {column} FROM return_lines"
                f" WHERE {column} > 0"
            ).bindparams(disposition=disposition)
        )
    with op.batch_alter_table("return_lines") as batch:
        for column in COLUMNS.values():
            batch.drop_column(column)
    with op.batch_alter_table("return_line_dispositions") as batch:
        batch.create_foreign_key(
            _FK, "return_lines", ["return_id", "line_no"], ["return_id", "line_no"]
        )


def downgrade() -> None:
    with op.batch_alter_table("return_line_dispositions") as batch:
        batch.drop_constraint(_FK, type_="foreignkey")
    with op.batch_alter_table("return_lines") as batch:
        for column in COLUMNS.values():
            batch.add_column(sa.Column(column, sa.Integer(), nullable=False, server_default="0"))
    for disposition, column in COLUMNS.items():
        op.execute(
            sa.text(
                f"UPDATE return_lines SET {column} = COALESCE((SELECT d.quantity"
                " FROM return_line_dispositions d WHERE d.return_id = return_lines.return_id"
                " AND d.line_no = return_lines.line_no AND d.disposition = :disposition), 0)"
            ).bindparams(disposition=disposition)
        )
    with op.batch_alter_table("return_lines") as batch:
        for column in COLUMNS.values():
            batch.alter_column(column, server_default=None)
    op.drop_table("return_line_dispositions")
