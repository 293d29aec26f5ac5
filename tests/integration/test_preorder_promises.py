"""Pre-orders follow their purchase orders (issue 16 item 4): moving a sent PO's expected day
moves the promises made against it, cancelling it moves them to another PO that covers them
or clears them (the orders keep waiting on their backorder hold), each with a timeline entry;
``PATCH /purchase-orders/{n}`` names the field it refuses."""

from __future__ import annotations

from typing import Any

from test_preorders import cap
from test_purchase_orders_api import PO, acme

from support import Api, order_body, seed_store


def _sent(api: Api, units: int, expected: str) -> str:
    body = {
        "supplier": "ACME",
        "warehouse": "WEST",
        "lines": [{"sku": "TEE", "quantity": units}],
        "expected_on": expected,
    }
    number = str(api.ok("post", PO, body)["number"])
    api.ok("post", f"{PO}/{number}/send?email=false")
    return number


def _patch(api: Api, number: str, body: Any) -> Any:
    return api.client.patch(f"/api/v1{PO}/{number}", json=body, headers=api.headers("operator"))


def _promise(api: Api, order_id: str) -> tuple[str, str | None]:
    view = api.ok("get", f"/orders/{order_id}")
    return view["status"], view["promised_date"]


def _changes(api: Api, order_id: str) -> list[dict[str, Any]]:
    items = api.ok("get", f"/orders/{order_id}/timeline")["items"]
    return [e for e in items if e["type"] == "order.promise_changed"]


def test_pre_order_promises_follow_their_purchase_orders(api: Api) -> None:
    seed_store(api, {("TEE", "WEST"): 1}, warehouses=("WEST",))
    acme(api)
    cap(api, "web", 10)
    first_po = _sent(api, 4, "2027-01-15")
    second_po = _sent(api, 3, "2027-02-01")
    a = api.post("/orders", order_body([("TEE", 4)])).json()  # 1 from stock, 3 ahead
    b = api.post("/orders", order_body([("TEE", 2)])).json()  # 5 waiting: needs both POs
    assert (a["promised_date"], b["promised_date"]) == ("2027-01-15", "2027-02-01")

    moved = _patch(api, first_po, {"expected_on": "2027-01-20"})
    assert moved.status_code == 200 and moved.json()["expected_on"] == "2027-01-20"
    assert _promise(api, a["id"]) == ("on_hold", "2027-01-20")
    assert _promise(api, b["id"]) == ("on_hold", "2027-02-01")  # still the later PO
    [entry] = _changes(api, a["id"])
    assert entry["data"]["previous"] == "2027-01-15"
    assert first_po in entry["data"]["reason"]
    assert _changes(api, b["id"]) == []

    api.ok("post", f"{PO}/{second_po}/cancel")
    assert _promise(api, b["id"]) == ("on_hold", None)  # nothing covers it: no promise
    [cleared] = _changes(api, b["id"])
    assert cleared["data"]["promised_date"] is None and "cancelled" in cleared["data"]["reason"]
    assert _promise(api, a["id"]) == ("on_hold", "2027-01-20")
    api.ok("post", f"{PO}/{first_po}/cancel")
    assert _promise(api, a["id"]) == ("on_hold", None)
    assert len(_changes(api, a["id"])) == 2


def test_changing_a_purchase_order_refuses_bad_input_naming_the_field(api: Api) -> None:
    seed_store(api, {("TEE", "WEST"): 1}, warehouses=("WEST",))
    acme(api)
    number = _sent(api, 4, "2027-01-15")
    for body, code in (
        ({"expected_on": "soon"}, 422),
        ({}, 422),
        ({"expected_on": "2001-01-01"}, 422),
    ):
        r = _patch(api, number, body)
        assert r.status_code == code, r.text
        assert r.json()["error"]["details"]["field"] == "expected_on", r.text
    assert _patch(api, "PO-999999", {"expected_on": "2027-02-01"}).status_code == 404
    api.ok("post", f"{PO}/{number}/cancel")
    r = _patch(api, number, {"expected_on": "2027-02-01"})
    assert r.status_code == 409 and r.json()["error"]["code"] == "invalid_transition"
    assert api.ok("get", f"{PO}/{number}")["expected_on"] == "2027-01-15"


def test_an_edit_short_of_stock_becomes_a_pre_order_within_the_cap(api: Api) -> None:
    seed_store(api, {("TEE", "WEST"): 2}, warehouses=("WEST",))
    acme(api)
    cap(api, "web", 3)
    order = api.post("/orders", order_body([("TEE", 1)])).json()
    edit = {"lines": [{"sku": "TEE", "quantity": 4}]}
    refused = api.client.post(
        f"/api/v1/orders/{order['id']}/edit", json=edit, headers=api.headers("operator")
    )
    assert refused.status_code == 409, refused.text  # nothing on its way yet
    _sent(api, 5, "2027-01-15")
    done = api.client.post(
        f"/api/v1/orders/{order['id']}/edit", json=edit, headers=api.headers("operator")
    )
    assert done.status_code == 200, done.text
    assert _promise(api, order["id"]) == ("on_hold", "2027-01-15")
