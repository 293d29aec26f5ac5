"""Re-delivering an order through the API (issue 12, item 2): the same lines and money give the
same order back; different lines or money are 409 ``idempotency_conflict``, with or without an
Idempotency-Key, and nothing is written. Both engines."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from podium.bootstrap import Podium
from podium.orders.model import OrderIntake
from podium.orders.placement import place_order
from support import Api, order_body, seed_store


def test_redelivery_with_different_lines_and_no_key_is_a_conflict(api: Api) -> None:
    seed_store(api, {("TEE", "EAST"): 5, ("CAP", "EAST"): 5})
    first = api.ok("post", "/orders", order_body([("TEE", 1)], external_id="1001"))
    r = api.post("/orders", order_body([("TEE", 2)], external_id="1001"))
    assert r.status_code == 409, r.text
    err = r.json()["error"]
    assert err["code"] == "idempotency_conflict"
    assert err["details"] == {"field": "lines", "differs": ["lines"], "order_id": first["id"]}
    other_sku = api.post("/orders", order_body([("CAP", 1)], external_id="1001"))
    assert other_sku.json()["error"]["code"] == "idempotency_conflict"
    assert len(api.ok("get", "/orders")["items"]) == 1
    assert api.ok("get", "/inventory/TEE")["reserved"] == 1


def test_redelivery_with_different_money_names_what_differs(api: Api) -> None:
    seed_store(api, {("TEE", "EAST"): 5})
    api.ok("post", "/orders", order_body([("TEE", 1)], external_id="m1", shipping_total="5.00"))
    body = order_body([("TEE", 1)], external_id="m1", shipping_total="6.00", tax_total="1.00")
    r = api.post("/orders", body)
    assert r.status_code == 409
    assert r.json()["error"]["details"]["differs"] == ["shipping_total", "tax_total"]
    priced = order_body([("TEE", 1)], external_id="m1", shipping_total="5.00")
    priced["lines"][0]["unit_price"] = "9.99"
    assert api.post("/orders", priced).json()["error"]["details"]["differs"] == ["lines"]
    euros = order_body([("TEE", 1)], external_id="m1", shipping_total="5.00", currency="EUR")
    assert api.post("/orders", euros).json()["error"]["details"]["differs"] == ["currency"]


def test_identical_redelivery_returns_the_same_order_even_if_other_fields_differ(
    api: Api,
) -> None:
    seed_store(api, {("TEE", "EAST"): 5, ("CAP", "EAST"): 5})
    body = order_body([("TEE", 1), ("CAP", 2)], external_id="same")
    first = api.post("/orders", body)
    # The lines in another order, a new note: still the same order (lines and money agree).
    again = order_body([("CAP", 2), ("TEE", 1)], external_id="same", note="resent")
    second = api.post("/orders", again)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]


def test_conflicting_key_redelivery_is_an_idempotency_conflict(api: Api) -> None:
    seed_store(api, {("TEE", "EAST"): 5})
    h = {"Idempotency-Key": "chk-9"}
    api.ok("post", "/orders", order_body([("TEE", 1)]))
    assert api.post("/orders", order_body([("TEE", 1)]), headers=h).status_code == 201
    r = api.post("/orders", order_body([("TEE", 3)]), headers=h)
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "idempotency_conflict"


def test_concurrent_identical_redeliveries_make_one_order(api: Api, podium: Podium) -> None:
    seed_store(api, {("TEE", "EAST"): 10})
    intake = OrderIntake.model_validate(order_body([("TEE", 2)], external_id="race-1"))

    def place(_: int) -> tuple[str, bool]:
        placed = place_order(
            podium.db, intake, allocator=podium.allocator, actor="test", refuse_changes=True
        )
        return placed.order.id, placed.created

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(place, range(8)))
    assert len({order_id for order_id, _ in results}) == 1
    assert sorted(created for _, created in results) == [False] * 7 + [True]
    assert api.ok("get", "/inventory/TEE")["reserved"] == 2
