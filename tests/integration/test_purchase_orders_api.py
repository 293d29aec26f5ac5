"""Purchase orders and transfers through the API on both engines (issue 16 item 4): created
by hand and from suggestions, received in part and in full through the stock ledger (the
doctor stays clean), over-receipt refused, idempotent receipts, transfers shipped and received,
incoming stock counted by replenishment."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from dashboard_support import cheap_passwords, sign_in
from fastapi import FastAPI
from test_replenishment_api import forecast, put, supplier

from podium import inventory, planning
from podium.bootstrap import Podium
from podium.errors import ValidationFailed
from support import Api, seed_store

PO = "/planning/purchase-orders"


def acme(api: Api, skus: tuple[str, ...] = ("TEE",), lead: int = 10) -> None:
    api.ok("post", "/planning/suppliers", supplier("ACME", lead=lead))
    for sku in skus:
        r = put(api, "/planning/suppliers/ACME/products", {"sku": sku, "unit_cost": "3.40"})
        assert r.status_code == 200, r.text


def on_hand(api: Api, sku: str, warehouse: str) -> int:
    view = api.ok("get", f"/inventory/{sku}")
    return sum(loc["on_hand"] for loc in view["locations"] if loc["warehouse"] == warehouse)


def po(api: Api, lines: list[dict[str, Any]], **extra: Any) -> Any:
    return api.ok("post", PO, {"supplier": "ACME", "warehouse": "WEST", "lines": lines, **extra})


def test_a_po_is_received_in_part_then_in_full_through_the_ledger(api: Api, podium: Podium) -> None:
    seed_store(api, {("TEE", "WEST"): 5, ("MUG", "WEST"): 0}, skus=["MUG"])
    acme(api, ("TEE",))
    made = po(
        api, [{"sku": "TEE", "quantity": 30}, {"sku": "MUG", "quantity": 10, "unit_cost": "2"}]
    )
    assert made["number"] == "PO-000001" and made["status"] == "draft"
    assert made["lines"][1]["unit_cost"] == "3.40" and made["total"] == "122.00"
    assert made["currency"] == "EUR" and made["expected_on"] > made["created_at"][:10]
    number = made["number"]
    part = api.ok(
        "post", f"{PO}/{number}/receipts", {"key": "r1", "lines": [{"sku": "TEE", "quantity": 12}]}
    )
    assert part["status"] == "partially_received"
    assert {ln["sku"]: ln["open"] for ln in part["lines"]} == {"MUG": 10, "TEE": 18}
    assert on_hand(api, "TEE", "WEST") == 17
    again = api.ok(
        "post", f"{PO}/{number}/receipts", {"key": "r1", "lines": [{"sku": "TEE", "quantity": 12}]}
    )
    assert again["lines"] == part["lines"] and on_hand(api, "TEE", "WEST") == 17
    reused = api.post(
        f"{PO}/{number}/receipts", {"key": "r1", "lines": [{"sku": "TEE", "quantity": 1}]}
    )
    assert reused.status_code == 409 and reused.json()["error"]["code"] == "idempotency_key_reused"
    stock = api.ok("get", "/inventory/TEE")
    assert [(i["warehouse"], i["quantity"], i["document"]) for i in stock["incoming"]] == [
        ("WEST", 18, number)
    ]
    assert stock["incoming"][0]["expected_on"] == made["expected_on"]
    incoming = api.ok("get", "/planning/incoming?sku=TEE")
    assert [(i["warehouse"], i["quantity"], i["document"]) for i in incoming] == [
        ("WEST", 18, number)
    ]
    done = api.ok(
        "post",
        f"{PO}/{number}/receipts",
        {"lines": [{"sku": "TEE", "quantity": 18}, {"sku": "MUG", "quantity": 10}]},
    )
    assert done["status"] == "received" and on_hand(api, "MUG", "WEST") == 10
    assert api.ok("get", "/planning/incoming") == []
    history = api.ok("get", "/inventory/TEE/movements")["items"]
    assert [(m["kind"], m["on_hand_delta"], m["reference"]) for m in history[:2]] == [
        ("receipt", 18, number),
        ("receipt", 12, number),
    ]
    assert inventory.examine(podium.db).ok
    late = api.post(f"{PO}/{number}/receipts", {"lines": [{"sku": "TEE", "quantity": 1}]})
    assert late.status_code == 409 and late.json()["error"]["code"] == "invalid_transition"


def test_over_receipt_is_refused_naming_the_sku_unless_allowed_and_nothing_is_written(
    api: Api, podium: Podium
) -> None:
    seed_store(api, {("TEE", "WEST"): 0}, skus=["TEE"])
    acme(api)
    number = po(api, [{"sku": "TEE", "quantity": 10}])["number"]
    over = api.post(f"{PO}/{number}/receipts", {"lines": [{"sku": "TEE", "quantity": 11}]})
    assert over.status_code == 422, over.text
    error = over.json()["error"]
    assert error["code"] == "over_receipt" and error["details"]["sku"] == "TEE"
    assert error["details"]["open"] == 10
    stranger = api.post(f"{PO}/{number}/receipts", {"lines": [{"sku": "NOPE", "quantity": 1}]})
    assert stranger.status_code == 422 and stranger.json()["error"]["code"] == "unknown_line"
    assert on_hand(api, "TEE", "WEST") == 0
    assert api.ok("get", f"{PO}/{number}")["status"] == "draft"
    allowed = api.ok(
        "post",
        f"{PO}/{number}/receipts",
        {"lines": [{"sku": "TEE", "quantity": 12}], "allow_over_receipt": True},
    )
    assert allowed["status"] == "received" and allowed["lines"][0]["received"] == 12
    assert on_hand(api, "TEE", "WEST") == 12 and inventory.examine(podium.db).ok


def test_bad_po_input_is_refused_naming_the_field(api: Api) -> None:
    seed_store(api, {("TEE", "WEST"): 0, ("MUG", "WEST"): 0}, skus=["TEE", "MUG"])
    acme(api)
    for body, field in (
        ({"supplier": "NOBODY"}, "supplier"),
        ({"warehouse": "MOON"}, "warehouse"),
        ({"lines": []}, "lines"),
        ({"lines": [{"sku": "MUG", "quantity": 1}]}, "lines[0].unit_cost"),
        ({"lines": [{"sku": "TEE", "quantity": 0}]}, "quantity"),
        ({"lines": [{"sku": "TEE", "quantity": 1}, {"sku": "TEE", "quantity": 2}]}, "lines[1]"),
    ):
        full = {"supplier": "ACME", "warehouse": "WEST", "lines": [{"sku": "TEE", "quantity": 1}]}
        r = api.post(PO, {**full, **body})
        assert r.status_code == 422, (body, r.text)
        assert field in r.text, (field, r.text)
    assert api.ok("get", PO) == []


def test_a_sent_po_cancels_but_a_received_one_does_not(api: Api) -> None:
    seed_store(api, {("TEE", "WEST"): 0}, skus=["TEE"])
    acme(api)
    first = po(api, [{"sku": "TEE", "quantity": 5}])["number"]
    assert api.ok("post", f"{PO}/{first}/cancel")["status"] == "cancelled"
    second = po(api, [{"sku": "TEE", "quantity": 5}])["number"]
    assert second == "PO-000002"
    api.ok("post", f"{PO}/{second}/receipts", {"lines": [{"sku": "TEE", "quantity": 1}]})
    refused = api.post(f"{PO}/{second}/cancel")
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "invalid_transition"
    assert [p["number"] for p in api.ok("get", f"{PO}?status=cancelled")] == [first]
    assert api.get(f"{PO}/PO-999999").status_code == 404
    assert (
        api.post(
            PO, {"supplier": "ACME", "warehouse": "WEST", "lines": []}, role="readonly"
        ).status_code
        == 403
    )


def test_pos_from_suggestions_group_by_supplier_and_warehouse_and_are_not_ordered_twice(
    api: Api,
) -> None:
    seed_store(api, {("TEE", "WEST"): 5, ("CAP", "WEST"): 1, ("TEE", "EAST"): 2})
    acme(api, ("TEE", "CAP"))
    forecast(api, {("TEE", "WEST"): 10, ("CAP", "WEST"): 4, ("TEE", "EAST"): 6})
    made = api.ok("post", f"{PO}/from-suggestions", {})
    assert sorted((p["supplier"], p["warehouse"]) for p in made) == [
        ("ACME", "EAST"),
        ("ACME", "WEST"),
    ]
    west = next(p for p in made if p["warehouse"] == "WEST")
    assert sorted(ln["sku"] for ln in west["lines"]) == ["CAP", "TEE"]
    rows = api.ok("get", "/planning/replenishment?warehouse=WEST")["items"]
    tee = next(r for r in rows if r["sku"] == "TEE")
    ordered = next(ln["quantity"] for ln in west["lines"] if ln["sku"] == "TEE")
    assert tee["incoming"] == ordered and tee["position"] == 5 + ordered
    assert tee["quantity"] == 0
    assert api.ok("post", f"{PO}/from-suggestions", {}) == []


def test_a_transfer_ships_from_the_source_and_is_received_at_the_target(
    api: Api, podium: Podium
) -> None:
    seed_store(api, {("TEE", "EAST"): 20, ("TEE", "WEST"): 0})
    made = api.ok(
        "post",
        "/planning/transfers",
        {"source": "EAST", "target": "WEST", "lines": [{"sku": "TEE", "quantity": 8}]},
    )
    number = made["number"]
    assert number == "TR-000001" and made["status"] == "draft"
    assert api.ok("get", "/planning/incoming") == []
    shipped = api.ok("post", f"/planning/transfers/{number}/ship")
    assert shipped["status"] == "in_transit" and shipped["shipped_at"]
    assert on_hand(api, "TEE", "EAST") == 12 and on_hand(api, "TEE", "WEST") == 0
    assert [i["document"] for i in api.ok("get", "/planning/incoming?warehouse=WEST")] == [number]
    over = api.post(
        f"/planning/transfers/{number}/receipts", {"lines": [{"sku": "TEE", "quantity": 9}]}
    )
    assert over.status_code == 422 and over.json()["error"]["code"] == "over_receipt"
    part = api.ok(
        "post", f"/planning/transfers/{number}/receipts", {"lines": [{"sku": "TEE", "quantity": 5}]}
    )
    assert part["status"] == "partially_received" and on_hand(api, "TEE", "WEST") == 5
    done = api.ok(
        "post", f"/planning/transfers/{number}/receipts", {"lines": [{"sku": "TEE", "quantity": 3}]}
    )
    assert done["status"] == "received" and on_hand(api, "TEE", "WEST") == 8
    assert inventory.examine(podium.db).ok
    again = api.post(f"/planning/transfers/{number}/ship")
    assert again.status_code == 409


def test_a_transfer_cannot_ship_more_than_the_source_holds_and_nothing_moves(
    api: Api, podium: Podium
) -> None:
    seed_store(api, {("TEE", "EAST"): 3, ("TEE", "WEST"): 0})
    body = {"source": "EAST", "target": "WEST", "lines": [{"sku": "TEE", "quantity": 4}]}
    number = api.ok("post", "/planning/transfers", body)["number"]
    r = api.post(f"/planning/transfers/{number}/ship")
    assert r.status_code == 409 and r.json()["error"]["code"] == "insufficient_stock"
    assert api.ok("get", f"/planning/transfers/{number}")["status"] == "draft"
    assert on_hand(api, "TEE", "EAST") == 3
    same = api.post("/planning/transfers", {**body, "target": "EAST"})
    assert same.status_code == 422 and same.json()["error"]["details"]["field"] == "target"
    assert api.ok("post", f"/planning/transfers/{number}/cancel")["status"] == "cancelled"
    assert inventory.examine(podium.db).ok


def test_concurrent_receipts_never_book_more_than_was_ordered(api: Api, podium: Podium) -> None:
    seed_store(api, {("TEE", "WEST"): 0}, skus=["TEE"])
    acme(api)
    number = po(api, [{"sku": "TEE", "quantity": 10}])["number"]
    body = planning.ReceiptIn.model_validate({"lines": [{"sku": "TEE", "quantity": 4}]})

    def receive(_: int) -> bool:
        try:
            planning.receive_purchase_order(podium.db, number, body, "test")
        except ValidationFailed:
            return False
        return True

    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(receive, range(4)))
    assert results.count(True) == 2
    assert api.ok("get", f"{PO}/{number}")["lines"][0]["received"] == 8
    assert on_hand(api, "TEE", "WEST") == 8 and inventory.examine(podium.db).ok


@pytest.mark.sqlite_only  # rendering does not depend on the engine
def test_the_dashboards_sku_page_shows_what_is_on_its_way(api: Api, podium: Podium) -> None:
    seed_store(api, {("TEE", "WEST"): 1})
    acme(api)
    number = po(api, [{"sku": "TEE", "quantity": 7}], expected_on="2027-02-01")["number"]
    assert isinstance(api.client.app, FastAPI)
    browser = sign_in(cheap_passwords(api.client.app), podium, "readonly")
    page = browser.get("/inventory/TEE").text
    incoming = page[page.index('id="incoming"') :]
    assert number in incoming and "2027-02-01" in incoming and ">7<" in incoming
