"""Random receipts, adjustments, placements, cancellations, holds and shipments keep every
balance equal to the ledger, reservations equal to open shipments, and available ≥ 0."""

from __future__ import annotations

import contextlib
import itertools
from collections import defaultdict

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from podium.bootstrap import Podium
from podium.catalog import service as catalog
from podium.catalog.model import ProductIn, WarehouseIn
from podium.channels import records as channels
from podium.channels.records import ChannelIn
from podium.errors import Conflict
from podium.fulfillment.service import ShipIn, ship_shipment
from podium.inventory import service as inventory
from podium.inventory.doctor import examine
from podium.inventory.model import AdjustmentIn
from podium.orders import lifecycle
from podium.orders.model import HoldIn, OrderIntake
from podium.orders.placement import place_order
from podium.payments.service import paid_summary
from podium.returns import cancellation

_runs = itertools.count()
WAREHOUSES = ("W1", "W2", "W3")
SKUS = ("A", "B", "C")


def machine_for(podium: Podium) -> type[RuleBasedStateMachine]:
    class Ledger(RuleBasedStateMachine):
        @initialize()
        def store(self) -> None:
            self.p = f"r{next(_runs)}"
            self.on_hand: dict[tuple[str, str], int] = defaultdict(int)
            self.orders: list[str] = []
            db = podium.db
            channels.create_channel(db, ChannelIn(code=self.p, name="web"))
            for i, w in enumerate(WAREHOUSES):
                catalog.create_warehouse(
                    db,
                    WarehouseIn.model_validate(
                        {
                            "code": f"{self.p}{w}",
                            "name": w,
                            "address": {"country": "US"},
                            "latitude": 30.0 + i * 5,
                            "longitude": -120.0 + i * 20,
                        }
                    ),
                )
            for s in SKUS:
                catalog.create_product(db, ProductIn(sku=f"{self.p}{s}", name=s))

        def _key(self, sku: str, wh: str) -> tuple[str, str]:
            return (f"{self.p}{sku}", f"{self.p}{wh}")

        @rule(sku=st.sampled_from(SKUS), wh=st.sampled_from(WAREHOUSES), qty=st.integers(1, 6))
        def receive(self, sku: str, wh: str, qty: int) -> None:
            s, w = self._key(sku, wh)
            inventory.adjust(
                podium.db, AdjustmentIn(sku=s, warehouse=w, quantity=qty, reason="receipt"), "test"
            )
            self.on_hand[(s, w)] += qty

        @rule(
            sku=st.sampled_from(SKUS),
            wh=st.sampled_from(WAREHOUSES),
            delta=st.integers(-5, 5).filter(bool),
        )
        def adjust(self, sku: str, wh: str, delta: int) -> None:
            s, w = self._key(sku, wh)
            try:
                inventory.adjust(
                    podium.db,
                    AdjustmentIn(sku=s, warehouse=w, quantity=delta, reason="cycle_count"),
                    "test",
                )
            except Conflict:
                return
            self.on_hand[(s, w)] += delta

        @rule(
            lines=st.lists(
                st.tuples(st.sampled_from(SKUS), st.integers(1, 4)), min_size=1, max_size=3
            ),
            backorder=st.booleans(),
        )
        def place(self, lines: list[tuple[str, int]], backorder: bool) -> None:
            intake = OrderIntake.model_validate(
                {
                    "channel": self.p,
                    "currency": "USD",
                    "shipping_address": {"country": "US", "latitude": 35.0, "longitude": -100.0},
                    "lines": [
                        {"sku": f"{self.p}{s}", "quantity": q, "unit_price": "1.00"}
                        for s, q in lines
                    ],
                    "on_shortage": "backorder" if backorder else "reject",
                }
            )
            try:
                placed = place_order(podium.db, intake, allocator=podium.allocator, actor="test")
            except Conflict:
                return
            self.orders.append(placed.order.id)

        @rule(data=st.data())
        def cancel(self, data: st.DataObject) -> None:
            if not self.orders:
                return
            order_id = data.draw(st.sampled_from(self.orders))
            with contextlib.suppress(Conflict):
                cancellation.cancel_order(podium.db, order_id, "test", podium.gateways)

        @rule(data=st.data())
        def release(self, data: st.DataObject) -> None:
            if not self.orders:
                return
            order_id = data.draw(st.sampled_from(self.orders))
            with contextlib.suppress(Conflict):
                lifecycle.release_order(podium.db, order_id, "test", allocator=podium.allocator)

        @rule(data=st.data())
        def hold(self, data: st.DataObject) -> None:
            if not self.orders:
                return
            order_id = data.draw(st.sampled_from(self.orders))
            with contextlib.suppress(Conflict):
                lifecycle.hold_order(podium.db, order_id, HoldIn(reason="manual"), "test")

        @rule(data=st.data())
        def ship(self, data: st.DataObject) -> None:
            if not self.orders:
                return
            order = lifecycle.get_order(podium.db, data.draw(st.sampled_from(self.orders)))
            if not order.shipments:
                return
            shipment = data.draw(st.sampled_from(order.shipments))
            try:
                shipped = ship_shipment(podium.db, shipment.id, ShipIn(), "test")
            except Conflict:
                return
            for line in shipped.lines:
                self.on_hand[(line.sku, shipped.warehouse)] -= line.quantity

        @rule()
        def deliver_events(self) -> None:
            """The relay runs: backorders fill from whatever stock arrived."""
            while podium.relay.run_once():
                pass

        @invariant()
        def units_and_money_add_up(self) -> None:
            """Shipped units are never cancelled, and what the customer paid (captured less
            refunded) is never more than what they keep: nothing once cancelled."""
            for order_id in getattr(self, "orders", []):
                order = lifecycle.get_order(podium.db, order_id)
                for ln in order.lines:
                    assert 0 <= ln.quantity_shipped <= ln.quantity
                    assert ln.quantity_shipped + ln.quantity_cancelled <= ln.quantity
                with podium.db.read() as conn:
                    paid = paid_summary(conn, order_id)
                kept = 0 if order.status == "cancelled" else int(order.total.replace(".", ""))
                assert 0 <= paid.captured - paid.refunded <= kept, (order.status, paid, kept)

        @invariant()
        def ledger_balances(self) -> None:
            if not hasattr(self, "p"):
                return
            report = examine(podium.db)
            assert report.ok, [str(v) for v in report.violations]
            for sku in SKUS:
                view = inventory.availability(podium.db, f"{self.p}{sku}")
                for loc in view.locations:
                    assert loc.available >= 0
                    assert loc.reserved <= loc.on_hand
                    assert loc.on_hand == self.on_hand[(view.sku, loc.warehouse)]

    return Ledger


def test_random_stock_and_order_operations_keep_the_ledger_balanced(podium: Podium) -> None:
    run_state_machine_as_test(
        machine_for(podium),
        settings=settings(
            max_examples=15,
            stateful_step_count=20,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
