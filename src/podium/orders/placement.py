"""Placing an order: one transaction from intake to reserved stock and planned shipments.

Idempotency (channel + external id, or ``Idempotency-Key``) → validation against the catalogue →
stock rows locked in key order → routing plan → conditional reservations → order, lines,
shipments, holds, timeline and outbox events. A concurrent duplicate loses on the unique
index, rolls back, and gets the winner's order back.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError

from podium import catalog, logs, metrics, shipments
from podium.db.database import Database, utcnow
from podium.errors import InsufficientStock, ValidationFailed
from podium.geo import Coordinates, Geocoder
from podium.ids import new_id
from podium.orders import _store as store
from podium.orders import journal
from podium.orders.allocator import Allocated, Allocator, Want
from podium.orders.events import OrderCreated, OrderEvent
from podium.orders.existing import existing_order
from podium.orders.handover import HANDED_OVER_TAGS, hand_over_shipments, pinned_warehouse
from podium.orders.holds import put_on_backorder, put_on_hold
from podium.orders.hot import place_flash
from podium.orders.model import OrderIntake, OrderView, Priced, money, price
from podium.orders.screening import Prepared, hold_for, prepare, screen
from podium.orders.status import HoldReason, OrderStatus, check_transition
from podium.orders.timeline import TimelineRow
from podium.orders.views import assemble_view
from podium.shipments import ShipmentLine
from podium.validation import Address

log = logging.getLogger("podium.orders")

__all__ = ["Placed", "place_order", "place_within"]


@dataclass(frozen=True, slots=True)
class Placed:
    order: OrderView
    created: bool


def destination_of(intake: OrderIntake, geocoder: Geocoder) -> Coordinates | None:
    return coordinates_of(intake.shipping_address, geocoder)


def coordinates_of(a: Address, geocoder: Geocoder) -> Coordinates | None:
    """Where an address is: its own coordinates when it carries them, else the geocoder's."""
    if a.latitude is not None and a.longitude is not None:
        return Coordinates(a.latitude, a.longitude)
    return geocoder.locate(
        postal_code=a.postal_code, city=a.city, region=a.region, country=a.country
    )


def place_order(
    db: Database,
    intake: OrderIntake,
    *,
    allocator: Allocator,
    idempotency_key: str | None = None,
    actor: str = "api",
    hold_unknown_skus: bool = False,
    refuse_changes: bool = False,
) -> Placed:
    """``hold_unknown_skus`` (channel orders are facts): capture lines of SKUs not in the
    catalogue as sent and hold the order with reason ``unknown_sku`` instead of refusing it.

    ``refuse_changes`` (API callers): a re-delivery of channel + external id whose lines or
    money differ from the stored order is 409 ``idempotency_conflict`` rather than the old
    order. With an Idempotency-Key that is always so; a key reused for a request that differs
    only elsewhere is 409 ``idempotency_key_reused``."""
    priced = price(intake)
    fingerprint = intake.fingerprint()
    logs.bind(channel=intake.channel)
    destination: Coordinates | None = None
    prepared: Prepared | None = None

    def ready() -> None:  # after the waiting room: a refusal from memory needs neither
        nonlocal destination, prepared
        # Outside the transaction: the geocoder may be slow once.
        destination = destination_of(intake, allocator.geocoder)
        prepared = prepare(intake, allocator.screening, allocator.geocoder)

    def repeat(conn: Connection) -> OrderView | None:
        return existing_order(conn, intake, priced, idempotency_key, fingerprint, refuse_changes)

    def work(conn: Connection) -> tuple[OrderView, bool]:
        found = repeat(conn)
        if found is not None:
            return found, False
        view = _place(
            conn,
            intake,
            priced,
            fingerprint,
            idempotency_key,
            destination,
            actor,
            allocator,
            hold_unknown_skus,
            prepared,
        )
        return view, True

    def alone() -> tuple[OrderView, bool]:
        # A handed-over sale updates the shipments it creates: those inserts cannot wait.
        with db.write(batch_inserts=intake.handed_over is None) as conn:
            return work(conn)

    try:
        placed = Placed(*place_flash(db, intake, idempotency_key, repeat, ready, work, alone))
        logs.bind(order_id=placed.order.id)
        if placed.created:
            metrics.ORDERS_PLACED.labels(intake.channel).inc()
            log.info("order %s placed: %s", placed.order.number, placed.order.status)
        return placed
    except InsufficientStock:
        metrics.RESERVATIONS_REFUSED.labels(intake.channel).inc()
        raise
    except IntegrityError:
        # Lost a race with a concurrent delivery of the same order: answer with the winner's.
        with db.read() as conn:
            found = existing_order(
                conn, intake, priced, idempotency_key, fingerprint, refuse_changes
            )
        if found is None:
            raise
        return Placed(found, created=False)


def place_within(
    conn: Connection,
    intake: OrderIntake,
    *,
    destination: Coordinates | None,
    allocator: Allocator,
    actor: str = "api",
) -> Placed:
    """Place inside the caller's write transaction (imports): nothing is committed here. An
    intake with ``handed_over`` needs a transaction without ``batch_inserts``.

    Idempotent on channel + external id like :func:`place_order`; ``destination`` comes from
    :func:`destination_of`, computed before the transaction.
    """
    fingerprint = intake.fingerprint()
    priced = price(intake)
    found = existing_order(conn, intake, priced, None, fingerprint, refuse_changes=False)
    if found is not None:
        return Placed(found, created=False)
    prepared = prepare(intake, allocator.screening, allocator.geocoder)
    view = _place(
        conn, intake, priced, fingerprint, None, destination, actor, allocator, False, prepared
    )
    return Placed(view, created=True)


def _place(
    conn: Connection,
    intake: OrderIntake,
    priced: Priced,
    fingerprint: str,
    idempotency_key: str | None,
    destination: Coordinates | None,
    actor: str,
    allocator: Allocator,
    hold_unknown_skus: bool = False,
    prepared: Prepared | None = None,
) -> OrderView:
    channel = catalog.cached_channel(conn, intake.channel)
    if channel is None or not channel.active:
        raise ValidationFailed(
            f"Unknown or inactive channel {intake.channel}.",
            code="unknown_channel",
            details={"field": "channel", "channel": intake.channel},
        )
    products = catalog.cached_products(conn, (ln.sku for ln in intake.lines))
    unknown = [
        {"field": f"lines.{i}.sku", "sku": ln.sku}
        for i, ln in enumerate(intake.lines)
        if ln.sku not in products
    ]
    if unknown and not hold_unknown_skus:
        raise ValidationFailed(
            f"Unknown SKU(s): {', '.join(sorted({u['sku'] for u in unknown}))}.",
            code="unknown_sku",
            details={"field": unknown[0]["field"], "lines": unknown},
        )
    handed = intake.handed_over
    pinned, unplaced = pinned_warehouse(conn, intake, lenient=hold_unknown_skus)
    demand: dict[str, int] = defaultdict(int)
    for ln in intake.lines:
        if ln.sku in products and (handed is None or pinned is not None):
            demand[ln.sku] += ln.quantity
    if pinned is not None:  # a store's till sells the store's stock, nothing else
        channel = channel.model_copy(update={"warehouses": [pinned]})
    plan = allocator.plan_intake(conn, channel, intake, priced.total, demand, destination)
    hold_queue = plan.hold_queue if handed is None else None  # the goods are gone already
    # A channel-fulfilled sale takes no Podium stock: an unknown SKU is noted, not held.
    holds_unknown = bool(unknown) and (handed != "by_channel" or pinned is not None)
    # Units short of stock a channel may sell ahead of incoming stock: a pre-order, promised
    # for the day the stock is expected (planning's per-channel cap decides).
    preorder = None
    if plan.shortages and handed is None and allocator.preorders is not None:
        preorder = allocator.preorders.promise(conn, channel.code, plan.shortages)
    if plan.shortages and intake.on_shortage == "reject" and preorder is None:
        raise InsufficientStock(
            "Not enough stock to place this order.",
            details={
                "lines": [
                    {"sku": sku, "requested": demand[sku], "available": demand[sku] - short}
                    for sku, short in sorted(plan.shortages.items())
                ]
            },
        )
    screened = screen(
        conn,
        intake,
        priced.total,
        prepared or prepare(intake, allocator.screening, allocator.geocoder),
        allocator.screening,
    )
    holds_screened = screened.holds and handed is None  # goods handed over are gone already
    order_id = new_id("ord")
    status = check_transition(
        OrderStatus.PENDING,
        OrderStatus.ON_HOLD
        if plan.shortages or hold_queue or holds_unknown or unplaced or holds_screened
        else OrderStatus.READY,
    )
    now = utcnow()
    header = {
        "id": order_id,
        "channel": channel.code,
        "external_id": intake.external_id,
        "idempotency_key": idempotency_key,
        "request_hash": fingerprint,
        "status": status.value,
        "currency": intake.currency,
        "subtotal": priced.subtotal,
        "shipping_total": priced.shipping,
        "tax_total": priced.tax,
        "discount_total": priced.discount,
        "total": priced.total,
        "payment_status": "pending",
        "customer_email": intake.customer.email,
        "customer_name": intake.customer.name,
        "customer_phone": intake.customer.phone,
        "shipping_address": intake.shipping_address.model_dump(exclude_none=True),
        "destination_latitude": destination.latitude if destination else None,
        "destination_longitude": destination.longitude if destination else None,
        # The handed-over mark is the system's to set: a tag sent alike is not taken.
        "tags": [t for t in intake.tags if t not in HANDED_OVER_TAGS.values()]
        + ([HANDED_OVER_TAGS[handed]] if handed else []),
        "placed_at": intake.placed_at or now,
        "created_at": now,
        "updated_at": now,
        "promised_date": max(plan.promised, preorder)
        if plan.promised and preorder
        else (preorder or plan.promised),
        "service_level": intake.service_level,
        "priority": intake.priority,
        "billing_address": intake.billing_address.model_dump(exclude_none=True)
        if intake.billing_address
        else None,
        "client_ip": intake.client_ip,
        "risk": screened.assessment.as_dict(),
        "address_key": screened.address_key,
    }
    number = header["number"] = store.insert_order(conn, header)
    lines = [
        {
            "order_id": order_id,
            "line_no": i + 1,
            "sku": ln.sku,
            "name": ln.name or (products[ln.sku].name if ln.sku in products else ln.sku),
            "quantity": ln.quantity,
            "unit_price": priced.unit_prices[i],
            "quantity_cancelled": 0,
        }
        for i, ln in enumerate(intake.lines)
    ]
    store.insert_lines(conn, lines)
    wants = [
        Want(i + 1, ln.sku, ln.quantity) for i, ln in enumerate(intake.lines) if ln.sku in products
    ]
    allocated = allocator.reserve_and_ship(conn, order_id, number, wants, plan, actor)
    handover: list[TimelineRow] = []
    if handed is not None and status is OrderStatus.READY:
        if allocated.shipments:
            handover.append(
                hand_over_shipments(
                    conn, header, allocated.shipments, allocated.lines, handed, actor
                )
            )
            allocated = Allocated(
                shipments.shipments_for_orders(conn, [order_id]), list(allocated.lines)
            )
        else:
            handover.append(
                TimelineRow(
                    "order.handed_over",
                    "Fulfilled by the channel from its own stock: nothing reserved or shipped "
                    "here.",
                    {"handed_over": handed, "warehouses": [], "units": 0},
                )
            )
        final = OrderStatus.DELIVERED if allocated.shipments else OrderStatus.SHIPPED
        store.set_status(conn, order_id, check_transition(status, OrderStatus.SHIPPED).value)
        if final is OrderStatus.DELIVERED:
            store.set_status(conn, order_id, check_transition(OrderStatus.SHIPPED, final).value)
        status = final
        header["status"] = final.value
    timeline = [
        TimelineRow(
            "order.placed",
            f"Order {number} placed on {channel.code}: "
            f"{sum(ln.quantity for ln in intake.lines)} unit(s), "
            f"{intake.currency} {money(priced.total, intake.currency)}.",
            {"channel": channel.code, "external_id": intake.external_id},
        ),
        allocator.routing_entry(plan, allocated.shipment_ids, destination),
        *handover,
    ]
    events: list[OrderEvent] = [
        OrderCreated(
            id=order_id,
            number=number,
            channel=channel.code,
            status=status.value,
            total=money(priced.total, intake.currency),
            currency=intake.currency,
        ),
    ]
    if intake.note:
        timeline.append(TimelineRow("note.added", intake.note, {}))
    batch = journal.Batch(timeline, events)
    order = {"id": order_id, "number": number, "status": status.value}
    holds = []
    if plan.shortages:
        why = f"pre-ordered, promised for {preorder.isoformat()}" if preorder else "not in stock"
        hold = put_on_backorder(conn, order, plan.shortages, actor=actor, batch=batch, why=why)
        holds.append(hold.row())
        if preorder is not None:
            timeline.append(
                TimelineRow(
                    "order.preordered",
                    f"Pre-order: {sum(plan.shortages.values())} unit(s) sold ahead of incoming "
                    f"stock, promised for {preorder.isoformat()}.",
                    {"promised_date": preorder.isoformat(), "short": dict(plan.shortages)},
                )
            )
    if hold_queue:  # a routing rule holds it in a named queue
        holds.append(allocator.routing_hold(conn, order, plan, actor, batch).row())
    if unknown and not holds_unknown:
        timeline.append(
            TimelineRow(
                "order.unknown_sku_noted",
                f"{', '.join(sorted({u['sku'] for u in unknown}))} not in the catalogue: "
                "recorded as sold by the channel (no Podium stock involved).",
                {"skus": sorted({u["sku"] for u in unknown})},
            )
        )
    if unplaced:
        hold = put_on_hold(
            conn,
            order,
            HoldReason.LOCATION.value,
            unplaced,
            actor=actor,
            message=f"On hold (location): sold and handed over in store, but {unplaced}; map "
            "the location in the channel's settings, then hand the order over at its store.",
            data={"reason": "location", "handed_over": handed},
            batch=batch,
        )
        holds.append(hold.row())
    if holds_unknown:
        skus = sorted({u["sku"] for u in unknown})
        hold = put_on_hold(
            conn,
            order,
            HoldReason.UNKNOWN_SKU.value,
            "unknown: " + ", ".join(skus),
            actor=actor,
            message=f"On hold (unknown_sku): {', '.join(skus)} not in the catalogue; create or "
            "map the SKU, then release the hold.",
            data={"reason": "unknown_sku", "skus": skus},
            batch=batch,
        )
        holds.append(hold.row())
    held = hold_for(conn, order, screened, actor=actor, batch=batch, hold=holds_screened)
    holds += [h.row() for h in held]
    batch.write(conn, order_id, actor)
    by_shipment: dict[str, list[ShipmentLine]] = defaultdict(list)
    for sl in allocated.lines:
        by_shipment[sl.shipment_id].append(sl)
    return assemble_view(header, lines, holds, allocated.shipments, by_shipment)
