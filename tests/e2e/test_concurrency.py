"""Races over HTTP against a real server: no oversell, no duplicates, no deadlocks."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from typing import Any

import httpx

from support import order_body, seed_http


def _race(
    n: int, call: Callable[[httpx.Client, int], httpx.Response], server: Any
) -> list[httpx.Response]:
    barrier = threading.Barrier(n)
    results: list[httpx.Response | None] = [None] * n

    def worker(i: int) -> None:
        with server.client() as client:
            barrier.wait()
            results[i] = call(client, i)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert all(r is not None for r in results)
    return [r for r in results if r is not None]


def test_last_seven_units_are_sold_exactly_once_to_forty_clients(server: Any) -> None:
    with server.client() as c:
        seed_http(c, {("LAST", "EAST"): 4, ("LAST", "WEST"): 3})
    responses = _race(
        40,
        lambda c, i: c.post("/orders", json=order_body([("LAST", 1)], external_id=f"race-{i}")),
        server,
    )
    codes = Counter(r.status_code for r in responses)
    assert codes == {201: 7, 409: 33}, [r.text for r in responses if r.status_code >= 500]
    assert {r.json()["error"]["code"] for r in responses if r.status_code == 409} == {
        "insufficient_stock"
    }
    with server.client() as c:
        inv = c.get("/inventory/LAST").json()
        assert (inv["on_hand"], inv["reserved"], inv["available"]) == (7, 7, 0)
        assert (
            sorted(
                s["warehouse"]
                for r in responses
                if r.status_code == 201
                for s in r.json()["shipments"]
            )
            == ["EAST"] * 4 + ["WEST"] * 3
        )
    doctor = server.cli("doctor")
    assert doctor.returncode == 0, doctor.stdout + doctor.stderr


def test_ten_concurrent_redeliveries_make_one_order_and_one_reservation(server: Any) -> None:
    with server.client() as c:
        seed_http(c, {("TEE", "EAST"): 10})
    body = order_body([("TEE", 2)], external_id="shopify-1001")
    responses = _race(10, lambda c, i: c.post("/orders", json=body), server)
    assert sorted(r.status_code for r in responses) == [200] * 9 + [201]
    assert len({r.json()["id"] for r in responses}) == 1
    keyed = _race(
        10,
        lambda c, i: c.post(
            "/orders", json=order_body([("TEE", 1)]), headers={"Idempotency-Key": "checkout-42"}
        ),
        server,
    )
    assert sorted(r.status_code for r in keyed) == [200] * 9 + [201]
    assert len({r.json()["id"] for r in keyed}) == 1
    with server.client() as c:
        assert c.get("/inventory/TEE").json()["reserved"] == 3
        assert len(c.get("/orders").json()["items"]) == 2
    assert server.cli("doctor").returncode == 0


def test_multi_line_orders_in_opposite_orders_do_not_deadlock(server: Any) -> None:
    with server.client() as c:
        seed_http(
            c, {("A", "EAST"): 100, ("B", "EAST"): 100, ("A", "WEST"): 100, ("B", "WEST"): 100}
        )

    def place(c: httpx.Client, i: int) -> httpx.Response:
        lines = [("A", 1), ("B", 1)] if i % 2 else [("B", 1), ("A", 1)]
        return c.post("/orders", json=order_body(lines, external_id=f"ml-{i}"))

    responses = _race(30, place, server)
    assert Counter(r.status_code for r in responses) == {201: 30}
    responses = _race(
        20, lambda c, i: c.post(f"/orders/{responses[i].json()['id']}/cancel", json={}), server
    )
    assert Counter(r.status_code for r in responses) == {200: 20}
    assert server.cli("doctor").returncode == 0
