"""Pre-orders on both engines (issue 16 item 4): a channel with a cap sells ahead of a sent
purchase order, the order promised for the PO's expected day; past the cap (or the stock on
its way) the order is refused; concurrent orders never exceed the cap; receiving the PO turns
the waiting units into ordinary reservations and the doctor stays clean."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from test_purchase_orders_api import PO, acme

from notify_fakes import drain
from podium import inventory
from podium.bootstrap import Podium
from podium.errors import InsufficientStock
from podium.orders import OrderIntake, place_order
from support import Api, order_body, seed_store

EXPECTED = "2027-01-15"


def sent_po(api: Api, quantity: int) -> str:
    body = {
        "supplier": "ACME",
        "warehouse": "WEST",
        "lines": [{"sku": "TEE", "quantity": quantity}],
        "expected_on": EXPECTED,
    }
    number = api.ok("post", PO, body)["number"]
    assert api.ok("post", f"{PO}/{number}/send?email=false")["status"] == "sent"
    return str(number)


def cap(api: Api, channel: str, units: int | None) -> None:
    r = api.client.put(
        f"/api/v1/planning/preorder-caps/{channel}",
        json={"cap": units},
        headers=api.headers("operator"),
    )
    assert r.status_code == 200, r.text


def test_orders_beyond_stock_are_preorders_within_the_cap_and_fill_on_receipt(
    api: Api, podium: Podium
) -> None:
    seed_store(api, {("TEE", "WEST"): 2}, warehouses=("WEST",))
    acme(api)
    refused = api.post("/orders", order_body([("TEE", 3)]))
    assert refused.status_code == 409  # no cap yet: short is short
    cap(api, "web", 5)
    assert api.post("/orders", order_body([("TEE", 3)])).status_code == 409  # nothing sent yet
    number = sent_po(api, 4)
    first = api.post("/orders", order_body([("TEE", 5)]))
    assert first.status_code == 201, first.text
    order = first.json()
    assert order["status"] == "on_hold" and order["promised_date"] == EXPECTED
    assert [ln["quantity_backordered"] for ln in order["lines"]] == [3]
    timeline = api.ok("get", f"/orders/{order['id']}/timeline")
    assert any(e["type"] == "order.preordered" for e in timeline["items"])
    over_po = api.post("/orders", order_body([("TEE", 2)]))  # 3 + 2 > the 4 on the PO
    assert over_po.status_code == 409, over_po.text
    second = api.post("/orders", order_body([("TEE", 1)]))
    assert second.status_code == 201 and second.json()["promised_date"] == EXPECTED
    cap(api, "web", 4)
    assert api.post("/orders", order_body([("TEE", 1)])).status_code == 409  # cap reached
    assert api.ok("get", "/planning/preorder-caps")[0]["cap"] == 4
    api.ok("post", f"{PO}/{number}/receipts", {"lines": [{"sku": "TEE", "quantity": 4}]})
    drain(podium)
    for placed in (order, second.json()):
        view = api.ok("get", f"/orders/{placed['id']}")
        assert view["status"] == "ready", view
        assert all(ln["quantity_backordered"] == 0 for ln in view["lines"])
    stock = api.ok("get", "/inventory/TEE")
    assert (stock["on_hand"], stock["reserved"]) == (6, 6)
    assert inventory.examine(podium.db).ok


def test_concurrent_orders_never_sell_ahead_past_the_cap(api: Api, podium: Podium) -> None:
    seed_store(api, {("TEE", "WEST"): 0}, skus=["TEE"], warehouses=("WEST",))
    acme(api)
    sent_po(api, 100)
    cap(api, "web", 5)
    intake = OrderIntake.model_validate(order_body([("TEE", 1)]))

    def place(_: int) -> bool:
        try:
            place_order(podium.db, intake, allocator=podium.allocator, actor="test")
        except InsufficientStock:
            return False
        return True

    with ThreadPoolExecutor(6) as pool:
        results = list(pool.map(place, range(12)))
    assert results.count(True) == 5
    held = api.ok("get", "/orders?status=on_hold")["items"]
    assert len(held) == 5 and {o["promised_date"] for o in held} == {EXPECTED}
    assert inventory.examine(podium.db).ok
