"""A return from end to end on a real ``podium serve``: ship two tees, return one, restock it
with the CLI, refund exactly its share of discount and tax, and check the books."""

from __future__ import annotations

import time
from typing import Any

from support import order_body, seed_http


def _until(check: Any, timeout: float = 10.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.05)


def test_ship_return_one_of_two_restock_and_refund_its_exact_share(server: Any) -> None:
    with server.client() as c:
        seed_http(c, {("TEE", "EAST"): 10}, warehouses=("EAST",))
        body = order_body([("TEE", 2)], external_id="web-77")
        body.update(discount_total="3.00", tax_total="3.44", shipping_total="4.95")
        order = c.post("/orders", json=body).json()
        assert order["total"] == "45.37"  # 39.98 - 3.00 + 3.44 + 4.95
        # The relay captures the payment (the channel's default policy) right after placement.
        assert _until(lambda: c.get(f"/orders/{order['id']}").json()["payment_status"] == "paid")
        shipped = c.post(f"/shipments/{order['shipments'][0]['id']}/ship", json={})
        assert shipped.status_code == 200, shipped.text
        created = c.post(
            f"/orders/{order['id']}/returns",
            json={"lines": [{"sku": "TEE", "quantity": 1, "reason": "size_fit"}]},
        )
        assert created.status_code == 201, created.text
        rma = created.json()["id"]
    approved = server.cli("returns", "approve", rma)
    assert approved.returncode == 0, approved.stderr
    received = server.cli("returns", "receive", rma, "--line", "TEE:1:restock")
    assert received.returncode == 0, received.stderr
    assert "inspected" in received.stdout
    refunded = server.cli("returns", "refund", rma)
    assert refunded.returncode == 0, refunded.stderr
    # 19.99 - 1.50 (half the discount) + 1.72 (half the tax) = 20.21
    assert "USD 20.21" in refunded.stdout
    with server.client() as c:
        assert c.get("/inventory/TEE").json()["on_hand"] == 9
        payments = c.get(f"/orders/{order['id']}/payments").json()
        assert (payments["captured"], payments["refunded"]) == ("45.37", "20.21")
        assert payments["payment_status"] == "partially_refunded"
        events = _until(
            lambda: [
                e
                for e in c.get("/events", params={"limit": 200}).json()["items"]
                if e["type"] == "refund.issued" and e["status"] == "delivered"
            ]
        )
        assert events and events[0]["payload"]["amount"] == "20.21"
        assert events[0]["payload"]["currency"] == "USD"
        assert events[0]["payload"]["order_id"] == order["id"]
    pays = server.cli("payments", "list", order["id"])
    assert pays.returncode == 0, pays.stderr
    assert "partially_refunded: total USD 45.37" in pays.stdout
    swap = server.cli("returns", "exchange", rma, "--line", "TEE:1")
    assert swap.returncode == 0, swap.stderr
    assert "Replacement order PD-" in swap.stdout
    with server.client() as c:
        assert c.get("/inventory/TEE").json()["reserved"] == 1  # the replacement
    day = order["placed_at"][:10]
    export = server.cli("export", "accounting", "--from", day, "--to", day)
    assert export.returncode == 0, export.stderr
    assert f"{day},web,USD,2,1,39.98,3.00,4.95,3.44,45.37,20.21,1.72,0.00,25.16" in export.stdout
    doctor = server.cli("doctor")
    assert doctor.returncode == 0, doctor.stdout + doctor.stderr
