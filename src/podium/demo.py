"""``podium demo``: seed a realistic store and run a day of orders through the real services.

The store (four warehouses, a web shop and a store till, 240 SKUs, skewed stock) and the day's
orders come from :mod:`podium.demo_data`; this module feeds them through the same service
functions the API uses — placement, holds, notes, cancellation, shipping, stock receipts — so the
result is what a real day would leave behind, ledger included. Run it again on the same database
and it adds another day to the store it finds.

The day has already passed when the demo tells it: every use case runs under a simulated clock
(:func:`podium.db.clock.clock_set`) set to when the step happens in the story, so an order
placed at 02:15 has its timeline, reservations and holds at 02:15, and its parcel leaves with
the next wave, not at the minute the command ran.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from random import Random

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from podium import catalog, channels, inventory, returns
from podium.access import create_key
from podium.bootstrap import Podium
from podium.catalog import ProductIn, WarehouseAddress, WarehouseIn
from podium.channels import ChannelIn
from podium.config import browse_url
from podium.db.clock import clock_set
from podium.db.database import Database
from podium.demo_data import (
    STORE,
    WAREHOUSES,
    PlannedOrder,
    ProductSpec,
    catalogue,
    plan_day,
    restock,
    stock_plan,
    tracking,
)
from podium.demo_followups import follow_up
from podium.demo_report import DemoResult, print_summary
from podium.errors import Conflict, InsufficientStock, NotFound
from podium.events import event_counts
from podium.fulfillment import ShipIn, ship_shipment
from podium.inventory import AdjustmentIn, examine
from podium.orders import (
    HoldIn,
    NoteIn,
    OrderView,
    QueueQuery,
    add_note,
    get_order,
    hold_order,
    list_orders,
    place_order,
    release_order,
)
from podium.payments import settle_orders

__all__ = ["DemoResult", "run_demo"]

ACTOR = "demo"
WAVES = 12  # the warehouses ship in waves through the day, about every two hours
SHIP_SHARE = 0.4  # share of a wave's ready shipments that leave the dock

_Step = Callable[[], None]
_Receipts = list[tuple[str, str, int]]  # sku, warehouse, units


@dataclass
class StoryClock:
    """The simulated time the services stamp on what they write; never past ``end``."""

    at: datetime
    end: datetime

    def __call__(self) -> datetime:
        return self.at

    def set(self, at: datetime) -> None:
        self.at = min(at, self.end)


@dataclass
class _Day:
    """What the simulation carries between orders and shipping waves."""

    podium: Podium
    rng: Random
    result: DemoResult
    clock: StoryClock
    to_ship: list[tuple[str, str, str, int]] = field(default_factory=list)  # order, no., shp, i
    shipped: list[tuple[str, datetime]] = field(default_factory=list)  # order id, when it left
    unshipped: list[str] = field(default_factory=list)  # shipments still open at the day's end
    to_cancel: list[tuple[str, str]] = field(default_factory=list)  # order id, reason
    backorders: list[str] = field(default_factory=list)


def run_demo(
    podium: Podium,
    *,
    orders: int,
    seed: int,
    console: Console,
    serve_command: str = "podium serve",
) -> DemoResult:
    """Seed (or reuse) the demo store, simulate ``orders`` orders, print a summary and how to
    look at it (``serve_command`` is how this user starts the server on this database)."""
    started, db, rng, result = time.perf_counter(), podium.db, Random(seed), DemoResult()
    products = catalogue()
    result.reused_store = _store_exists(db, products)
    stock = stock_plan(rng, products, orders)
    now = datetime.now(UTC)
    web_from = _next_external_id(db, "web", 1001)
    pos_from = _next_external_id(db, "pos", 1)
    day = plan_day(rng, products, set(stock.shelf), orders, now, web_from, pos_from)
    end = now.replace(minute=0, second=0, microsecond=0)  # plan_day's day ends on this hour
    first = min((d.intake.placed_at or end for d in day), default=end)
    clock = StoryClock(first - timedelta(hours=1), end)  # the store opens before the first order
    if result.reused_store:
        console.print("Found the demo store from an earlier run: receiving a morning delivery "
                      "and adding another day of orders.")  # fmt: skip
    with Progress(
        TextColumn("{task.description:<20}"), BarColumn(), MofNCompleteColumn(),
        TimeElapsedColumn(), console=console,
    ) as progress, clock_set(clock):  # fmt: skip
        setup = progress.add_task("Stocking the store", total=len(products) + len(stock.receipts))

        def step() -> None:
            progress.advance(setup)

        if result.reused_store:
            progress.advance(setup, len(products))
        else:
            _create_store(db, products, step)
            for sku, wh, units in stock.safety:
                inventory.set_safety_stock(db, sku, wh, units)
        reference = "morning delivery" if result.reused_store else "opening stock"
        _receive(db, stock.receipts, reference, step)
        podium.geocoder.locate(postal_code=STORE.postal_code, country="US")  # loads ZIP codes
        result.setup_seconds = time.perf_counter() - started
        task = progress.add_task("Simulating the day", total=len(day))
        day_started = time.perf_counter()
        delivery = restock(rng, products, stock.scarce, orders)
        state = _Day(podium, rng, result, clock)
        _simulate(state, day, delivery, f"PO-{now:%y%m%d}-2", lambda: progress.advance(task))
        result.seconds = time.perf_counter() - day_started
        result.after = follow_up(
            podium, rng, clock.set, shipped=state.shipped, unshipped=state.unshipped, end=end
        )
    result.doctor_ok = examine(db).ok
    _, result.api_key = create_key(db, "demo", "admin")
    result.url = browse_url(podium.settings.host, podium.settings.port)
    result.serve_command = serve_command
    print_summary(console, result, len(day), event_counts(db).get("pending", 0))
    return result


def _simulate(
    day: _Day, orders: list[PlannedOrder], delivery: _Receipts, reference: str, step: _Step
) -> None:
    """Orders in time order; a shipping wave every ~2 h; at mid-day, a delivery of scarce SKUs."""
    every, restocked = max(1, len(orders) // WAVES), False
    for i, planned in enumerate(orders, 1):
        day.clock.set(planned.intake.placed_at or day.clock.at)
        _place(day, planned)
        if i % every == 0 or i == len(orders):
            day.clock.set(day.clock.at + timedelta(minutes=day.rng.randint(10, 40)))
            midday = not restocked and i >= len(orders) // 2
            if midday:
                _receive(day.podium.db, delivery, reference, lambda: None)
                day.result.restocked_skus = len({sku for sku, _, _ in delivery})
                restocked = True
            _wave(day, fill_backorders=midday)
        step()


def _store_exists(db: Database, products: list[ProductSpec]) -> bool:
    """True when an earlier demo built the store; refuses a database that is someone else's."""
    try:
        catalog.get_channel(db, "web")
    except NotFound:
        return False
    known = {w.code for w in catalog.read_warehouses(db)}
    missing = [w.code for w in WAREHOUSES if w.code not in known]
    try:
        catalog.get_channel(db, "pos")
        for p in products[::40] + products[-1:]:  # a sample is proof enough
            catalog.get_product(db, p.sku)
    except NotFound as exc:
        missing.append(exc.message)
    if missing:
        raise Conflict(
            "This database already has a 'web' channel but not the demo store "
            f"(missing: {', '.join(missing[:3])}), so it holds a store of your own (the "
            "README's tour, say) and the demo will not write into it. Give the demo a "
            "database of its own: `podium demo --database demo.db`, then "
            "`podium serve --database demo.db` (or `make demo`, then `make run-demo`).",
            code="demo_store_conflict",
            details={"field": "database"},
        )
    return True


def _next_external_id(db: Database, channel: str, first: int) -> int:
    """Carry on after the newest order's external id, so a second day never repeats one."""
    items = list_orders(db, QueueQuery(channel=channel, limit=1)).items
    digits = re.sub(r"\D", "", items[0].external_id or "") if items else ""
    return max(first, int(digits) + 1) if digits else first


def _create_store(db: Database, products: list[ProductSpec], step: _Step) -> None:
    for w in WAREHOUSES:
        address = WarehouseAddress(line1=w.line1, city=w.city, region=w.region,
                                   postal_code=w.postal_code, country="US")  # fmt: skip
        catalog.create_warehouse(db, WarehouseIn(
            code=w.code, name=w.name, address=address, latitude=w.latitude,
            longitude=w.longitude, priority=w.priority,
        ))  # fmt: skip
    channels.create_channel(db, ChannelIn(code="web", name="Web store", type="manual"))
    channels.create_channel(
        db, ChannelIn(code="pos", name="Atlanta store till", type="pos", warehouses=[STORE.code])
    )
    for p in products:
        catalog.create_product(db, ProductIn(sku=p.sku, name=p.name, weight_grams=p.weight_grams))
        step()


def _receive(db: Database, receipts: _Receipts, ref: str, step: _Step) -> None:
    for sku, wh, units in receipts:
        inventory.adjust(
            db,
            AdjustmentIn(sku=sku, warehouse=wh, quantity=units, reason="receipt", reference=ref),
            ACTOR,
        )
        step()


def _place(day: _Day, planned: PlannedOrder) -> None:
    db, result = day.podium.db, day.result
    try:
        placed = place_order(db, planned.intake, allocator=day.podium.allocator, actor=ACTOR)
    except InsufficientStock:
        result.rejected += 1
        return
    if not placed.created:  # an external id someone else already used: not ours to touch
        return
    order = placed.order
    result.placed += 1
    settle_orders(db, [order.id], day.podium.gateways)  # the channel captures at checkout
    backordered = order.status == "on_hold"
    result.backordered += backordered
    placed_at, clock = day.clock.at, day.clock
    if planned.note:  # support's call comes in a little later
        clock.set(placed_at + timedelta(minutes=day.rng.randint(5, 45)))
        add_note(db, order.id, NoteIn(message=planned.note), "support")
        result.notes += 1
        clock.set(placed_at)
    if planned.hold:
        clock.set(placed_at + timedelta(minutes=day.rng.randint(2, 20)))
        hold_order(db, order.id, HoldIn(reason="manual", note=planned.hold), "ops")
        result.held += 1
    elif planned.cancel:
        day.to_cancel.append((order.id, planned.cancel))  # the customer writes in later
    elif backordered:
        day.backorders.append(order.id)
    elif order.handed_over == "in_store":  # handed over at the till when it was placed
        result.shipped_shipments += len(order.shipments)
        day.shipped.append((order.id, placed_at))
    else:
        _queue(day, order)


def _queue(day: _Day, order: OrderView) -> None:
    open_ = [s for s in order.shipments if s.status in ("pending", "released")]
    day.to_ship.extend((order.id, order.number, s.id, i) for i, s in enumerate(open_))


def _wave(day: _Day, *, fill_backorders: bool) -> None:
    """Cancellations that came in, backorders the delivery can fill, then a shipping wave."""
    db, result = day.podium.db, day.result
    for order_id, reason in day.to_cancel:
        returns.cancel_order(db, order_id, "support", day.podium.gateways, reason)
        result.cancelled += 1
    day.to_cancel.clear()
    if fill_backorders:
        for order_id in day.backorders:
            held = [h for h in get_order(db, order_id).holds if h.reason == "backorder"]
            if not held:
                continue
            after = release_order(
                db, order_id, "ops", allocator=day.podium.allocator, hold_id=held[0].id
            )
            if after.status == "ready":
                result.backorders_filled += 1
                _queue(day, after)
        day.backorders.clear()
    for order_id, number, shipment_id, index in day.to_ship:
        if day.rng.random() >= SHIP_SHARE:
            day.unshipped.append(shipment_id)
            continue
        carrier, service, number_, url = tracking(day.rng, number, index)
        ship_shipment(db, shipment_id, ShipIn(
            tracking_number=number_, carrier=carrier, service=service, tracking_url=url,
        ), "warehouse")  # fmt: skip
        result.shipped_shipments += 1
        day.shipped.append((order_id, day.clock.at))
    day.to_ship.clear()
