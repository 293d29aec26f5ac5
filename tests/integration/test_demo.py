"""``podium demo`` end to end on each engine: the real services, a real ledger."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from rich.console import Console

from podium.access.service import authenticate
from podium.bootstrap import bootstrap
from podium.catalog.service import list_channels, list_warehouses
from podium.config import Settings
from podium.db.database import as_utc
from podium.db.tables import (
    order_events,
    order_holds,
    orders,
    payment_transactions,
    returns,
    shipments,
    stock_movements,
)
from podium.demo import run_demo
from podium.demo_followups import ERP_WEBHOOK
from podium.fulfillment.queue import late_shipments
from podium.inventory.doctor import examine
from podium.notify.webhooks import list_subscriptions
from podium.orders.lifecycle import list_orders
from podium.orders.queue import QueueQuery
from podium.returns.queue import ReturnsQuery
from podium.returns.service import list_returns


def test_demo_seeds_a_store_and_places_orders_that_keep_the_ledger_balanced(
    database_url: str,
) -> None:
    p = bootstrap(Settings(database_url=database_url))
    try:
        out = io.StringIO()
        result = run_demo(p, orders=150, seed=1, console=Console(file=out, width=120))

        assert {w.code for w in list_warehouses(p.db)} == {"EWR", "DFW", "RNO", "ATL"}
        assert {c.code: c.type for c in list_channels(p.db)} == {"web": "manual", "pos": "pos"}
        assert result.placed > 100
        assert result.placed + result.rejected == 150  # every order either placed or refused
        assert result.shipped_shipments > 0
        assert result.doctor_ok and examine(p.db).ok
        orders = list_orders(p.db, QueueQuery(limit=200)).items
        assert len(orders) == result.placed
        assert {o.status for o in orders} >= {"ready", "shipped"}
        key = authenticate(p.db, result.api_key)
        assert key is not None and key.role == "admin" and key.name == "demo"
        text = out.getvalue()
        assert result.url == "http://127.0.0.1:8000/" and result.url in text
        assert result.api_key in text

        # Every dashboard page has something to show: returns at their stages with refunds,
        # captured payments, a short pick, late parcels, a webhook that will fail.
        after = result.after
        rmas = list_returns(p.db, ReturnsQuery(limit=100)).items
        assert len(rmas) == after.returns >= 3
        assert after.refunds >= 1 and after.refunded_cents > 0
        assert sum(len(r.refunds) for r in rmas) == after.refunds
        assert "Returns opened" in text and "Refunds" in text
        assert all(o.payment_status != "pending" for o in orders if o.status != "cancelled")
        assert after.short_picked >= 1 and after.late >= 1
        assert late_shipments(p.db) >= after.late
        assert [w.url for w in list_subscriptions(p.db)] == [ERP_WEBHOOK]

        # A second run finds the store, adds another day with fresh external ids, stays balanced.
        again = run_demo(p, orders=20, seed=1, console=Console(file=io.StringIO()))
        assert again.reused_store and not result.reused_store
        assert again.placed > 0
        orders = list_orders(p.db, QueueQuery(limit=500)).items
        assert len(orders) == result.placed + again.placed
        assert len({(o.channel, o.external_id) for o in orders}) == len(orders)
        assert examine(p.db).ok
        assert [w.url for w in list_subscriptions(p.db)] == [ERP_WEBHOOK]  # not a second one
    finally:
        p.close()


def test_demo_stamps_every_step_with_the_time_it_happens_in_the_story(database_url: str) -> None:
    p = bootstrap(Settings(database_url=database_url))
    try:
        ran_at = datetime.now(UTC)
        run_demo(p, orders=150, seed=1, console=Console(file=io.StringIO()))
        day_ends = ran_at.replace(minute=0, second=0, microsecond=0)
        with p.db.read() as conn:
            placed = {
                r.id: (r.number, as_utc(r.placed_at))
                for r in conn.execute(sa.select(orders.c.id, orders.c.number, orders.c.placed_at))
            }
            events = conn.execute(sa.select(order_events.c.order_id, order_events.c.at)).all()
            holds = conn.execute(sa.select(order_holds.c.order_id, order_holds.c.created_at)).all()
            moves = conn.execute(sa.select(stock_movements.c.reference, stock_movements.c.at))
            moved = [(ref, as_utc(at)) for ref, at in moves]
            shipped = conn.execute(
                sa.select(shipments.c.order_id, shipments.c.shipped_at).where(
                    shipments.c.shipped_at.is_not(None)
                )
            ).all()
            returned = conn.execute(sa.select(returns.c.order_id, returns.c.created_at)).all()
            paid = conn.execute(
                sa.select(payment_transactions.c.order_id, payment_transactions.c.created_at)
            ).all()
        assert placed and events and holds and shipped and returned and paid
        by_number = dict(placed.values())
        first = min(at for _, at in placed.values())
        for order_id, at in [*events, *holds, *shipped, *returned, *paid]:
            # Nothing happens to an order before it is placed, nor after the story's day ends.
            assert placed[order_id][1] <= as_utc(at) <= day_ends
        for reference, at in moved:
            assert first - timedelta(hours=2) <= at <= day_ends  # opening stock, then the day
            if reference in by_number:
                assert at >= by_number[reference]
        placed_events = {
            order_id: as_utc(at) for order_id, at in events if as_utc(at) == placed[order_id][1]
        }
        assert set(placed_events) == set(placed)  # the placing entry says when the order came in
    finally:
        p.close()
