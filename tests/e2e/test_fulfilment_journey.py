"""One parcel's whole journey against a real ``podium serve``: placed, released by the server's
own relay to a 3PL (signed webhook), labelled, shipped, tracked to delivered by a signed
EasyPost webhook; the order ends delivered."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Callable
from typing import Any

import pytest

from document_checks import barcodes
from fulfilment_fakes import receiver
from podium.carriers.model import easypost_signature
from support import order_body, seed_http

SECRET = "3pl-e2e-secret-0001"
EP_SECRET = "ep-e2e-webhook-secret"


def _until(check: Callable[[], bool], seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.05)


@pytest.fixture(autouse=True)
def _loopback_3pl(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fake 3PL listens on loopback; the server must be allowed to call it."""
    monkeypatch.setenv("PODIUM_WEBHOOKS_ALLOW_PRIVATE", "1")


def test_a_parcel_goes_from_order_to_doorstep_through_a_real_server(server: Any) -> None:
    with server.client() as c, receiver() as wms:
        seed_http(c, {("TEE", "EAST"): 5})
        r = c.put(
            "/warehouses/EAST/fulfillment",
            json={"handoff": "webhook", "handoff_url": wms.url, "handoff_secret": SECRET},
        )
        assert r.status_code == 200, r.text
        order = c.post("/orders", json=order_body([("TEE", 2)], external_id="e2e")).json()
        shipment_id = order["shipments"][0]["id"]
        _until(lambda: len(wms.received) == 1)  # the server's relay released and handed off
        headers, body = wms.received[0]
        signed = f"{headers['X-Podium-Timestamp']}.".encode() + body
        digest = hmac.new(SECRET.encode(), signed, hashlib.sha256).hexdigest()
        assert headers["X-Podium-Signature"] == f"sha256={digest}"
        assert json.loads(body)["shipment"]["id"] == shipment_id
        assert c.get(f"/shipments/{shipment_id}").json()["status"] == "released"

        label = c.post(f"/shipments/{shipment_id}/label", json={})
        assert label.status_code == 201, label.text
        tracking = label.json()["tracking_number"]
        pdf = c.get(f"/shipments/{shipment_id}/label.pdf")
        assert (tracking, "Code128") in barcodes(pdf.content)
        assert c.post(f"/shipments/{shipment_id}/ship", json={}).status_code == 200

        account = {"code": "ep", "type": "easypost", "api_key": "k", "webhook_secret": EP_SECRET}
        assert c.post("/carriers", json=account).status_code == 201
        event = json.dumps(
            {
                "description": "tracker.updated",
                "result": {"tracking_code": tracking, "status": "delivered"},
            }
        ).encode()
        delivered = c.post(
            "/carriers/ep/webhooks",
            content=event,
            headers={"X-Hmac-Signature": easypost_signature(EP_SECRET, event)},
        )
        assert delivered.status_code == 200, delivered.text
        got = c.get(f"/orders/{order['id']}").json()
        assert (got["status"], got["shipments"][0]["status"]) == ("delivered", "delivered")
