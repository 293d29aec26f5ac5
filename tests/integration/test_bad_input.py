"""Bad input gets a 4xx with a machine-readable code naming the field; nothing is written."""

from __future__ import annotations

import json
from typing import Any

import pytest

from support import Api, order_body, seed_store


@pytest.fixture
def store(api: Api) -> Api:
    seed_store(api, {("TEE", "EAST"): 5})
    return api


def _nothing_written(api: Api) -> None:
    assert api.ok("get", "/orders")["items"] == []
    inv = api.ok("get", "/inventory/TEE")
    assert (inv["on_hand"], inv["reserved"]) == (5, 0)
    assert api.ok("get", "/doctor")["ok"] is True


def _with(path: str, value: Any) -> dict[str, Any]:
    body = order_body([("TEE", 1)], external_id="bad")
    target: Any = body
    keys = path.split(".")
    for k in keys[:-1]:
        target = target[int(k)] if k.isdigit() else target[k]
    last = keys[-1]
    if value is _DELETE:
        del target[last]
    elif last.isdigit():
        target[int(last)] = value
    else:
        target[last] = value
    return body


class _Deleted:
    """The field is left out (a stable repr keeps test ids the same in every process)."""

    def __repr__(self) -> str:
        return "<missing>"


_DELETE = _Deleted()

CASES = [
    # (what to change, value, status, code, field)
    ("lines.0.quantity", 0, 422, "validation_error", "lines.0.quantity"),
    ("lines.0.quantity", -3, 422, "validation_error", "lines.0.quantity"),
    ("lines.0.quantity", 10**12, 422, "validation_error", "lines.0.quantity"),
    ("lines.0.quantity", 1.5, 422, "validation_error", "lines.0.quantity"),
    ("lines.0.quantity", "2", 422, "validation_error", "lines.0.quantity"),
    ("lines.0.quantity", True, 422, "validation_error", "lines.0.quantity"),
    ("lines.0.unit_price", 19.99, 422, "invalid_money", "lines.0.unit_price"),
    ("lines.0.unit_price", "19.999", 422, "invalid_money", "lines.0.unit_price"),
    ("lines.0.unit_price", "abc", 422, "invalid_money", "lines.0.unit_price"),
    ("lines.0.unit_price", "-1.00", 422, "invalid_money", "lines.0.unit_price"),
    ("lines.0.unit_price", "1e3", 422, "invalid_money", "lines.0.unit_price"),
    ("lines.0.unit_price", "99999999999999999.00", 422, "invalid_money", "lines.0.unit_price"),
    ("lines.0.sku", "NOPE", 422, "unknown_sku", "lines.0.sku"),
    ("lines.0.sku", "", 422, "invalid_sku", "lines.0.sku"),
    ("lines.0.sku", _DELETE, 422, "validation_error", "lines.0.sku"),
    ("lines", [], 422, "validation_error", "lines"),
    ("lines", _DELETE, 422, "validation_error", "lines"),
    ("channel", "nowhere", 422, "unknown_channel", "channel"),
    ("channel", _DELETE, 422, "validation_error", "channel"),
    ("currency", "XYZ", 422, "invalid_currency", "currency"),
    ("currency", "usdollars", 422, "invalid_currency", "currency"),
    ("currency", _DELETE, 422, "validation_error", "currency"),
    ("customer.email", "not-an-email", 422, "invalid_email", "customer.email"),
    ("customer.email", "a@b", 422, "invalid_email", "customer.email"),
    ("shipping_address", _DELETE, 422, "validation_error", "shipping_address"),
    ("shipping_address.country", "USA", 422, "validation_error", "shipping_address.country"),
    ("shipping_address.latitude", 123.0, 422, "validation_error", "shipping_address.latitude"),
    ("on_shortage", "maybe", 422, "validation_error", "on_shortage"),
    ("discount_total", "1000.00", 422, "invalid_money", "discount_total"),
    ("surprise", "field", 422, "validation_error", "surprise"),
]


@pytest.mark.parametrize(
    ("path", "value", "status", "code", "field"),
    CASES,
    ids=[f"{c[0]}={c[1]!r}"[:60] for c in CASES],
)
def test_bad_order_is_refused_with_a_code_and_the_field(
    store: Api, path: str, value: Any, status: int, code: str, field: str
) -> None:
    r = store.post("/orders", _with(path, value))
    assert r.status_code == status, r.text
    err = r.json()["error"]
    assert err["code"] == code
    assert err["details"]["field"] == field
    assert err["message"]
    _nothing_written(store)


def test_malformed_json_is_a_400(store: Api) -> None:
    r = store.client.post(
        "/api/v1/orders",
        content=b'{"channel": "web",',
        headers=store.headers(**{"Content-Type": "application/json"}),
    )
    assert r.status_code == 400
    assert r.json()["error"]["code"] == "malformed_json"
    _nothing_written(store)


def test_a_body_that_is_not_an_object_is_a_422(store: Api) -> None:
    for body in ([1, 2], "order", None, 42):
        r = store.client.post(
            "/api/v1/orders",
            content=json.dumps(body),
            headers=store.headers(**{"Content-Type": "application/json"}),
        )
        assert r.status_code in (400, 422), r.text
        assert r.json()["error"]["code"] in ("validation_error", "malformed_json")
    _nothing_written(store)


def test_bodies_over_one_mebibyte_are_refused_with_413(store: Api) -> None:
    body = order_body([("TEE", 1)], external_id="big", note="x" * (1024 * 1024))
    r = store.post("/orders", body)
    assert r.status_code == 413
    assert r.json()["error"]["code"] == "payload_too_large"
    # Streamed without a Content-Length header, the limit still holds.
    chunks = (b"x" * 65536 for _ in range(20))
    r = store.client.post(
        "/api/v1/orders",
        content=chunks,
        headers=store.headers(**{"Content-Type": "application/json"}),
    )
    assert r.status_code == 413
    _nothing_written(store)


def test_adjustment_below_reserved_is_a_409_and_writes_nothing(store: Api) -> None:
    store.ok("post", "/orders", order_body([("TEE", 4)], external_id="r"))
    r = store.post(
        "/inventory/adjustments",
        {"sku": "TEE", "warehouse": "EAST", "quantity": -2, "reason": "damaged"},
    )
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "insufficient_stock"
    inv = store.ok("get", "/inventory/TEE")
    assert (inv["on_hand"], inv["reserved"]) == (5, 4)


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ({"sku": "NOPE", "warehouse": "EAST", "quantity": 1}, "unknown_sku", "sku"),
        ({"sku": "TEE", "warehouse": "NOWHERE", "quantity": 1}, "unknown_warehouse", "warehouse"),
        ({"sku": "TEE", "warehouse": "EAST", "quantity": 0}, "zero_quantity", "quantity"),
        ({"sku": "TEE", "warehouse": "EAST", "quantity": 10**9}, "validation_error", "quantity"),
        (
            {"sku": "TEE", "warehouse": "EAST", "quantity": 1, "reason": "Bad Reason"},
            "invalid_reason",
            "reason",
        ),
        ({"sku": "TEE", "warehouse": "EAST"}, "validation_error", "quantity"),
    ],
)
def test_bad_adjustment_is_refused(store: Api, body: dict[str, Any], code: str, field: str) -> None:
    r = store.post("/inventory/adjustments", body)
    assert r.status_code == 422, r.text
    assert r.json()["error"]["code"] == code
    assert r.json()["error"]["details"]["field"] == field
    _nothing_written(store)


def test_catalogue_duplicates_and_unknowns_are_clear(store: Api) -> None:
    r = store.post("/products", {"sku": "TEE", "name": "again"})
    assert (r.status_code, r.json()["error"]["code"]) == (409, "already_exists")
    r = store.post("/channels", {"code": "web", "name": "again"})
    assert (r.status_code, r.json()["error"]["code"]) == (409, "already_exists")
    r = store.post("/channels", {"code": "pos", "name": "POS", "warehouses": ["MOON"]})
    assert (r.status_code, r.json()["error"]["code"]) == (422, "unknown_warehouse")
    r = store.post("/warehouses", {"code": "bad code!", "name": "x", "address": {"country": "US"}})
    assert (r.status_code, r.json()["error"]["code"]) == (422, "invalid_code")
    assert store.get("/orders/ord_nope").json()["error"]["code"] == "order_not_found"
    assert store.get("/shipments/shp_nope").status_code == 404
    assert store.get("/inventory/NOPE").status_code == 404
    assert store.get("/no/such/path").status_code == 404
    r = store.patch("/warehouses/EAST", {"priority": None})
    assert (r.status_code, r.json()["error"]["code"]) == (422, "null_not_allowed")
    r = store.patch("/warehouses/NOPE", {"priority": 1})
    assert r.status_code == 404
