"""Routing against a real server: rules over HTTP, and re-routing racing new orders."""

from __future__ import annotations

import threading
from typing import Any

import httpx
import pytest

from support import order_body, seed_http


def test_rejections_racing_new_orders_neither_fail_nor_unbalance_the_ledger(
    database_url: str, request: pytest.FixtureRequest
) -> None:
    if database_url.startswith("sqlite"):
        pytest.skip("SQLite takes one writer at a time: nothing races (the API tests cover it)")
    server = request.getfixturevalue("server")
    with server.client() as c:
        seed_http(c, {("TEE", "EAST"): 40, ("TEE", "WEST"): 40, ("CAP", "WEST"): 40})
        r = c.put(
            "/routing/rules",
            json={"rules": [{"name": "nearest", "sort": ["distance"], "action": "allow_split"}]},
        )
        assert r.status_code == 200, r.text
        placed = [
            c.post("/orders", json=order_body([("TEE", 1)], external_id=f"a{i}")).json()
            for i in range(8)
        ]
    assert {o["shipments"][0]["warehouse"] for o in placed} == {"WEST"}
    failures: list[str] = []

    def reject(order: dict[str, Any]) -> None:
        with server.client() as client:
            sid = order["shipments"][0]["id"]
            r = client.post(f"/shipments/{sid}/reject", json={"reason": "no staff"})
            if r.status_code != 200:
                failures.append(r.text)

    def place(i: int) -> None:
        with server.client() as client:
            body = order_body([("TEE", 1), ("CAP", 1)], external_id=f"b{i}")
            r = client.post("/orders", json=body)
            if r.status_code != 201:
                failures.append(r.text)

    threads = [threading.Thread(target=reject, args=(o,)) for o in placed]
    threads += [threading.Thread(target=place, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert failures == []
    with server.client() as c:
        moved = [c.get(f"/orders/{o['id']}").json() for o in placed]
        for order in moved:
            live = [s for s in order["shipments"] if s["status"] != "cancelled"]
            assert [s["warehouse"] for s in live] == ["EAST"]
        assert c.get("/doctor").json()["ok"] is True
        assert c.get("/inventory/TEE").json()["reserved"] == 16
    history = server.cli("routing", "rules", "history")
    assert history.returncode == 0 and "nearest" in history.stdout
    paths = httpx.get(f"{server.url}/api/v1/openapi.json", timeout=10).json()["paths"]
    assert {"/api/v1/routing/rules", "/api/v1/shipments/{shipment_id}/reject"} <= set(paths)
