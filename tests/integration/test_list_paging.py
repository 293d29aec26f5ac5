"""Every list on both engines: one cursor format refused cleanly when forged, pages forward and
back, a capped total, orders found by number or search, and unknown parameters named."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from podium.bootstrap import Podium
from podium.cli import app as cli
from podium.db.tables import orders
from podium.paging import count_capped, encode_cursor
from support import Api, order_body, seed_store

LISTS = [
    "/orders",
    "/returns",
    "/inventory/TEE/movements",
    "/products",
    "/channels/web/listings",
    "/events",
    "/imports",
    "/webhooks/whk_unknown/deliveries",
]
FORGED = [
    "é",  # sent as %C3%A9: was a 500 on /orders and /returns
    "9223372036854775808",  # was a 500 on /inventory/{sku}/movements
    "99999999999999999999",
    "x" * 2000,
    encode_cursor(("not a time", 7)),  # our format, but no list sorts by that
]


def _place(api: Api, n: int, **extra: Any) -> list[dict[str, Any]]:
    return [
        api.ok("post", "/orders", order_body([("TEE", 1)], external_id=f"ext-{i}", **extra))
        for i in range(n)
    ]


def _found(api: Api, path: str, params: dict[str, str]) -> Any:
    r = api.get(path, params=params)
    assert r.status_code == 200, r.text
    return r.json()


def _ids(page: dict[str, Any], key: str = "id") -> list[Any]:
    return [item[key] for item in page["items"]]


@pytest.mark.parametrize("path", LISTS)
def test_every_list_refuses_a_cursor_it_did_not_make_with_422(api: Api, path: str) -> None:
    seed_store(api, {("TEE", "EAST"): 5})
    for cursor in FORGED:
        r = api.get(path, params={"cursor": cursor})
        assert r.status_code == 422, (path, cursor, r.text)
        error = r.json()["error"]
        assert error["code"] == "invalid_cursor", (path, cursor, error)
        assert error["details"]["field"] == "cursor"


def test_orders_page_forward_and_back_with_an_exact_total(api: Api) -> None:
    seed_store(api, {("TEE", "EAST"): 50})
    placed = [o["id"] for o in _place(api, 5)]
    newest_first = list(reversed(placed))
    page1 = api.ok("get", "/orders?limit=2")
    assert page1["total"] == {"value": 5, "exact": True}
    assert page1["prev_cursor"] is None
    page2 = api.ok("get", f"/orders?limit=2&cursor={page1['next_cursor']}")
    page3 = api.ok("get", f"/orders?limit=2&cursor={page2['next_cursor']}")
    assert _ids(page1) + _ids(page2) + _ids(page3) == newest_first
    assert page3["next_cursor"] is None
    back2 = api.ok("get", f"/orders?limit=2&cursor={page3['prev_cursor']}")
    assert _ids(back2) == _ids(page2)
    back1 = api.ok("get", f"/orders?limit=2&cursor={back2['prev_cursor']}")
    assert _ids(back1) == _ids(page1)
    assert back1["prev_cursor"] is None
    assert api.ok("get", f"/orders?limit=2&cursor={back1['next_cursor']}") == page2


def test_a_cursor_keeps_its_filters_and_sort(api: Api) -> None:
    seed_store(api, {("TEE", "EAST"): 50})
    _place(api, 3)
    by_total = api.ok("get", "/orders?limit=1&sort=total_desc")
    follow = api.get(f"/orders?limit=1&sort=total_desc&cursor={by_total['next_cursor']}")
    assert follow.status_code == 200, follow.text
    wrong_sort = api.get(f"/orders?limit=1&cursor={by_total['next_cursor']}")
    assert wrong_sort.json()["error"]["code"] == "invalid_cursor"


def test_an_order_is_found_by_its_number_as_well_as_its_id(api: Api) -> None:
    seed_store(api, {("TEE", "EAST"): 50})
    _first, second = _place(api, 2)
    number = second["number"]
    assert api.ok("get", f"/orders/{number}")["id"] == second["id"]
    assert api.ok("get", f"/orders/{number.lower()}")["id"] == second["id"]
    assert api.ok("get", f"/orders/{second['id']}")["number"] == number
    missing = api.get("/orders/PD-999999999")
    assert (missing.status_code, missing.json()["error"]["code"]) == (404, "order_not_found")
    assert _ids(_found(api, "/orders", {"number": number})) == [second["id"]]
    digits = number.split("-")[1]
    assert _ids(_found(api, "/orders", {"number": f"#{digits}"})) == [second["id"]]
    bad = api.get("/orders", params={"number": "not-a-number"})
    assert bad.status_code == 422
    assert bad.json()["error"]["details"]["field"] == "number"


def test_q_searches_orders_as_the_dashboard_does(api: Api) -> None:
    seed_store(api, {("TEE", "EAST"): 50})
    ann = _place(api, 1)[0]
    bob = api.ok(
        "post",
        "/orders",
        order_body(
            [("TEE", 1)],
            external_id="WEB-77",
            customer={"email": "bob@example.com", "name": "Bob Builder"},
        ),
    )
    for q, expected in [
        (bob["number"], [bob["id"]]),
        ("WEB-77", [bob["id"]]),
        ("BOB@example.com", [bob["id"]]),
        ("builder", [bob["id"]]),
        ("ann example", [ann["id"]]),
        (ann["id"], [ann["id"]]),
        ("nobody", []),
    ]:
        found = _found(api, "/orders", {"q": q})
        assert _ids(found) == expected, q
        assert found["total"] == {"value": len(expected), "exact": True}


def test_unknown_query_parameters_are_refused_and_named(api: Api) -> None:
    seed_store(api, {("TEE", "EAST"): 5})
    for path, name in [
        ("/orders?stauts=on_hold", "stauts"),
        ("/returns?page=2", "page"),
        ("/inventory/TEE/movements?before=1", "before"),
        ("/products?offset=10", "offset"),
    ]:
        r = api.get(path)
        assert r.status_code == 422, (path, r.text)
        error = r.json()["error"]
        assert error["code"] == "unknown_parameter"
        assert error["details"]["field"] == name
        assert name in error["message"]
    assert api.get("/orders?from=2026-01-01&to=2026-12-31&late=0").status_code == 200
    assert api.client.get("/api/v1/health?probe=1").status_code == 200


def test_the_total_is_counted_only_up_to_its_cap(api: Api, podium: Podium) -> None:
    seed_store(api, {("TEE", "EAST"): 50})
    _place(api, 5)
    with podium.db.read() as conn:
        capped = count_capped(conn, sa.select(orders.c.id), cap=3)
        exact = count_capped(conn, sa.select(orders.c.id), cap=5)
    assert (capped.value, capped.exact) == (3, False)
    assert (exact.value, exact.exact) == (5, True)


def test_returns_are_searched_and_paged_both_ways(api: Api) -> None:
    seed_store(api, {("TEE", "EAST"): 50}, warehouses=("EAST",))
    made = []
    for order in _place(api, 3):
        for s in order["shipments"]:
            api.ok("post", f"/shipments/{s['id']}/ship", {"tracking_number": "1Z999"})
        body = {"lines": [{"sku": "TEE", "quantity": 1, "reason": "size_fit"}]}
        made.append((order, api.ok("post", f"/orders/{order['id']}/returns", body)))
    order, rma = made[1]
    assert _ids(_found(api, "/returns", {"q": order["number"]})) == [rma["id"]]
    assert _ids(_found(api, "/returns", {"q": rma["id"]})) == [rma["id"]]
    assert _ids(_found(api, "/returns", {"order_id": order["id"]})) == [rma["id"]]
    page1 = api.ok("get", "/returns?limit=2")
    assert page1["total"] == {"value": 3, "exact": True}
    page2 = api.ok("get", f"/returns?limit=2&cursor={page1['next_cursor']}")
    assert _ids(page1) + _ids(page2) == [r["id"] for _, r in reversed(made)]
    back = api.ok("get", f"/returns?limit=2&cursor={page2['prev_cursor']}")
    assert _ids(back) == _ids(page1)


def test_stock_movements_page_both_ways(api: Api) -> None:
    seed_store(api, {("TEE", "EAST"): 5})
    for _ in range(4):
        body = {"sku": "TEE", "warehouse": "EAST", "quantity": 1, "reason": "receipt"}
        api.ok("post", "/inventory/adjustments", body)
    everything = api.ok("get", "/inventory/TEE/movements?limit=100")
    assert everything["total"] == {"value": 5, "exact": True}
    page1 = api.ok("get", "/inventory/TEE/movements?limit=2")
    page2 = api.ok("get", f"/inventory/TEE/movements?limit=2&cursor={page1['next_cursor']}")
    page3 = api.ok("get", f"/inventory/TEE/movements?limit=2&cursor={page2['next_cursor']}")
    assert _ids(page1) + _ids(page2) + _ids(page3) == _ids(everything)
    back = api.ok("get", f"/inventory/TEE/movements?limit=2&cursor={page3['prev_cursor']}")
    assert _ids(back) == _ids(page2)


def test_products_listings_and_imports_share_the_page_envelope(api: Api) -> None:
    seed_store(api, {("TEE", "EAST"): 5, ("HAT", "EAST"): 5, ("MUG", "EAST"): 5})
    page1 = api.ok("get", "/products?limit=2")
    assert _ids(page1, "sku") == ["HAT", "MUG"]
    assert page1["total"] == {"value": 3, "exact": True}
    page2 = api.ok("get", f"/products?limit=2&cursor={page1['next_cursor']}")
    assert (_ids(page2, "sku"), page2["next_cursor"]) == (["TEE"], None)
    assert _ids(api.ok("get", f"/products?limit=2&cursor={page2['prev_cursor']}"), "sku") == [
        "HAT",
        "MUG",
    ]
    for path in ("/channels/web/listings", "/imports", "/events"):
        body = api.ok("get", path)
        assert {"items", "next_cursor", "prev_cursor", "total"} <= set(body), path


def test_the_openapi_document_describes_paging_search_and_totals(api: Api) -> None:
    spec = api.client.get("/api/v1/openapi.json").json()
    listing = spec["paths"]["/api/v1/orders"]["get"]
    names = {p["name"] for p in listing["parameters"]}
    assert {"q", "number", "cursor", "limit", "from", "to", "sort"} <= names
    cursor = next(p for p in listing["parameters"] if p["name"] == "cursor")
    assert "invalid_cursor" in cursor["description"]
    page = spec["components"]["schemas"]["OrderList"]["properties"]
    assert {"items", "next_cursor", "prev_cursor", "total"} <= set(page)
    assert "number" in spec["paths"]["/api/v1/orders/{order_id}"]["get"]["description"]


def test_the_cli_finds_orders_by_number_and_search_and_pages_on(
    api: Api, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed_store(api, {("TEE", "EAST"): 50})
    first, second, third = _place(api, 3)
    monkeypatch.setenv("PODIUM_DATABASE_URL", database_url)
    shown = CliRunner().invoke(cli, ["orders", "show", second["number"]])
    assert shown.exit_code == 0, shown.output
    assert second["id"] in shown.output
    found = CliRunner().invoke(cli, ["orders", "list", "--q", third["number"]])
    assert found.exit_code == 0, found.output
    assert third["id"] in found.output and first["id"] not in found.output
    paged = CliRunner().invoke(cli, ["orders", "list", "--limit", "2"])
    assert "3 order(s) match" in paged.output
    cursor = paged.output.split("next: --cursor ")[1].split()[0]
    rest = CliRunner().invoke(cli, ["orders", "list", "--limit", "2", "--cursor", cursor])
    assert first["id"] in rest.output and "prev: --cursor" in rest.output
    forged = CliRunner().invoke(cli, ["orders", "list", "--cursor", "é"])
    assert forged.exit_code != 0 and "cursor" in forged.output
