"""``podium demo`` end to end on each engine: the real services, a real ledger."""

from __future__ import annotations

import io

from rich.console import Console

from podium.access.service import authenticate
from podium.bootstrap import bootstrap
from podium.catalog.service import list_channels, list_warehouses
from podium.config import Settings
from podium.demo import run_demo
from podium.inventory.doctor import examine
from podium.orders.lifecycle import list_orders
from podium.orders.queue import QueueQuery


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

        # A second run finds the store, adds another day with fresh external ids, stays balanced.
        again = run_demo(p, orders=20, seed=1, console=Console(file=io.StringIO()))
        assert again.reused_store and not result.reused_store
        assert again.placed > 0
        orders = list_orders(p.db, QueueQuery(limit=500)).items
        assert len(orders) == result.placed + again.placed
        assert len({(o.channel, o.external_id) for o in orders}) == len(orders)
        assert examine(p.db).ok
    finally:
        p.close()
