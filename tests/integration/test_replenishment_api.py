"""Suppliers and replenishment through the API on both engines (issue 16 item 3): CRUD with
422s naming the field, the preferred-else-cheapest choice, MOQ and case packs, transfers."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from support import Api, seed_store


def put(api: Api, path: str, body: Any) -> Any:
    return api.client.put(f"/api/v1{path}", json=body, headers=api.headers("operator"))


def supplier(code: str, lead: int = 10) -> dict[str, Any]:
    return {
        "code": code,
        "name": f"{code} Ltd",
        "email": f"sales@{code.lower()}.example",
        "currency": "EUR",
        "lead_time_days": lead,
    }


def forecast(api: Api, per_day: dict[tuple[str, str], int]) -> None:
    end = date(2026, 6, 30)
    rows = ["date,sku,quantity,warehouse"]
    for (sku, warehouse), units in per_day.items():
        rows += [f"{end - timedelta(days=i)},{sku},{units + i % 3},{warehouse}" for i in range(90)]
    r = api.client.post(
        "/api/v1/planning/history",
        content="\n".join(rows) + "\n",
        headers={**api.headers("operator"), "Content-Type": "text/csv"},
    )
    assert r.status_code == 201, r.text
    run = api.client.post(
        "/api/v1/planning/forecasts/run?rebuild=false&wait=true",
        json={"horizon_days": 28},
        headers=api.headers("operator"),
    )
    assert run.status_code == 201, run.text


def test_suppliers_are_created_read_updated_linked_and_deleted(api: Api) -> None:
    seed_store(api, {("TEE", "WEST"): 1})
    made = api.ok("post", "/planning/suppliers", supplier("ACME"))
    assert (made["code"], made["currency"], made["products"]) == ("ACME", "EUR", [])
    again = api.post("/planning/suppliers", supplier("ACME"))
    assert again.status_code == 409 and again.json()["error"]["code"] == "supplier_exists"
    linked = put(
        api,
        "/planning/suppliers/ACME/products",
        {"sku": "TEE", "moq": 50, "case_pack": 12, "unit_cost": "3.40", "preferred": True},
    )
    assert linked.status_code == 200, linked.text
    assert linked.json()["products"][0]["unit_cost"] == "3.40"
    patched = api.ok("patch", "/planning/suppliers/ACME", {"lead_time_days": 21})
    assert patched["lead_time_days"] == 21
    assert [s["code"] for s in api.ok("get", "/planning/suppliers")] == ["ACME"]
    gone = api.client.delete(
        "/api/v1/planning/suppliers/ACME/products/TEE", headers=api.headers("operator")
    )
    assert gone.status_code == 204
    assert api.ok("get", "/planning/suppliers/ACME")["products"] == []
    assert (
        api.client.delete(
            "/api/v1/planning/suppliers/ACME", headers=api.headers("operator")
        ).status_code
        == 204
    )
    assert api.get("/planning/suppliers/ACME").status_code == 404


def test_bad_supplier_input_is_refused_naming_the_field_and_nothing_is_written(
    api: Api,
) -> None:
    seed_store(api, {("TEE", "WEST"): 1})
    for field, value in (
        ("email", "nope"),
        ("currency", "EURO"),
        ("lead_time_days", -1),
        ("code", "bad code"),
    ):
        r = api.post("/planning/suppliers", {**supplier("ACME"), field: value})
        assert r.status_code == 422, r.text
        assert field in r.text
    assert api.ok("get", "/planning/suppliers") == []
    api.ok("post", "/planning/suppliers", supplier("ACME"))
    for body, field in (
        ({"sku": "NOPE", "unit_cost": "1.00"}, "sku"),
        ({"sku": "TEE", "unit_cost": "1,00"}, "unit_cost"),
        ({"sku": "TEE", "unit_cost": "1.00", "case_pack": 0}, "case_pack"),
        ({"sku": "TEE", "unit_cost": "1.00", "moq": 0}, "moq"),
    ):
        r = put(api, "/planning/suppliers/ACME/products", body)
        assert r.status_code == 422, r.text
        assert r.json()["error"]["details"]["field"] == field or field in r.text
    assert api.ok("get", "/planning/suppliers/ACME")["products"] == []


def test_replenishment_buys_from_the_preferred_supplier_in_whole_cases_above_moq(
    api: Api,
) -> None:
    seed_store(api, {("TEE", "WEST"): 5, ("MUG", "WEST"): 2000})
    api.ok("post", "/planning/suppliers", supplier("ACME", lead=10))
    api.ok("post", "/planning/suppliers", supplier("BUDGET", lead=20))
    offer = {"sku": "TEE", "moq": 200, "case_pack": 24}
    put(api, "/planning/suppliers/ACME/products", {**offer, "unit_cost": "4.00", "preferred": True})
    put(api, "/planning/suppliers/BUDGET/products", {**offer, "unit_cost": "3.00"})
    forecast(api, {("TEE", "WEST"): 10, ("MUG", "WEST"): 2})
    page = api.ok("get", "/planning/replenishment?warehouse=WEST")
    rows = {r["sku"]: r for r in page["items"]}
    tee, mug = rows["TEE"], rows["MUG"]
    assert tee["supplier"] == "ACME" and tee["lead_time_days"] == 10
    assert tee["reorder_point"] > tee["position"] == 5
    assert tee["quantity"] >= 200 and tee["quantity"] % 24 == 0
    assert tee["quantity"] >= tee["order_up_to"] - tee["position"]
    assert tee["order_by"] == page["today"]
    assert mug["quantity"] == 0 and mug["supplier"] is None
    assert mug["order_by"] is None or mug["order_by"] > page["today"]
    due = api.ok("get", "/planning/replenishment?only_due=true")
    assert [r["sku"] for r in due["items"]] == ["TEE"]
    by_budget = api.ok("get", "/planning/replenishment?supplier=BUDGET")
    assert by_budget["items"] == []
    # Without a preferred offer the cheapest wins.
    put(api, "/planning/suppliers/ACME/products", {**offer, "unit_cost": "4.00"})
    cheapest = api.ok("get", "/planning/replenishment?sku=TEE")["items"][0]
    assert (cheapest["supplier"], cheapest["lead_time_days"]) == ("BUDGET", 20)
    # A SKU's own service level raises its safety stock.
    assert put(api, "/planning/policies/TEE", {"service_level": 0.99}).status_code == 200
    strict = api.ok("get", "/planning/replenishment?sku=TEE")["items"][0]
    assert strict["service_level"] == 0.99
    assert strict["safety_stock"] >= cheapest["safety_stock"]


def test_a_long_warehouse_transfers_to_a_short_one_before_anything_is_bought(api: Api) -> None:
    seed_store(api, {("TEE", "EAST"): 5000, ("TEE", "WEST"): 0})
    forecast(api, {("TEE", "EAST"): 10, ("TEE", "WEST"): 10})
    page = api.ok("get", "/planning/replenishment")
    assert len(page["transfers"]) == 1
    move = page["transfers"][0]
    assert (move["sku"], move["source"], move["target"]) == ("TEE", "EAST", "WEST")
    rows = {r["warehouse"]: r for r in page["items"]}
    assert move["quantity"] == rows["WEST"]["order_up_to"]
    assert rows["WEST"]["transfer_in"] == move["quantity"] and rows["WEST"]["quantity"] == 0
    assert 5000 - move["quantity"] >= rows["EAST"]["order_up_to"]


def test_replenishment_pages_with_a_cursor_and_refuses_a_bad_one(api: Api) -> None:
    seed_store(api, {("TEE", "EAST"): 1, ("TEE", "WEST"): 1, ("MUG", "WEST"): 1})
    forecast(api, {("TEE", "EAST"): 3, ("TEE", "WEST"): 3, ("MUG", "WEST"): 3})
    first = api.ok("get", "/planning/replenishment?limit=2")
    assert len(first["items"]) == 2 and first["next_cursor"]
    rest = api.ok("get", f"/planning/replenishment?limit=2&cursor={first['next_cursor']}")
    assert len(rest["items"]) == 1 and rest["next_cursor"] is None
    keys = [(r["sku"], r["warehouse"]) for r in first["items"] + rest["items"]]
    assert keys == [("MUG", "WEST"), ("TEE", "EAST"), ("TEE", "WEST")]
    bad = api.get("/planning/replenishment?cursor=%%%")
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_cursor"


def post_offers(api: Api, data: str, query: str = "") -> Any:
    headers = {**api.headers("operator"), "Content-Type": "text/csv"}
    return api.client.post(
        f"/api/v1/planning/suppliers/products{query}", content=data, headers=headers
    )


def test_supplier_products_import_from_csv_all_or_nothing(api: Api) -> None:
    seed_store(api, {("TEE", "WEST"): 1, ("MUG", "WEST"): 1})
    api.ok("post", "/planning/suppliers", supplier("ACME"))
    bad = "supplier,sku,unit_cost,moq,case_pack,preferred\nACME,TEE,2.50,10,6,1\n"
    bad += "NOPE,MUG,1.00,,,\nACME,MUG,1;00,,,\nACME,GHOST,1.00,,,\nACME,TEE,2.00,,,maybe\n"
    r = post_offers(api, bad)
    assert r.status_code == 422, r.text
    rejects = r.json()["error"]["details"]["rejects"]
    assert [(x["line"], x["field"], x["code"]) for x in rejects] == [
        (3, "supplier", "unknown_supplier"),
        (4, "unit_cost", "invalid_money"),
        (5, "sku", "unknown_sku"),
        (6, "preferred", "invalid_flag"),
    ]
    assert api.ok("get", "/planning/suppliers/ACME")["products"] == []
    good = "supplier,sku,unit_cost,moq,case_pack,lead_time_days,preferred\n"
    good += "ACME,TEE,2.50,10,6,,yes\nACME,MUG,1.00,,,21,\n"
    assert post_offers(api, good, "?dry_run=true").status_code == 200
    assert api.ok("get", "/planning/suppliers/ACME")["products"] == []
    done = post_offers(api, good)
    assert done.status_code == 201, done.text
    assert done.json()["rows"] == 2
    products = {p["sku"]: p for p in api.ok("get", "/planning/suppliers/ACME")["products"]}
    assert (products["TEE"]["moq"], products["TEE"]["case_pack"]) == (10, 6)
    assert products["TEE"]["preferred"] and products["MUG"]["lead_time_days"] == 21
