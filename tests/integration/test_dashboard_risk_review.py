"""The dashboard's risk review: held orders with their signals, approve and reject with CSRF
and role checks (both engines)."""

from __future__ import annotations

import pytest
from dashboard_support import cheap_passwords, sign_in
from fastapi import FastAPI

from podium.bootstrap import Podium
from risk_support import risky_order_body as _fraudy
from support import Api, seed_store


@pytest.fixture
def app(podium: Podium, api: Api) -> FastAPI:
    seed_store(api, {("TV", "WEST"): 5}, skus=["TV"])
    assert isinstance(api.client.app, FastAPI)
    return cheap_passwords(api.client.app)


def test_review_lists_held_orders_and_approves(app: FastAPI, podium: Podium, api: Api) -> None:
    order = api.ok("post", "/orders", _fraudy())
    reader = sign_in(app, podium, "readonly")
    page = reader.get("/risk-review").text
    assert order["number"] in page and "disposable_email" in page and "freight_forwarder" in page
    assert '/approve"' not in page  # read-only: no buttons
    assert reader.post(f"/risk-review/{order['id']}/approve", {}).status_code == 403
    operator = sign_in(app, podium, "operator")
    assert '/approve"' in operator.get("/risk-review").text
    path = f"/risk-review/{order['id']}/approve"
    assert operator.post(path, {}, csrf="forged").status_code == 403
    assert api.ok("get", f"/orders/{order['id']}")["status"] == "on_hold"
    assert operator.post(path, {"note": "known customer"}).status_code == 303
    assert api.ok("get", f"/orders/{order['id']}")["status"] == "ready"
    assert "No order is waiting" in operator.get("/risk-review").text
    page = operator.get(f"/orders/{order['id']}").text
    assert "Risk <small>" in page and "freight forwarder" in page and "203.0.113.7" in page


def test_review_rejects(app: FastAPI, podium: Podium, api: Api) -> None:
    order = api.ok("post", "/orders", _fraudy())
    operator = sign_in(app, podium, "operator")
    assert operator.post(f"/risk-review/{order['id']}/reject", {}).status_code == 303
    assert api.ok("get", f"/orders/{order['id']}")["status"] == "cancelled"
    timeline = api.ok("get", f"/orders/{order['id']}/timeline")["items"]
    assert "order.risk_rejected" in [e["type"] for e in timeline]
