"""Return labels through the carrier interface, on both engines: bought (rate-shopped or
named), printed by the shipment label renderer (PDF with a scannable barcode, ZPL), voided on
rejection, and the return parcel tracked back (picked up → in transit, delivered → on the
timeline, never received by itself)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from document_checks import barcodes, pdf_text
from fulfilment_fakes import drain, fake_easypost
from podium.bootstrap import Podium
from podium.carriers.model import easypost_signature, ounces
from podium.carriers.tablerate import SERVICES, price, zone
from podium.cli import app
from podium.fulfillment.zpl import field
from support import Api, order_body, seed_store

SECRET = "whsec_returns_for_tests"
CUSTOMER = {"postal_code": "98101", "country": "US"}
NEWARK = {"postal_code": "07102", "country": "US"}


def _approved_return(api: Api, units: int = 1, external_id: str = "r1") -> tuple[Any, Any]:
    seed_store(api, {("TEE", "EAST"): 10, ("MUG", "WEST"): 5})
    order = api.ok("post", "/orders", order_body([("TEE", 2)], external_id=external_id))
    for s in order["shipments"]:
        api.ok("post", f"/shipments/{s['id']}/ship", {"tracking_number": "1Z999"})
    rma = api.ok(
        "post",
        f"/orders/{order['id']}/returns",
        {"lines": [{"sku": "TEE", "quantity": units, "reason": "size_fit"}], "approve": True},
    )
    assert rma["status"] == "approved"
    return order, rma


def _easypost_account(api: Api, base_url: str) -> None:
    body = {
        "code": "ep",
        "type": "easypost",
        "api_key": "EZTK_test_key",
        "webhook_secret": SECRET,
        "base_url": base_url,
    }
    api.ok("post", "/carriers", body)


def _tracker_event(tracking: str, status: str) -> bytes:
    result = {
        "object": "Tracker",
        "tracking_code": tracking,
        "status": status,
        "tracking_details": [{"message": "Delivered", "tracking_location": {"city": "NEWARK"}}],
        "public_url": "https://track.easypost.com/ret",
    }
    event = {"description": "tracker.updated", "object": "Event", "result": result}
    return json.dumps(event).encode()


def _timeline(api: Api, order_id: str) -> list[str]:
    return [e["type"] for e in api.ok("get", f"/orders/{order_id}/timeline")["items"]]


def test_an_approved_return_gets_the_cheapest_label_printed_as_pdf_and_zpl(api: Api) -> None:
    order, rma = _approved_return(api, units=2)
    r = api.post(f"/returns/{rma['id']}/label", {})
    assert r.status_code == 201, r.text
    label = r.json()
    z = zone(CUSTOMER, NEWARK)
    cheapest = min(price(s, z, 500) for s in SERVICES)  # two 250 g tees
    assert (label["carrier"], label["service"]) == ("podium", "ground")
    assert label["rate"] == {"amount": f"{cheapest / 100:.2f}", "currency": "USD"}
    assert (label["warehouse"], label["weight_grams"]) == ("EAST", 500)
    tracking = label["tracking_number"]
    got = api.ok("get", f"/returns/{rma['id']}", role="readonly")
    assert (got["status"], got["carrier"], got["tracking_number"]) == (
        "approved",
        "podium",
        tracking,
    )
    assert api.ok("get", f"/returns/{rma['id']}/label")["tracking_number"] == tracking

    pdf = api.get(f"/returns/{rma['id']}/label.pdf")
    assert (pdf.status_code, pdf.headers["content-type"]) == (200, "application/pdf")
    text = pdf_text(pdf.content)
    assert rma["id"] in text and order["number"] in text
    assert "Newark" in text and "Seattle" in text  # from the customer, to the warehouse
    assert text.index("Seattle") < text.index("Newark")
    assert (tracking, "Code128") in barcodes(pdf.content)

    zpl = api.get(f"/returns/{rma['id']}/label.zpl").text
    assert zpl.startswith("^XA") and zpl.rstrip().endswith("^XZ")
    assert f"^BCN,260,Y,N,N^FH_^FD{tracking}^FS" in zpl  # the barcode
    assert field(rma["id"]) in zpl
    assert "return.label_created" in _timeline(api, order["id"])


def test_labels_only_for_approved_returns_known_carriers_and_once(api: Api) -> None:
    order = _approved_return(api)[0]
    requested = api.ok(
        "post", f"/orders/{order['id']}/returns", {"lines": [{"sku": "TEE", "quantity": 1}]}
    )
    r = api.post(f"/returns/{requested['id']}/label", {})
    assert (r.status_code, r.json()["error"]["code"]) == (409, "return_not_approved")
    assert r.json()["error"]["details"]["status"] == "requested"
    api.ok("post", f"/returns/{requested['id']}/approve")
    r = api.post(f"/returns/{requested['id']}/label", {"carrier": "nope"})
    assert (r.status_code, r.json()["error"]["code"]) == (422, "unknown_carrier")
    assert r.json()["error"]["details"]["field"] == "carrier"
    r = api.post(f"/returns/{requested['id']}/label", {"service": "teleport"})
    assert (r.status_code, r.json()["error"]["code"]) == (422, "unknown_service")
    r = api.post(f"/returns/{requested['id']}/label", {"warehouse": "MOON"})
    assert (r.status_code, r.json()["error"]["code"]) == (422, "unknown_warehouse")
    assert api.post(f"/returns/{requested['id']}/label", {"carrier": 5}).status_code == 422
    missing = api.get(f"/returns/{requested['id']}/label")
    assert (missing.status_code, missing.json()["error"]["code"]) == (404, "label_not_found")
    assert api.get(f"/returns/{requested['id']}/label.pdf").status_code == 404
    assert api.get("/returns/rma_nope/label").status_code == 404
    assert api.post("/returns/rma_nope/label", {}).status_code == 404
    assert api.post(f"/returns/{requested['id']}/label", {}, "readonly").status_code == 403

    first = api.ok("post", f"/returns/{requested['id']}/label", {"service": "two_day"})
    assert first["service"] == "two_day"
    again = api.post(f"/returns/{requested['id']}/label", {})
    assert (again.status_code, again.json()["error"]["code"]) == (409, "label_exists")
    assert api.post(f"/returns/{requested['id']}/label/void", {}).status_code == 204
    assert api.ok("get", f"/returns/{requested['id']}")["tracking_number"] is None
    second = api.ok("post", f"/returns/{requested['id']}/label", {})
    assert second["tracking_number"] != first["tracking_number"]


def test_the_return_policy_or_the_request_decides_where_the_parcel_goes(api: Api) -> None:
    _order, rma = _approved_return(api)
    bad = api.client.put(
        "/api/v1/channels/web/return-policy",
        json={"window_days": 30, "reasons": ["size_fit"], "warehouse": "MOON"},
        headers=api.headers(),
    )
    assert (bad.status_code, bad.json()["error"]["code"]) == (422, "unknown_warehouse")
    policy = {"window_days": 30, "reasons": ["size_fit"], "warehouse": "WEST"}
    put = api.client.put("/api/v1/channels/web/return-policy", json=policy, headers=api.headers())
    assert put.status_code == 200, put.text
    assert put.json()["returns"]["warehouse"] == "WEST"
    label = api.ok("post", f"/returns/{rma['id']}/label", {})
    assert label["warehouse"] == "WEST"
    assert "Oakland" in pdf_text(api.get(f"/returns/{rma['id']}/label.pdf").content)
    assert api.post(f"/returns/{rma['id']}/label/void", {}).status_code == 204
    assert api.ok("post", f"/returns/{rma['id']}/label", {"warehouse": "EAST"})["warehouse"] == (
        "EAST"
    )


def test_an_easypost_return_label_is_bought_as_a_return_and_tracked_back(api: Api) -> None:
    order, rma = _approved_return(api, external_id="ep-ret")
    with fake_easypost() as fake:
        _easypost_account(api, fake.url)
        label = api.ok(
            "post", f"/returns/{rma['id']}/label", {"carrier": "ep", "service": "Priority"}
        )
        assert (label["carrier"], label["carrier_name"], label["service"]) == (
            "ep",
            "USPS",
            "Priority",
        )
        assert label["rate"] == {"amount": "11.01", "currency": "USD"}
        created = next(c for c in fake.calls if c[1] == "/v2/shipments")[2]["shipment"]
        # EasyPost takes the outbound addresses with is_return and swaps them itself.
        assert created["is_return"] is True
        assert (created["to_address"]["zip"], created["from_address"]["zip"]) == (
            "98101",
            "07102",
        )
        assert created["parcel"]["weight"] == ounces(250)
        assert rma["id"] in created["reference"]
        tracking = label["tracking_number"]

        fake.tracker_status = "pre_transit"
        api.ok("post", "/carriers/poll", {}, "warehouse")
        assert api.ok("get", f"/returns/{rma['id']}")["status"] == "approved"
        fake.tracker_status = "in_transit"
        assert api.ok("post", "/carriers/poll", {}, "warehouse")["updated"] == 1
    moving = api.ok("get", f"/returns/{rma['id']}")
    assert (moving["status"], moving["tracking_number"]) == ("in_transit", tracking)
    void = api.post(f"/returns/{rma['id']}/label/void", {})
    assert (void.status_code, void.json()["error"]["code"]) == (409, "label_in_use")

    body = _tracker_event(tracking, "delivered")
    r = api.client.post(
        "/api/v1/carriers/ep/webhooks",
        content=body,
        headers={"X-Hmac-Signature": easypost_signature(SECRET, body)},
    )
    assert (r.status_code, r.json()["status"]) == (200, "updated")
    assert api.ok("get", f"/returns/{rma['id']}")["status"] == "in_transit"  # not received
    got = api.ok("get", f"/returns/{rma['id']}/label")
    assert got["delivered_at"] is not None and got["tracking_url"].startswith(
        "https://track.easypost.com/"
    )
    again = api.client.post(
        "/api/v1/carriers/ep/webhooks",
        content=body,
        headers={"X-Hmac-Signature": easypost_signature(SECRET, body)},
    )
    assert again.json()["status"] == "no_change"
    types = _timeline(api, order["id"])
    assert types.count("return.parcel_delivered") == 1 and "return.in_transit" in types
    received = api.ok(
        "post",
        f"/returns/{rma['id']}/receive",
        {"lines": [{"sku": "TEE", "quantity": 1, "disposition": "restock"}]},
    )
    assert received["status"] == "inspected"


def test_rejecting_a_labelled_return_voids_its_label_with_the_carrier(
    api: Api, podium: Podium
) -> None:
    order, rma = _approved_return(api, external_id="ep-rej")
    with fake_easypost() as fake:
        _easypost_account(api, fake.url)
        api.ok("post", f"/returns/{rma['id']}/label", {"carrier": "ep"})
        api.ok("post", f"/returns/{rma['id']}/reject", {"note": "outside policy"})
        drain(podium)
        assert fake.refunded == ["shp_a9b97f431c00435cb16ec2d6a14ed109"]
    assert api.get(f"/returns/{rma['id']}/label").status_code == 404
    assert "return.label_voided" in _timeline(api, order["id"])


def test_shipping_back_keeps_the_label_and_starts_its_tracking(api: Api, podium: Podium) -> None:
    _order, rma = _approved_return(api)
    label = api.ok("post", f"/returns/{rma['id']}/label", {})
    shipped = api.ok("post", f"/returns/{rma['id']}/ship", {})
    assert (shipped["status"], shipped["tracking_number"]) == (
        "in_transit",
        label["tracking_number"],
    )
    assert api.ok("get", f"/returns/{rma['id']}/label")["picked_up_at"] is not None
    assert api.post(f"/returns/{rma['id']}/label/void", {}).status_code == 409
    # The table-rate carrier has no news to give before its transit time has passed.
    assert api.ok("post", "/carriers/poll", {}, "warehouse")["updated"] == 0


def test_return_labels_from_the_command_line(
    api: Api, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PODIUM_DATABASE_URL", database_url)
    _order, rma = _approved_return(api)
    runner = CliRunner()
    made = runner.invoke(app, ["returns", "label", rma["id"], "--out", str(tmp_path / "r.pdf")])
    assert made.exit_code == 0, made.output
    tracking = api.ok("get", f"/returns/{rma['id']}/label")["tracking_number"]
    assert tracking in made.output
    assert (tracking, "Code128") in barcodes((tmp_path / "r.pdf").read_bytes())
    again = runner.invoke(app, ["returns", "label", rma["id"], "--out", str(tmp_path / "r.zpl")])
    assert again.exit_code == 0, again.output
    assert (tmp_path / "r.zpl").read_text().startswith("^XA")
    assert tracking in (tmp_path / "r.zpl").read_text()
    missing = runner.invoke(app, ["returns", "label", "rma_nope"])
    assert missing.exit_code != 0
