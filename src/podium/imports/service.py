"""Importing orders and stock counts from a spreadsheet: all or nothing, with a reject report.

Every row is validated first (cells, then the catalogue); if any row is rejected nothing is
written and the report lists each reject with its line. Otherwise everything is written in ONE
write transaction: orders through the placement path (idempotent on channel + external id,
shortages back-ordered because a channel order is a fact), stock through the ledger. A dry run
does exactly the same work and rolls it back, so it tells what *would* happen, backorders
included. ``partial`` is the explicit opt-in to per-order (per-row for stock) atomicity:
rejected orders are skipped, the rest are written.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError

from podium.catalog import cache as catalogue
from podium.db.database import Database
from podium.errors import DomainError, ValidationFailed
from podium.imports.model import Columns, ImportReport, MovementOutcome, OrderOutcome, Reject
from podium.imports.order_rows import ParsedOrder, parse_orders
from podium.imports.stock_rows import ParsedStock, StockRow, parse_stock
from podium.inventory.model import Level, Movement, kind_for_reason
from podium.inventory.service import apply, lock_levels
from podium.orders.placement import destination_of, place_within
from podium.routing.geo import Coordinates, Geocoder

__all__ = ["Progress", "import_inventory", "import_orders"]

Progress = Callable[[int, int], None]
"""Told (done, total) as orders or rows are written."""


class _Discard(Exception):
    """Roll the import's transaction back (dry run, or a reject in all-or-nothing mode)."""


def _check_channel(db: Database, channel: str) -> None:
    with db.read() as conn:
        found = catalogue.channel(conn, channel)
    if found is None or not found.active:
        raise ValidationFailed(
            f"Unknown or inactive channel {channel}.",
            code="unknown_channel",
            details={"field": "channel", "channel": channel},
        )


def import_orders(
    db: Database,
    data: bytes,
    *,
    channel: str,
    geocoder: Geocoder,
    actor: str,
    dry_run: bool = False,
    partial: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    _check_channel(db, channel)
    parsed = parse_orders(data, channel, geocoder.country_code)
    report = ImportReport(
        kind="orders",
        dry_run=dry_run,
        partial=partial,
        rows_read=parsed.rows_read,
        orders_found=len(parsed.orders),
        ignored_columns=parsed.ignored_columns,
    )
    rejects = list(parsed.rejects)
    with db.read() as conn:
        rejects.extend(_unknown_skus(conn, parsed.orders, parsed.columns))
    rejected = {r.line for r in rejects}
    todo = [o for o in parsed.orders if o.intake and not rejected & {r.line for r in o.rows}]
    report.rejects = sorted(rejects, key=lambda r: r.line)
    if rejects and not partial:
        return report
    destinations = {id(o): _destination(o, geocoder) for o in todo}
    try:
        with db.write() as conn:
            for done, order in enumerate(todo, 1):
                outcome = _place(conn, order, destinations[id(order)], actor, partial, report)
                if outcome is not None:
                    report.orders.append(outcome)
                if progress is not None:
                    progress(done, len(todo))
            if dry_run or (report.rejects and not partial):
                raise _Discard
    except _Discard:
        if report.rejects and not partial:
            report.orders, report.created, report.already_present = [], 0, 0
            report.backordered = 0
    else:
        report.written = report.created > 0
    if not report.written:
        for outcome in report.orders:
            if outcome.outcome == "created":
                outcome.outcome, outcome.order_id, outcome.number = "would_create", None, None
        report.would_create, report.created = report.created, 0
    report.rejects.sort(key=lambda r: r.line)
    return report


def _destination(order: ParsedOrder, geocoder: Geocoder) -> Coordinates | None:
    assert order.intake is not None
    return destination_of(order.intake, geocoder)


def _unknown_skus(
    conn: Connection, orders: Iterable[ParsedOrder], columns: Columns | None
) -> list[Reject]:
    """A reject for every row whose SKU the catalogue lacks, even in otherwise bad orders."""
    if columns is None:
        return []
    wanted = [
        (row.line, sku)
        for order in orders
        for row in order.rows
        if (sku := columns.value(row, "sku"))
        and not any(r.line == row.line and r.field == columns.label("sku") for r in order.rejects)
    ]
    known = catalogue.products_by_sku(conn, {sku for _, sku in wanted})
    return [
        Reject(
            line=line,
            field=columns.label("sku"),
            code="unknown_sku",
            message=f"No product with SKU {sku}.",
        )
        for line, sku in wanted
        if sku not in known
    ]


def _place(
    conn: Connection,
    order: ParsedOrder,
    destination: Coordinates | None,
    actor: str,
    partial: bool,
    report: ImportReport,
) -> OrderOutcome | None:
    assert order.intake is not None
    try:
        if partial:
            with conn.begin_nested():
                placed = place_within(conn, order.intake, destination=destination, actor=actor)
        else:
            placed = place_within(conn, order.intake, destination=destination, actor=actor)
    except (DomainError, IntegrityError) as exc:
        code, message = (
            (exc.code, exc.message)
            if isinstance(exc, DomainError)
            else ("conflict", "The same order was placed at the same time; import again.")
        )
        report.rejects.append(Reject(line=order.line, field="order", code=code, message=message))
        if not partial:
            raise _Discard from None
        return None
    view = placed.order
    backordered = any(h.reason == "backorder" for h in view.holds)
    if placed.created:
        report.created += 1
        report.backordered += backordered
    else:
        report.already_present += 1
    return OrderOutcome(
        external_id=order.external_id,
        line=order.line,
        outcome="created" if placed.created else "already_present",
        order_id=view.id,
        number=view.number,
        status=view.status,
        backordered=backordered,
    )


def import_inventory(
    db: Database,
    data: bytes,
    *,
    actor: str,
    dry_run: bool = False,
    partial: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    parsed = parse_stock(data)
    report = ImportReport(
        kind="inventory",
        dry_run=dry_run,
        partial=partial,
        rows_read=parsed.rows_read,
        ignored_columns=parsed.ignored_columns,
        rejects=parsed.rejects,
    )
    if parsed.rejects and not partial:
        return report
    reference = "import " + hashlib.sha256(data).hexdigest()[:12]
    try:
        with db.write() as conn:
            rows = _known_rows(conn, parsed, report)
            if report.rejects and not partial:
                raise _Discard
            moves = _movements(conn, rows, reference, report)
            if report.rejects and not partial:
                raise _Discard
            if moves:
                apply(conn, moves, actor, rows_locked=True)
            report.would_apply = len(moves)
            if progress is not None:
                progress(len(rows), len(rows))
            if dry_run:
                raise _Discard
    except _Discard:
        if report.rejects and not partial:
            report.movements, report.would_apply, report.unchanged = [], 0, 0
    else:
        report.applied, report.would_apply = report.would_apply, 0
        report.written = report.applied > 0
    report.rejects.sort(key=lambda r: r.line)
    return report


def _known_rows(conn: Connection, parsed: ParsedStock, report: ImportReport) -> list[StockRow]:
    products = catalogue.products_by_sku(conn, {r.sku for r in parsed.rows})
    warehouses = {w.code for w in catalogue.warehouses(conn)}
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
