"""Handing released shipments to an external warehouse: a signed webhook (retried through the
outbox) or a CSV file drop; the warehouse answers through the API."""

from __future__ import annotations

import csv
import hashlib
import hmac
import json
import time
from pathlib import Path
from typing import Any

from fulfilment_fakes import drain, fake_easypost, receiver
from podium.bootstrap import Podium
from support import Api, order_body, seed_store

SECRET = "3pl-shared-secret-0001"


def _configure(api: Api, body: dict[str, Any]) -> None:
    r = api.client.put("/api/v1/warehouses/EAST/fulfillment", json=body, headers=api.headers())
    assert r.status_code == 200, r.text


def test_a_3pl_receives_a_correctly_signed_release_and_answers_through_the_api(
    api: Api, podium: Podium
) -> None:
    seed_store(api, {("TEE", "EAST"): 5, ("CAP", "EAST"): 5})
    with receiver(fail_first=1) as wms:
        _configure(api, {"handoff": "webhook", "handoff_url": wms.url, "handoff_secret": SECRET})
        order = api.ok("post", "/orders", order_body([("TEE", 2), ("CAP", 1)], external_id="3pl"))
        shipment_id = order["shipments"][0]["id"]
        drain(podium)  # released; the first delivery to the 3PL fails (503)
        assert (wms.attempts, wms.received) == (1, [])
        failed = [
            e
            for e in api.ok("get", "/events?status=pending")["items"]
            if e["type"] == "shipment.released"
        ]
        assert len(failed) == 1 and "503" in failed[0]["last_error"]
        api.ok("post", f"/events/{failed[0]['id']}/retry", {})
        drain(podium)
        assert wms.attempts == 2 and len(wms.received) == 1
    headers, body = wms.received[0]
    ts = headers["X-Podium-Timestamp"]
    expected = hmac.new(SECRET.encode(), f"{ts}.".encode() + body, hashlib.sha256).hexdigest()
    assert headers["X-Podium-Signature"] == f"sha256={expected}"
    assert abs(int(ts) - time.time()) < 300
    sent = json.loads(body)
    assert sent["type"] == "shipment.released"
    assert sent["shipment"]["id"] == shipment_id
    assert sent["shipment"]["order_number"] == order["number"]
    assert {(ln["sku"], ln["quantity"]) for ln in sent["shipment"]["lines"]} == {
        ("TEE", 2),
        ("CAP", 1),
    }
    assert sent["shipment"]["ship_to"]["postal_code"] == "98101"
    # The 3PL answers: picked, packed, shipped with tracking.
    api.ok("post", f"/shipments/{shipment_id}/pick", {}, "warehouse")
    api.ok("post", f"/shipments/{shipment_id}/pack", {}, "warehouse")
    api.ok(
        "post",
        f"/shipments/{shipment_id}/ship",
        {"tracking_number": "1Z999AA10123456784", "carrier": "ups"},
        "warehouse",
    )
    assert api.ok("get", f"/orders/{order['id']}")["status"] == "shipped"


def test_a_csv_drop_writes_one_file_per_released_shipment(
    api: Api, podium: Podium, tmp_path: Path
) -> None:
    seed_store(api, {("TEE", "EAST"): 5})
    folder = tmp_path / "outbound"
    _configure(api, {"handoff": "csv_drop", "handoff_dir": str(folder)})
    order = api.ok("post", "/orders", order_body([("TEE", 3)], external_id="csv"))
    drain(podium)
    shipment_id = order["shipments"][0]["id"]
    files = sorted(p.name for p in folder.iterdir())
    assert files == [f"EAST-{shipment_id}.csv"]
    rows = list(csv.DictReader((folder / files[0]).open()))
    assert [(r["order_number"], r["sku"], r["quantity"], r["city"]) for r in rows] == [
        (order["number"], "TEE", "3", "Seattle")
    ]
    api.ok("post", f"/orders/{order['id']}/cancel", {}, "operator")
    drain(podium)
    cancel = folder / f"EAST-{shipment_id}.cancel.csv"
    assert list(csv.DictReader(cancel.open())) == [
        {"shipment_id": shipment_id, "order_number": order["number"], "action": "cancel"}
    ]


def test_cancelling_an_order_tells_the_3pl_and_voids_its_label(api: Api, podium: Podium) -> None:
    seed_store(api, {("TEE", "EAST"): 5})
    with receiver() as wms, fake_easypost() as ep:
        _configure(api, {"handoff": "webhook", "handoff_url": wms.url, "handoff_secret": SECRET})
        api.ok(
            "post",
            "/carriers",
            {"code": "ep", "type": "easypost", "api_key": ep.api_key, "webhook_secret": "w",
             "base_url": ep.url},
        )  # fmt: skip
        order = api.ok("post", "/orders", order_body([("TEE", 1)], external_id="cx"))
        shipment_id = order["shipments"][0]["id"]
        drain(podium)
        api.ok("post", f"/shipments/{shipment_id}/label", {"carrier": "ep"})
        api.ok("post", f"/orders/{order['id']}/cancel", {}, "operator")
        drain(podium)
        assert [json.loads(body)["type"] for _, body in wms.received] == [
            "shipment.released",
            "shipment.cancelled",
        ]
        headers, body = wms.received[1]
        signed = f"{headers['X-Podium-Timestamp']}.".encode() + body
        digest = hmac.new(SECRET.encode(), signed, hashlib.sha256).hexdigest()
        assert headers["X-Podium-Signature"] == f"sha256={digest}"
        assert json.loads(body)["shipment"]["id"] == shipment_id
        assert ep.refunded == ["shp_a9b97f431c00435cb16ec2d6a14ed109"]
    types = [e["type"] for e in api.ok("get", f"/orders/{order['id']}/timeline")["items"]]
    assert "shipment.label_voided" in types
    assert api.ok("get", f"/shipments/{shipment_id}")["tracking_number"] is None
