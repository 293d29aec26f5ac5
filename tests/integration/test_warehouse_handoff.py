"""Handing released shipments to an external warehouse: a signed webhook (retried through the
outbox) or a CSV file drop; the warehouse answers through the API."""

from __future__ import annotations

import csv
import hashlib
import hmac
import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from fulfilment_fakes import drain, fake_easypost, receiver
from podium.access.service import create_key
from podium.api.app import create_app
from podium.bootstrap import Podium, bootstrap
from podium.config import Settings
from podium.geo.geocoder import default_geocoder
from podium.outbound import is_private_address
from support import Api, order_body, seed_store

SECRET = "3pl-shared-secret-0001"


def _podium(database_url: str, root: Path, *, allow_private: bool) -> Podium:
    return bootstrap(
        Settings(
            database_url=database_url,
            relay_poll_seconds=0.05,
            webhooks_allow_private=allow_private,
            handoff_root=str(root),
        ),
        geocoder=default_geocoder(),
    )


@pytest.fixture
def podium(database_url: str, tmp_path: Path) -> Iterator[Podium]:
    """The fake 3PL listens on loopback, so private addresses are allowed here; drops go
    under this test's own directory."""
    p = _podium(database_url, tmp_path, allow_private=True)
    try:
        yield p
    finally:
        p.close()


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


def test_customer_text_in_the_csv_drop_cannot_start_a_spreadsheet_formula(
    api: Api, podium: Podium, tmp_path: Path
) -> None:
    seed_store(api, {("TEE", "EAST"): 5})
    folder = tmp_path / "outbound"
    _configure(api, {"handoff": "csv_drop", "handoff_dir": "outbound"})
    body = order_body([("TEE", 1)], external_id="inject")
    body["customer"]["name"] = '=HYPERLINK("http://evil.example","x")'
    body["shipping_address"]["line1"] = "@SUM(1+1)*cmd|' /C calc'!A0"
    body["shipping_address"]["line2"] = "-2+3"
    body["shipping_address"]["phone"] = "+1 555 0100"
    api.ok("post", "/orders", body)
    drain(podium)
    (dropped,) = folder.iterdir()
    (row,) = list(csv.DictReader(dropped.open()))
    assert row["ship_to_name"] == '\'=HYPERLINK("http://evil.example","x")'
    assert row["line1"] == "'@SUM(1+1)*cmd|' /C calc'!A0"
    assert row["line2"] == "'-2+3"
    assert row["phone"] == "'+1 555 0100"
    assert row["quantity"] == "1"


@pytest.mark.parametrize("where", ["../elsewhere", "/etc", "inside/../../out", "link"])
def test_a_drop_directory_outside_the_hand_off_root_is_refused_naming_the_field(
    api: Api, tmp_path: Path, where: str
) -> None:
    seed_store(api, {("TEE", "EAST"): 1})
    outside = tmp_path.parent / f"{tmp_path.name}-outside"
    outside.mkdir()
    (tmp_path / "link").symlink_to(outside)
    r = api.client.put(
        "/api/v1/warehouses/EAST/fulfillment",
        json={"handoff": "csv_drop", "handoff_dir": where},
        headers=api.headers(),
    )
    assert r.status_code == 422, r.text
    error = r.json()["error"]
    assert error["code"] == "handoff_dir_outside_root"
    assert error["details"]["field"] == "handoff_dir"
    assert api.ok("get", "/warehouses/EAST/fulfillment")["handoff"] == "none"
    inside = str(tmp_path / "drops" / "east")
    _configure(api, {"handoff": "csv_drop", "handoff_dir": inside})  # absolute, but inside


def test_a_drop_directory_that_becomes_a_symlink_out_is_refused_at_hand_off(
    api: Api, podium: Podium, tmp_path: Path
) -> None:
    seed_store(api, {("TEE", "EAST"): 5})
    _configure(api, {"handoff": "csv_drop", "handoff_dir": "drops"})
    outside = tmp_path.parent / f"{tmp_path.name}-escape"
    outside.mkdir()
    (tmp_path / "drops").symlink_to(outside)
    api.ok("post", "/orders", order_body([("TEE", 1)], external_id="escape"))
    drain(podium)
    assert list(outside.iterdir()) == []
    failed = [
        e
        for e in api.ok("get", "/events?status=pending")["items"]
        if e["type"] == "shipment.released"
    ]
    assert len(failed) == 1 and "hand-off root" in failed[0]["last_error"]


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:9/in", "http://localhost/in", "http://[::1]/in", "http://10.0.0.5/"]
)
def test_a_hand_off_url_on_a_private_address_is_refused_like_outgoing_webhooks(
    database_url: str, tmp_path: Path, url: str
) -> None:
    strict = _podium(database_url, tmp_path, allow_private=False)
    try:
        key = create_key(strict.db, "admin", "admin")[1]
        with TestClient(create_app(strict, run_relay=False)) as client:
            api = Api(client, {"admin": key})
            seed_store(api, {("TEE", "EAST"): 1})
            body = {"handoff": "webhook", "handoff_url": url, "handoff_secret": SECRET}
            r = client.put("/api/v1/warehouses/EAST/fulfillment", json=body, headers=api.headers())
            assert r.status_code == 422, r.text
            assert r.json()["error"]["code"] == "private_url"
            assert r.json()["error"]["details"]["field"] == "handoff_url"
    finally:
        strict.close()


def test_a_hand_off_host_that_resolves_inward_is_refused_when_called(
    database_url: str, tmp_path: Path
) -> None:
    host = socket.gethostname()
    try:
        resolved = socket.getaddrinfo(host, 80, proto=socket.IPPROTO_TCP)[0][4][0]
    except OSError:
        pytest.skip("this machine's own name does not resolve")
    if not is_private_address(str(resolved)):
        pytest.skip("this machine's own name resolves to a public address")
    strict = _podium(database_url, tmp_path, allow_private=False)
    try:
        key = create_key(strict.db, "admin", "admin")[1]
        with TestClient(create_app(strict, run_relay=False)) as client, receiver() as wms:
            api = Api(client, {"admin": key})
            seed_store(api, {("TEE", "EAST"): 1})
            port = wms.url.split(":")[2]  # "<port>/wms/releases"
            _configure(
                api,
                {
                    "handoff": "webhook",
                    "handoff_url": f"http://{host}:{port}",
                    "handoff_secret": SECRET,
                },
            )
            api.ok("post", "/orders", order_body([("TEE", 1)], external_id="inward"))
            drain(strict)
            assert wms.attempts == 0
            failed = [
                e
                for e in api.ok("get", "/events?status=pending")["items"]
                if e["type"] == "shipment.released"
            ]
            assert len(failed) == 1 and resolved in failed[0]["last_error"]
    finally:
        strict.close()


def test_a_3pl_that_keeps_failing_opens_its_circuit_and_the_rest_of_the_batch_waits(
    api: Api, database_url: str, tmp_path: Path
) -> None:
    settings = Settings(
        database_url=database_url,
        webhooks_allow_private=True,
        handoff_root=str(tmp_path),
        circuit_failures=2,
    )
    p = bootstrap(settings, geocoder=default_geocoder())
    try:
        seed_store(api, {("TEE", "EAST"): 5})
        with receiver(fail_first=100) as wms:
            _configure(
                api, {"handoff": "webhook", "handoff_url": wms.url, "handoff_secret": SECRET}
            )
            for n in range(4):
                api.ok("post", "/orders", order_body([("TEE", 1)], external_id=f"cb-{n}"))
            while p.relay.run_once():  # released, then handed off: one batch of 4
                pass
            assert wms.attempts == 2  # then its circuit opened: not called for the others
        pending = [
            e
            for e in api.ok("get", "/events?status=pending")["items"]
            if e["type"] == "shipment.released"
        ]
        assert len(pending) == 4  # nothing lost: the relay retries them all
        assert "circuit open" in pending[0]["last_error"]
    finally:
        p.close()
