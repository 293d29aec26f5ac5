"""A flash sale: many buyers at one SKU at once (group commit) and the waiting room after."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import sqlalchemy as sa

from podium import inventory
from podium.bootstrap import Podium
from podium.db.tables import outbox
from podium.errors import InsufficientStock
from podium.orders.group_commit import group_commit
from podium.orders.model import OrderIntake
from podium.orders.placement import place_order
from support import Api, order_body, seed_store


@pytest.fixture(autouse=True)
def _hot_path_on(monkeypatch: pytest.MonkeyPatch) -> None:
    """Both are opt-in until they honour pre-order caps (docs/operations.md)."""
    monkeypatch.setenv("PODIUM_GROUP_COMMIT", "on")
    monkeypatch.setenv("PODIUM_WAITING_ROOM", "on")


def _place(podium: Podium, body: dict[str, Any]) -> tuple[str, bool] | str:
    intake = OrderIntake.model_validate(body)
    try:
        placed = place_order(
            podium.db, intake, allocator=podium.allocator, actor="test", refuse_changes=True
        )
    except InsufficientStock as e:
        return e.code
    return placed.order.id, placed.created


def test_a_rush_on_one_sku_sells_exactly_the_stock_each_buyer_getting_their_own_answer(
    api: Api, podium: Podium
) -> None:
    seed_store(api, {("TEE", "EAST"): 5}, skus=["TEE"])
    bodies = [order_body([("TEE", 1)], external_id=f"rush-{i}") for i in range(14)]
    with ThreadPoolExecutor(4) as pool:
        first = list(pool.map(lambda b: _place(podium, b), bodies))
    sold = [r for r in first if isinstance(r, tuple)]
    assert len(sold) == 5 and all(created for _, created in sold)
    assert first.count("insufficient_stock") == 9
    assert group_commit(podium.db).grouped > 0  # the rush went through shared transactions
    stock = api.ok("get", "/inventory/TEE")
    assert (stock["on_hand"], stock["reserved"], stock["available"]) == (5, 5, 0)
    ledger = api.ok("get", "/inventory/TEE/movements?limit=200")["items"]
    assert sorted(m["reference"] for m in ledger if m["kind"] == "reservation") == sorted(
        api.ok("get", f"/orders/{order_id}")["number"] for order_id, _ in sold
    )
    assert api.ok("get", "/doctor")["ok"] is True
    with podium.db.read() as conn:  # a refused member of a group left no event behind
        created = conn.execute(
            sa.select(sa.func.count()).where(outbox.c.event_type == "order.created")
        ).scalar_one()
    assert created == 5
    # Retries (a client that timed out) get their own order back, or the same refusal.
    with ThreadPoolExecutor(4) as pool:
        again = list(pool.map(lambda b: _place(podium, b), bodies))
    assert again == [(r[0], False) if isinstance(r, tuple) else r for r in first]


def test_a_sold_out_sku_is_refused_from_memory_as_the_normal_path_refuses_it(
    api: Api, podium: Podium
) -> None:
    seed_store(api, {("TEE", "EAST"): 1}, skus=["TEE"])
    room = inventory.sold_out(podium.db.engine)
    api.ok("post", "/orders", order_body([("TEE", 1)], external_id="last"))
    normal = api.post("/orders", order_body([("TEE", 2)], external_id="late-1"))
    assert room.refused == 0
    remembered = api.post("/orders", order_body([("TEE", 2)], external_id="late-2"))
    assert room.refused == 1
    assert (remembered.status_code, remembered.json()) == (normal.status_code, normal.json())
    assert normal.json()["error"]["details"]["lines"] == [
        {"sku": "TEE", "requested": 2, "available": 0}
    ]
    # A repeat of an order placed before still gets its order, not the refusal.
    assert api.post("/orders", order_body([("TEE", 1)], external_id="last")).status_code == 200
    # A channel order that may backorder is not refused.
    held = api.ok("post", "/orders", order_body([("TEE", 1)], on_shortage="backorder"))
    assert held["status"] == "on_hold"


def test_a_restock_or_a_release_lets_the_next_order_through_at_once(
    api: Api, podium: Podium
) -> None:
    seed_store(api, {("TEE", "EAST"): 1}, skus=["TEE"])
    room = inventory.sold_out(podium.db.engine)
    first = api.ok("post", "/orders", order_body([("TEE", 1)], external_id="a"))
    assert api.post("/orders", order_body([("TEE", 1)], external_id="b")).status_code == 409
    assert api.post("/orders", order_body([("TEE", 1)], external_id="b")).status_code == 409
    assert room.refused == 1
    api.ok("post", f"/orders/{first['id']}/cancel", {"reason": "changed mind"})
    assert api.post("/orders", order_body([("TEE", 1)], external_id="b")).status_code == 201
    assert api.post("/orders", order_body([("TEE", 1)], external_id="c")).status_code == 409
    api.ok(
        "post",
        "/inventory/adjustments",
        {"sku": "TEE", "warehouse": "WEST", "quantity": 1, "reason": "receipt"},
    )
    assert api.post("/orders", order_body([("TEE", 1)], external_id="c")).status_code == 201
    assert api.ok("get", "/doctor")["ok"] is True
