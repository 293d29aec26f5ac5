"""Importing stock counts and changes: all or nothing, through the ledger."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import Connection

from podium import catalog
from podium.db.database import Database
from podium.imports.model import ImportReport, MovementOutcome, Reject
from podium.imports.runs import Discard, Progress, check_encoding, record_run, refuse_repeat
from podium.imports.stock_rows import ParsedStock, StockRow, parse_stock
from podium.inventory import Level, Movement, apply, kind_for_reason, lock_levels

__all__ = ["import_inventory"]


def import_inventory(
    db: Database,
    data: bytes,
    *,
    actor: str,
    dry_run: bool = False,
    partial: bool = False,
    progress: Progress | None = None,
    filename: str | None = None,
    force: bool = False,
    encoding: str | None = None,
) -> ImportReport:
    """Apply a stock file; one already imported is refused (409) unless ``force``."""
    check_encoding(encoding)
    parsed = parse_stock(data, encoding)
    report = ImportReport(
        kind="inventory",
        dry_run=dry_run,
        partial=partial,
        rows_read=parsed.rows_read,
        ignored_columns=parsed.ignored_columns,
        rejects=parsed.rejects,
        digest=hashlib.sha256(data).hexdigest(),
    )
    if parsed.rejects and not partial:
        return report
    reference = "import " + report.digest[:12]
    try:
        with db.write() as conn:
            if not force:
                refuse_repeat(conn, report.digest)
            rows = _known_rows(conn, parsed, report)
            if report.rejects and not partial:
                raise Discard
            moves = _movements(conn, rows, reference, report)
            if report.rejects and not partial:
                raise Discard
            if moves:
                apply(conn, moves, actor, rows_locked=True)
            report.would_apply = len(moves)
            if progress is not None:
                progress(len(rows), len(rows))
            if dry_run:
                raise Discard
            if moves:
                record_run(conn, report, actor, movements=len(moves), filename=filename)
    except Discard:
        if report.rejects and not partial:
            report.movements, report.would_apply, report.unchanged = [], 0, 0
    else:
        report.applied, report.would_apply = report.would_apply, 0
        report.written = report.applied > 0
    report.rejects.sort(key=lambda r: r.line)
    return report


def _known_rows(conn: Connection, parsed: ParsedStock, report: ImportReport) -> list[StockRow]:
    products = catalog.cached_products(conn, {r.sku for r in parsed.rows})
    warehouses = {w.code for w in catalog.warehouses(conn)}
    label = parsed.columns.label
    kept = []
    for row in parsed.rows:
        if row.sku not in products:
            report.rejects.append(
                Reject(
                    line=row.line,
                    field=label("sku"),
                    code="unknown_sku",
                    message=f"No product with SKU {row.sku}.",
                )
            )
        elif row.warehouse not in warehouses:
            report.rejects.append(
                Reject(
                    line=row.line,
                    field=label("warehouse"),
                    code="unknown_warehouse",
                    message=f"No warehouse {row.warehouse}.",
                )
            )
        else:
            kept.append(row)
    return kept


@dataclass
class _Balance:
    on_hand: int
    reserved: int


def _movements(
    conn: Connection, rows: list[StockRow], reference: str, report: ImportReport
) -> list[Movement]:
    levels: dict[tuple[str, str], Level] = lock_levels(conn, {(r.sku, r.warehouse) for r in rows})
    balance = {k: _Balance(lv.on_hand, lv.reserved) for k, lv in levels.items()}
    moves: list[Movement] = []
    for row in rows:
        now = balance[(row.sku, row.warehouse)]
        delta = row.quantity - now.on_hand if row.mode == "on_hand" else row.quantity
        after = now.on_hand + delta
        if after < now.reserved:
            report.rejects.append(
                Reject(
                    line=row.line,
                    field=row.mode,
                    code="below_reserved",
                    message=f"{row.sku} at {row.warehouse} would have {after} on hand but "
                    f"{now.reserved} are reserved for open orders.",
                )
            )
            continue
        if delta == 0:
            report.unchanged += 1
            continue
        moves.append(
            Movement(
                row.sku,
                row.warehouse,
                kind_for_reason(row.reason),
                delta,
                0,
                row.reason,
                row.reference or reference,
            )
        )
        report.movements.append(
            MovementOutcome(
                line=row.line,
                sku=row.sku,
                warehouse=row.warehouse,
                reason=row.reason,
                on_hand_before=now.on_hand,
                on_hand_after=after,
                delta=delta,
            )
        )
        now.on_hand = after
    return moves
