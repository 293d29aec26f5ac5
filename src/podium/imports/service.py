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
from collections.abc import Iterable

from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError

from podium import catalog
from podium.catalog import Channel
from podium.db.database import Database
from podium.errors import DomainError, ValidationFailed
from podium.geo import Coordinates, Geocoder
from podium.imports.model import Columns, ImportReport, OrderOutcome, Reject
from podium.imports.order_rows import ParsedOrder, parse_orders
from podium.imports.runs import Discard, Progress, check_encoding, list_runs, record_run
from podium.imports.stock_service import import_inventory
from podium.orders import Allocator, by_external_ids, destination_of, place_within

__all__ = ["Progress", "import_inventory", "import_orders", "list_runs"]


def _check_channel(db: Database, channel: str) -> Channel:
    with db.read() as conn:
        found = catalog.cached_channel(conn, channel)
    if found is None or not found.active:
        raise ValidationFailed(
            f"Unknown or inactive channel {channel}.",
            code="unknown_channel",
            details={"field": "channel", "channel": channel},
        )
    return found


def import_orders(
    db: Database,
    data: bytes,
    *,
    channel: str,
    allocator: Allocator,
    actor: str,
    dry_run: bool = False,
    partial: bool = False,
    progress: Progress | None = None,
    filename: str | None = None,
    encoding: str | None = None,
) -> ImportReport:
    check_encoding(encoding)
    found = _check_channel(db, channel)
    parsed = parse_orders(
        data,
        channel,
        allocator.geocoder.country_code,
        platform_ids=found.type == "shopify",
        encoding=encoding,
    )
    report = ImportReport(
        kind="orders",
        dry_run=dry_run,
        partial=partial,
        rows_read=parsed.rows_read,
        orders_found=len(parsed.orders),
        ignored_columns=parsed.ignored_columns,
        digest=hashlib.sha256(data).hexdigest(),
    )
    rejects = list(parsed.rejects)
    with db.read() as conn:
        rejects.extend(_unknown_skus(conn, parsed.orders, parsed.columns))
        present = by_external_ids(conn, channel, (o.external_id for o in parsed.orders))
    rejected = {r.line for r in rejects}
    todo = [o for o in parsed.orders if o.intake and not rejected & {r.line for r in o.rows}]
    report.rejects = sorted(rejects, key=lambda r: r.line)
    if rejects and not partial:
        return report
    for order in [o for o in todo if o.external_id in present]:
        # Placed before (by an earlier import or the channel itself): nothing to write.
        ref = present[order.external_id]
        if order.intake is None:
            raise RuntimeError(f"order {order.external_id} was parsed without intake")
        differs = ref.request_hash != order.intake.fingerprint()
        report.already_present += 1
        report.differs += differs
        report.orders.append(
            OrderOutcome(
                external_id=order.external_id,
                line=order.line,
                outcome="already_present",
                order_id=ref.id,
                number=ref.number,
                status=ref.status,
                differs=differs,
            )
        )
    todo = [o for o in todo if o.external_id not in present]
    if not todo:
        return _sorted(report)
    destinations = {id(o): _destination(o, allocator.geocoder) for o in todo}
    try:
        with db.write() as conn:
            for done, order in enumerate(todo, 1):
                outcome = _place(
                    conn, order, destinations[id(order)], allocator, actor, partial, report
                )
                if outcome is not None:
                    report.orders.append(outcome)
                if progress is not None:
                    progress(done, len(todo))
            if dry_run or (report.rejects and not partial):
                raise Discard
            if report.created:
                record_run(conn, report, actor, channel=channel, filename=filename)
    except Discard:
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
    return _sorted(report)


def _sorted(report: ImportReport) -> ImportReport:
    report.rejects.sort(key=lambda r: r.line)
    report.orders.sort(key=lambda o: o.line)
    return report


def _destination(order: ParsedOrder, geocoder: Geocoder) -> Coordinates | None:
    if order.intake is None:
        raise RuntimeError(f"order {order.external_id} was parsed without intake")
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
    known = catalog.cached_products(conn, {sku for _, sku in wanted})
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
    allocator: Allocator,
    actor: str,
    partial: bool,
    report: ImportReport,
) -> OrderOutcome | None:
    if order.intake is None:
        raise RuntimeError(f"order {order.external_id} was parsed without intake")
    try:
        if partial:
            with conn.begin_nested():
                placed = place_within(
                    conn, order.intake, destination=destination, allocator=allocator, actor=actor
                )
        else:
            placed = place_within(
                conn, order.intake, destination=destination, allocator=allocator, actor=actor
            )
    except (DomainError, IntegrityError) as exc:
        code, message = (
            (exc.code, exc.message)
            if isinstance(exc, DomainError)
            else ("conflict", "The same order was placed at the same time; import again.")
        )
        report.rejects.append(Reject(line=order.line, field="order", code=code, message=message))
        if not partial:
            raise Discard from None
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
