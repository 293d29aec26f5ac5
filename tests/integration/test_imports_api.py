"""CSV imports through the API: all or nothing, a reject report by line, dry runs, idempotency."""

from __future__ import annotations

import dataclasses
import itertools
from typing import Any

from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from podium.api.app import create_app
from podium.bootstrap import Podium
from support import Api, order_body, seed_store

HEADER = (
    "order_id,email,customer_name,currency,sku,quantity,unit_price,shipping,"
    "address1,city,state,zip,country,placed_at,tags"
)
ANN = "ann@example.com,Ann,USD"
ANN_ADDRESS = "1 Pike St,Seattle,WA,98101,US,2024-01-15T10:00:00Z,vip"
GOOD = (
    f"{HEADER}\n"
    f"A-1,{ANN},TEE,2,19.99,5.00,{ANN_ADDRESS}\n"
    f"A-1,{ANN},MUG,1,9.50,5.00,{ANN_ADDRESS}\n"
    "A-2,bo@example.com,Bo,USD,TEE,1,19.99,,5 Main St,Newark,NJ,07102,US,,\n"
)


def post_csv(
    api: Api,
    path: str,
    data: str | bytes,
    role: str = "operator",
    headers: dict[str, str] | None = None,
    **kw: Any,
) -> Any:
    body = data.encode() if isinstance(data, str) else data
    headers = {**api.headers(role), "Content-Type": "text/csv", **(headers or {})}
    return api.client.post(f"/api/v1{path}", content=body, headers=headers, **kw)


def snapshot(api: Api, skus: tuple[str, ...] = ("TEE", "MUG")) -> Any:
    orders = api.ok("get", "/orders?limit=200")["items"]
    stock = {s: api.ok("get", f"/inventory/{s}")["locations"] for s in skus}
    outbox = api.ok("get", "/events?limit=1")["counts"]  # no relay runs in these tests
    return sorted(o["id"] for o in orders), stock, outbox


def test_a_good_file_imports_every_order_and_reimporting_it_changes_nothing(api: Api) -> None:
    seed_store(api, {("TEE", "WEST"): 10, ("MUG", "WEST"): 5, ("TEE", "EAST"): 5})
    r = post_csv(api, "/imports/orders?channel=web", GOOD)
    assert r.status_code == 201, r.text
    report = r.json()
    assert (report["rows_read"], report["orders_found"], report["created"]) == (3, 2, 2)
    assert report["written"] is True and report["rejects"] == []
    by_id = {o["external_id"]: o for o in report["orders"]}
    first = api.ok("get", f"/orders/{by_id['A-1']['order_id']}")
    assert [(ln["sku"], ln["quantity"], ln["unit_price"]) for ln in first["lines"]] == [
        ("TEE", 2, "19.99"),
        ("MUG", 1, "9.50"),
    ]
    assert (first["total"], first["shipping_total"], first["tags"]) == ("54.48", "5.00", ["vip"])
    assert first["placed_at"].startswith("2024-01-15T10:00:00")
    assert first["status"] == "ready"
    second = api.ok("get", f"/orders/{by_id['A-2']['order_id']}")
    assert second["shipping_address"]["postal_code"] == "07102"
    assert second["shipments"][0]["warehouse"] == "EAST"
    created = [
        e for e in api.ok("get", "/events?limit=500")["items"] if e["type"] == "order.created"
    ]
    assert len(created) == 2  # side effects go out through the outbox, after the commit
    before = snapshot(api)
    again = post_csv(api, "/imports/orders?channel=web", GOOD)
    assert again.status_code == 200, again.text
    assert (again.json()["created"], again.json()["already_present"]) == (0, 2)
    assert {o["order_id"] for o in again.json()["orders"]} == {
        o["order_id"] for o in by_id.values()
    }
    assert snapshot(api) == before
    changed = post_csv(api, "/imports/orders?channel=web", GOOD.replace(",2,19.99,", ",3,19.99,"))
    assert changed.status_code == 200
    assert (changed.json()["already_present"], changed.json()["differs"]) == (2, 1)
    assert [o["differs"] for o in changed.json()["orders"]] == [True, False]
    assert snapshot(api) == before
    assert api.ok("get", "/doctor")["ok"] is True


def test_one_bad_row_writes_nothing_and_reports_its_line(api: Api) -> None:
    seed_store(api, {("TEE", "WEST"): 10, ("MUG", "WEST"): 5})
    bad = GOOD + "A-3,cy@example.com,Cy,USD,HAT,1,3.00,,,Seattle,WA,98101,US,,\n"
    before = snapshot(api)
    r = post_csv(api, "/imports/orders?channel=web", bad)
    assert r.status_code == 422
    error = r.json()["error"]
    assert error["code"] == "import_rejected"
    assert error["details"]["rejects"] == [
        {"line": 5, "field": "sku", "code": "unknown_sku", "message": "No product with SKU HAT."}
    ]
    assert error["details"]["line"] == 5 and error["details"]["field"] == "sku"
    assert "nothing was imported" in error["message"]
    assert snapshot(api) == before


def test_an_unknown_channel_is_refused_before_any_row_is_read(api: Api) -> None:
    seed_store(api, {("TEE", "WEST"): 10, ("MUG", "WEST"): 5})
    r = post_csv(api, "/imports/orders?channel=nowhere", GOOD)
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "unknown_channel"
    assert r.json()["error"]["details"]["field"] == "channel"
    assert snapshot(api)[0] == []


def test_dry_run_writes_nothing_and_tells_what_would_happen(api: Api) -> None:
    seed_store(api, {("TEE", "WEST"): 1, ("MUG", "WEST"): 5})
    before = snapshot(api)
    r = post_csv(api, "/imports/orders?channel=web&dry_run=true", GOOD)
    assert r.status_code == 200, r.text
    report = r.json()
    assert (report["would_create"], report["created"], report["written"]) == (2, 0, False)
    assert report["backordered"] == 2  # 3 TEE wanted, 1 on hand: both orders wait for stock
    assert [o["outcome"] for o in report["orders"]] == ["would_create", "would_create"]
    assert all(o["order_id"] is None for o in report["orders"])
    assert snapshot(api) == before


def test_channel_orders_are_backordered_not_rejected_on_shortage(api: Api) -> None:
    seed_store(api, {("TEE", "WEST"): 1, ("MUG", "WEST"): 5})
    r = post_csv(api, "/imports/orders?channel=web", GOOD)
    assert r.status_code == 201, r.text
    assert r.json()["backordered"] >= 1
    held = [o for o in r.json()["orders"] if o["backordered"]]
    order = api.ok("get", f"/orders/{held[0]['order_id']}")
    assert order["status"] == "on_hold"
    assert [h["reason"] for h in order["holds"]] == ["backorder"]


def test_money_finer_than_the_currency_allows_is_rejected_with_its_line(api: Api) -> None:
    seed_store(api, {("TEE", "WEST"): 10})
    text = (
        "order_id,currency,sku,quantity,unit_price,country\n"
        "U-1,USD,TEE,1,1.005,US\n"
        "J-1,JPY,TEE,1,10.5,JP\n"
        "K-1,KWD,TEE,1,1.005,KW\n"
    )
    r = post_csv(api, "/imports/orders?channel=web", text)
    assert r.status_code == 422
    rejects = r.json()["error"]["details"]["rejects"]
    assert [(x["line"], x["field"], x["code"]) for x in rejects] == [
        (2, "unit_price", "invalid_money"),
        (3, "unit_price", "invalid_money"),
    ]
    assert snapshot(api, ("TEE",))[0] == []


def test_bom_and_semicolons_in_a_multipart_upload(api: Api) -> None:
    seed_store(api, {("TEE", "WEST"): 10})
    text = "\ufeffOrder ID;Currency;SKU;Quantity;Unit Price;Country\nS-1;EUR;TEE;3;12.50;FR\n"
    r = api.client.post(
        "/api/v1/imports/orders?channel=web",
        files={"file": ("orders.csv", text.encode(), "text/csv")},
        headers=api.headers("operator"),
    )
    assert r.status_code == 201, r.text
    order = api.ok("get", f"/orders/{r.json()['orders'][0]['order_id']}")
    assert (order["currency"], order["total"], order["external_id"]) == ("EUR", "37.50", "S-1")


def test_partial_imports_the_good_orders_and_reports_the_rest(api: Api) -> None:
    seed_store(api, {("TEE", "WEST"): 10, ("MUG", "WEST"): 5})
    bad = GOOD + "A-3,cy@example.com,Cy,USD,HAT,1,3.00,,,Seattle,WA,98101,US,,\n"
    r = post_csv(api, "/imports/orders?channel=web&partial=true", bad)
    assert r.status_code == 201, r.text
    report = r.json()
    assert report["created"] == 2
    assert [(x["line"], x["code"]) for x in report["rejects"]] == [(5, "unknown_sku")]
    assert len(snapshot(api)[0]) == 2


def test_a_file_in_another_encoding_says_so_by_charset_or_parameter(api: Api) -> None:
    seed_store(api, {("TEE", "WEST"): 10})
    text = (
        "order_id,customer_name,currency,sku,quantity,unit_price,country\nE-1,Zoë,EUR,TEE,1,5,FR\n"
    )
    data = text.encode("cp1252")
    refused = post_csv(api, "/imports/orders?channel=web&dry_run=true", data)
    assert refused.json()["error"]["details"]["rejects"][0]["code"] == "invalid_encoding"
    by_charset = post_csv(
        api,
        "/imports/orders?channel=web",
        data,
        headers={"Content-Type": "text/csv; charset=windows-1252"},
    )
    assert by_charset.status_code == 201, by_charset.text
    order = api.ok("get", f"/orders/{by_charset.json()['orders'][0]['order_id']}")
    assert order["customer"]["name"] == "Zoë"
    unknown = post_csv(api, "/imports/orders?channel=web&encoding=klingon", data)
    assert (unknown.status_code, unknown.json()["error"]["code"]) == (422, "unknown_encoding")


def test_bad_requests_get_clear_errors(api: Api) -> None:
    seed_store(api, {("TEE", "WEST"): 1})
    assert post_csv(api, "/imports/orders?channel=web", GOOD, role="readonly").status_code == 403
    empty = post_csv(api, "/imports/orders?channel=web", "  \n")
    assert (empty.status_code, empty.json()["error"]["code"]) == (422, "empty_file")
    as_json = api.post("/imports/inventory", {"sku": "TEE"}, "operator")
    assert (as_json.status_code, as_json.json()["error"]["code"]) == (415, "unsupported_media_type")
    no_channel = post_csv(api, "/imports/orders", GOOD)
    assert no_channel.status_code == 422
    assert no_channel.json()["error"]["details"]["field"] == "channel"
    no_file = api.client.post(
        "/api/v1/imports/inventory",
        files={"note": (None, "not a file")},
        headers=api.headers("operator"),
    )
    assert (no_file.status_code, no_file.json()["error"]["code"]) == (422, "missing_file")


def test_imports_may_exceed_the_ordinary_body_limit_up_to_their_own(podium: Podium) -> None:
    podium.settings = dataclasses.replace(
        podium.settings, max_body_bytes=2_000, max_import_bytes=20_000
    )
    from podium.access.service import create_key

    key = create_key(podium.db, "ops", "admin")[1]
    api = Api(TestClient(create_app(podium, run_relay=False)), {"admin": key, "operator": key})
    with api.client:
        seed_store(api, {("TEE", "WEST"): 1000})
        rows = "".join(f"L-{i},USD,TEE,1,1.00,US\n" for i in range(200))
        text = "order_id,currency,sku,quantity,unit_price,country\n" + rows
        assert 2_000 < len(text) < 20_000
        r = post_csv(api, "/imports/orders?channel=web&dry_run=true", text)
        assert r.status_code == 200, r.text
        assert r.json()["would_create"] == 200
        big_order = api.post("/orders", order_body([("TEE", 1)], note="x" * 2_000))
        assert big_order.status_code == 413
        too_big = post_csv(api, "/imports/orders?channel=web", text * 5)
        assert too_big.status_code == 413
        assert too_big.json()["error"]["details"]["limit_bytes"] == 20_000


# --- stock ---------------------------------------------------------------------------------


def test_counts_adjust_the_difference_and_deltas_add_with_ledger_reasons(api: Api) -> None:
    seed_store(api, {("TEE", "EAST"): 10, ("MUG", "EAST"): 2})
    text = (
        "sku,warehouse,on_hand,delta,reason,reference\n"
        "TEE,EAST,7,,,\n"
        "MUG,EAST,,+12,receipt,PO-9\n"
        "MUG,WEST,,5,,\n"
    )
    r = post_csv(api, "/imports/inventory", text)
    assert r.status_code == 201, r.text
    report = r.json()
    assert report["applied"] == 3
    assert [
        (m["line"], m["on_hand_before"], m["delta"], m["on_hand_after"])
        for m in report["movements"]
    ] == [
        (2, 10, -3, 7),
        (3, 2, 12, 14),
        (4, 0, 5, 5),
    ]
    tee = api.ok("get", "/inventory/TEE/movements")["items"][0]
    assert (tee["kind"], tee["reason"], tee["on_hand_delta"]) == ("adjustment", "count", -3)
    assert tee["reference"].startswith("import ")
    mug = api.ok("get", "/inventory/MUG/movements")["items"]
    assert {(m["kind"], m["reason"], m["reference"]) for m in mug[:2]} == {
        ("receipt", "receipt", "PO-9"),
        (
            "adjustment",
            "adjustment",
            mug[0]["reference"] if mug[0]["reason"] == "adjustment" else mug[1]["reference"],
        ),
    }
    counted_again = post_csv(api, "/imports/inventory", "sku,warehouse,on_hand\nTEE,EAST,7\n")
    assert counted_again.status_code == 200
    assert (counted_again.json()["applied"], counted_again.json()["unchanged"]) == (0, 1)
    assert api.ok("get", "/doctor")["ok"] is True


def test_a_count_below_what_is_reserved_rejects_the_file_and_writes_nothing(api: Api) -> None:
    seed_store(api, {("TEE", "WEST"): 5, ("MUG", "WEST"): 5})
    api.ok("post", "/orders", order_body([("TEE", 4)], external_id="r1"))
    text = "sku,warehouse,on_hand\nMUG,WEST,9\nTEE,WEST,3\nTEE,NORTH,1\n"
    before = snapshot(api)
    r = post_csv(api, "/imports/inventory", text)
    assert r.status_code == 422
    rejects = r.json()["error"]["details"]["rejects"]
    assert [(x["line"], x["code"]) for x in rejects] == [(4, "unknown_warehouse")]
    r = post_csv(api, "/imports/inventory", text.replace("TEE,NORTH,1\n", ""))
    assert r.status_code == 422
    rejects = r.json()["error"]["details"]["rejects"]
    assert [(x["line"], x["field"], x["code"]) for x in rejects] == [
        (3, "on_hand", "below_reserved")
    ]
    assert snapshot(api) == before
    dry = post_csv(api, "/imports/inventory?dry_run=true", "sku,warehouse,on_hand\nMUG,WEST,9\n")
    assert dry.status_code == 200
    assert (dry.json()["would_apply"], dry.json()["applied"]) == (1, 0)
    assert snapshot(api) == before


# --- property ------------------------------------------------------------------------------


def test_any_valid_file_imports_exactly_its_orders_and_a_bad_row_writes_nothing(
    api: Api,
) -> None:
    skus = ("TEE", "MUG", "CAP")
    seed_store(api, {(s, "WEST"): 20 for s in skus})
    serial = itertools.count()

    @settings(
        max_examples=8,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(
        st.lists(
            st.lists(st.tuples(st.sampled_from(skus), st.integers(1, 9)), min_size=1, max_size=3),
            min_size=1,
            max_size=4,
        ),
        st.sampled_from([None, "sku", "quantity", "price"]),
    )
    def run(orders: list[list[tuple[str, int]]], spoil: str | None) -> None:
        lines = ["order_id,currency,sku,quantity,unit_price,country"]
        expected = {}
        for lines_of in orders:
            oid = f"P-{next(serial)}"
            expected[oid] = lines_of
            lines += [f"{oid},USD,{s},{q},2.50,US" for s, q in lines_of]
        if spoil is not None:
            bad = {"sku": "NOPE,1,2.50", "quantity": "TEE,-1,2.50", "price": "TEE,1,2.505"}[spoil]
            lines.insert(2, f"X-{next(serial)},USD,{bad},US")
        before = snapshot(api, skus)
        r = post_csv(api, "/imports/orders?channel=web", "\n".join(lines) + "\n")
        if spoil is not None:
            assert r.status_code == 422, r.text
            assert r.json()["error"]["details"]["line"] == 3
            assert snapshot(api, skus) == before
            return
        assert r.status_code == 201, r.text
        assert r.json()["created"] == len(orders)
        for outcome in r.json()["orders"]:
            got = api.ok("get", f"/orders/{outcome['order_id']}")
            assert [(ln["sku"], ln["quantity"]) for ln in got["lines"]] == [
                tuple(x) for x in expected[outcome["external_id"]]
            ]

    run()
    assert api.ok("get", "/doctor")["ok"] is True


def test_the_same_stock_file_twice_is_refused_unless_forced_and_runs_are_listed(
    api: Api,
) -> None:
    seed_store(api, {("TEE", "EAST"): 10, ("MUG", "WEST"): 1})
    deltas = "sku,warehouse,delta\nTEE,EAST,+5\n"
    named = {"X-Filename": "receipts-monday.csv"}
    first = post_csv(api, "/imports/inventory", deltas, headers=named)
    assert first.status_code == 201, first.text
    run_id = first.json()["run_id"]
    again = post_csv(api, "/imports/inventory", deltas)
    assert again.status_code == 409
    error = again.json()["error"]
    assert (error["code"], error["details"]["run_id"]) == ("already_imported", run_id)
    assert api.ok("get", "/inventory/TEE")["on_hand"] == 15
    forced = post_csv(api, "/imports/inventory?force=true", deltas)
    assert forced.status_code == 201
    assert api.ok("get", "/inventory/TEE")["on_hand"] == 20
    orders = post_csv(api, "/imports/orders?channel=web", GOOD)
    assert orders.status_code == 201
    assert post_csv(api, "/imports/orders?channel=web", GOOD).json()["run_id"] is None
    runs = api.get("/imports", "readonly").json()["items"]
    assert [(r["kind"], r["channel"], r["created"], r["movements"]) for r in runs] == [
        ("orders", "web", 2, 0),
        ("inventory", None, 0, 1),
        ("inventory", None, 0, 1),
    ]
    assert runs[2]["filename"] == "receipts-monday.csv"
    assert runs[0]["digest"] == orders.json()["digest"]
    assert api.get("/imports?kind=inventory").json()["items"][0]["id"] == forced.json()["run_id"]


def test_partial_stock_import_applies_the_good_rows_and_lists_the_rest(api: Api) -> None:
    seed_store(api, {("TEE", "EAST"): 10})
    text = "sku,warehouse,on_hand\nTEE,EAST,12\nHAT,EAST,3\nTEE,WEST,4\n"
    r = post_csv(api, "/imports/inventory?partial=true", text)
    assert r.status_code == 201, r.text
    assert [(x["line"], x["code"]) for x in r.json()["rejects"]] == [(3, "unknown_sku")]
    assert r.json()["applied"] == 2
    tee = api.ok("get", "/inventory/TEE")
    assert {loc["warehouse"]: loc["on_hand"] for loc in tee["locations"]} == {"EAST": 12, "WEST": 4}


def test_a_shopify_export_into_a_shopify_channel_uses_shopifys_order_ids(api: Api) -> None:
    seed_store(api, {("TEE", "WEST"): 10})
    shopify = {
        "shop_url": "https://acme.myshopify.com",
        "access_token": "shpat_test",
        "webhook_secret": "whsec_test",
        "location_id": "1",
    }
    api.ok(
        "post",
        "/channels",
        {"code": "shop", "name": "Shopify", "type": "shopify", "settings": shopify},
    )
    text = (
        "Name,Email,Currency,Lineitem quantity,Lineitem price,Lineitem sku,Shipping Zip,"
        "Shipping Country,Id\n"
        "#1001,ann@example.com,USD,1,19.99,TEE,'98101,US,5678901234567890123\n"
        "#1001,ann@example.com,,2,19.99,TEE,,,\n"
    )
    r = post_csv(api, "/imports/orders?channel=shop", text)
    assert r.status_code == 201, r.text
    order = api.ok("get", f"/orders/{r.json()['orders'][0]['order_id']}")
    assert (order["external_id"], order["channel"]) == ("5678901234567890123", "shop")
    assert [ln["quantity"] for ln in order["lines"]] == [1, 2]
