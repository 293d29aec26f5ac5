"""``podium demo``: seed a realistic store and run a day of orders through the real services.

The store (four warehouses, a web shop and a store till, 240 SKUs, skewed stock) and the day's
orders come from :mod:`podium.demo_data`; this module feeds them through the same service
functions the API uses — placement, holds, notes, cancellation, shipping, stock receipts — so the
result is what a real day would leave behind, ledger included. Run it again on the same database
and it adds another day to the store it finds.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from random import Random

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from podium.access.service import create_key
from podium.bootstrap import Podium
from podium.catalog import service as catalog
from podium.catalog.model import ChannelIn, ProductIn, WarehouseAddress, WarehouseIn
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
from podium.errors import Conflict, InsufficientStock, NotFound
from podium.events.service import event_counts
from podium.fulfillment.service import ShipIn, ship_shipment
from podium.inventory import service as inventory
from podium.inventory.doctor import examine
from podium.inventory.model import AdjustmentIn
from podium.orders import lifecycle
from podium.orders.model import HoldIn, NoteIn, OrderView
from podium.orders.placement import place_order
from podium.returns import cancellation

__all__ = ["DemoResult", "run_demo"]

ACTOR = "demo"
WAVES = 12  # the warehouses ship in waves through the day, about every two hours
SHIP_SHARE = 0.4  # share of a wave's ready shipments that leave the dock

_Step = Callable[[], None]
_Receipts = list[tuple[str, str, int]]  # sku, warehouse, units


@dataclass
class DemoResult:
    placed: int = 0
    backordered: int = 0
    rejected: int = 0
    cancelled: int = 0
    held: int = 0
    notes: int = 0
    shipped_shipments: int = 0
    restocked_skus: int = 0
    backorders_filled: int = 0
    setup_seconds: float = 0.0
    seconds: float = 0.0
    doctor_ok: bool = False
    reused_store: bool = False
    url: str = ""
    api_key: str = ""

    @property
    def orders_per_second(self) -> float:
        attempted = self.placed + self.rejected
        return attempted / self.seconds if self.seconds > 0 else 0.0


@dataclass
class _Day:
    """What the simulation carries between orders and shipping waves."""

    podium: Podium
    rng: Random
    result: DemoResult
    to_ship: list[tuple[str, str, int]] = field(default_factory=list)  # number, shipment, index
    to_cancel: list[tuple[str, str]] = field(default_factory=list)  # order id, reason
    backorders: list[str] = field(default_factory=list)


def run_demo(podium: Podium, *, orders: int, seed: int, console: Console) -> DemoResult:
    """Seed (or reuse) the demo store, simulate ``orders`` orders, print a summary."""
    started, db, rng, result = time.perf_counter(), podium.db, Random(seed), DemoResult()
    products = catalogue()
    result.reused_store = _store_exists(db, products)
    stock = stock_plan(rng, products, orders)
    now = datetime.now(UTC)
    web_from = _next_external_id(db, "web", 1001)
    pos_from = _next_external_id(db, "pos", 1)
    day = plan_day(rng, products, set(stock.shelf), orders, now, web_from, pos_from)
    if result.reused_store:
        console.print("Found the demo store from an earlier run: receiving a morning delivery "
                      "and adding another day of orders.")  # fmt: skip
    with Progress(
        TextColumn("{task.description:<20}"), BarColumn(), MofNCompleteColumn(),
        TimeElapsedColumn(), console=console,
    ) as progress:  # fmt: skip
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
        state = _Day(podium, rng, result)
        _simulate(state, day, delivery, f"PO-{now:%y%m%d}-2", lambda: progress.advance(task))
        result.seconds = time.perf_counter() - day_started
    result.doctor_ok = examine(db).ok
    _, result.api_key = create_key(db, "demo", "admin")
    host = "127.0.0.1" if podium.settings.host in ("0.0.0.0", "::") else podium.settings.host
    result.url = f"http://{host}:{podium.settings.port}/"
    _summary(console, result, len(day), event_counts(db).get("pending", 0))
    return result


def _simulate(
    day: _Day, orders: list[PlannedOrder], delivery: _Receipts, reference: str, step: _Step
) -> None:
    """Orders in time order; a shipping wave every ~2 h; at mid-day, a delivery of scarce SKUs."""
    every, restocked = max(1, len(orders) // WAVES), False
    for i, planned in enumerate(orders, 1):
        _place(day, planned)
        if i % every == 0 or i == len(orders):
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
    known = {w.code for w in catalog.list_warehouses(db)}
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
            f"(missing: {', '.join(missing[:3])}). Run the demo on a database of its own, e.g. "
            "PODIUM_DATABASE_URL=sqlite:///./demo.db podium demo",
            code="demo_store_conflict",
        )
    return True


def _next_external_id(db: Database, channel: str, first: int) -> int:
    """Carry on after the newest order's external id, so a second day never repeats one."""
    items, _ = lifecycle.list_orders(db, channel=channel, limit=1)
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
    catalog.create_channel(db, ChannelIn(code="web", name="Web store", type="manual"))
    catalog.create_channel(
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
        placed = place_order(db, planned.intake, geocoder=day.podium.geocoder, actor=ACTOR)
    except InsufficientStock:
        result.rejected += 1
        return
    if not placed.created:  # an external id someone else already used: not ours to touch
        return
    order = placed.order
    result.placed += 1
    backordered = order.status == "on_hold"
    result.backordered += backordered
    if planned.note:
        lifecycle.add_note(db, order.id, NoteIn(message=planned.note), "support")
        result.notes += 1
    if planned.hold:
        lifecycle.hold_order(db, order.id, HoldIn(reason="manual", note=planned.hold), "ops")
        result.held += 1
    elif planned.cancel:
        day.to_cancel.append((order.id, planned.cancel))  # the customer writes in later
    elif backordered:
        day.backorders.append(order.id)
    elif order.channel == "pos":
        for s in order.shipments:  # handed over at the till
            ship_shipment(db, s.id, ShipIn(carrier="in_store", service="counter"), "pos")
            result.shipped_shipments += 1
    else:
        _queue(day, order)


def _queue(day: _Day, order: OrderView) -> None:
    open_ = [s for s in order.shipments if s.status in ("pending", "released")]
    day.to_ship.extend((order.number, s.id, i) for i, s in enumerate(open_))


def _wave(day: _Day, *, fill_backorders: bool) -> None:
    """Cancellations that came in, backorders the delivery can fill, then a shipping wave."""
    db, result = day.podium.db, day.result
    for order_id, reason in day.to_cancel:
        cancellation.cancel_order(db, order_id, "support", day.podium.gateways, reason)
        result.cancelled += 1
    day.to_cancel.clear()
    if fill_backorders:
        for order_id in day.backorders:
            held = [h for h in lifecycle.get_order(db, order_id).holds if h.reason == "backorder"]
            if not held:
                continue
            after = lifecycle.release_order(db, order_id, "ops", hold_id=held[0].id)
            if after.status == "ready":
                result.backorders_filled += 1
                _queue(day, after)
        day.backorders.clear()
    for number, shipment_id, index in day.to_ship:
        if day.rng.random() >= SHIP_SHARE:
            continue
        carrier, service, number_, url = tracking(day.rng, number, index)
        ship_shipment(db, shipment_id, ShipIn(
            tracking_number=number_, carrier=carrier, service=service, tracking_url=url,
        ), "warehouse")  # fmt: skip
        result.shipped_shipments += 1
    day.to_ship.clear()


def _summary(console: Console, r: DemoResult, attempted: int, pending_events: int) -> None:
    table = Table(title="A day at the demo store", show_header=False, title_justify="left")
    table.add_column(style="bold")
    table.add_column(justify="right")
    rows = [
        ("Orders attempted", f"{attempted:,}"),
        ("Placed", f"{r.placed:,}"),
        ("  held for stock (backorder)", f"{r.backordered:,}"),
        ("  filled after the mid-day delivery", f"{r.backorders_filled:,}"),
        ("Rejected (insufficient stock)", f"{r.rejected:,}"),
        ("Cancelled", f"{r.cancelled:,}"),
        ("On manual hold", f"{r.held:,}"),
        ("Shipments shipped", f"{r.shipped_shipments:,}"),
        ("SKUs restocked mid-day", f"{r.restocked_skus:,}"),
        ("Orders/s (the whole day, through the services)", f"{r.orders_per_second:,.1f}"),
        ("Simulated day took", f"{r.seconds:.1f} s (store set-up {r.setup_seconds:.1f} s)"),
        ("podium doctor", "[green]ok[/green]" if r.doctor_ok else "[red]violations[/red]"),
        ("Events waiting in the outbox", f"{pending_events:,} (podium serve delivers them)"),
    ]
    for label, value in rows:
        table.add_row(label, value)
    console.print(table)
    console.print(
        f"Start the server with [bold]podium serve[/bold], then open [bold]{r.url}[/bold] "
        f"(API docs: {r.url}docs; use the key below with Authorize)."
    )
    console.print("Admin API key 'demo' (shown only once):")
    console.print(r.api_key, highlight=False, soft_wrap=True)
