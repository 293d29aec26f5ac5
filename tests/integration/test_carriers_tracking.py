"""Carrier accounts, EasyPost over real HTTP (a local fake), tracking webhooks and polls."""

from __future__ import annotations

import json
from typing import Any

from fulfilment_fakes import fake_easypost
from podium.bootstrap import Podium
from podium.carriers.model import easypost_signature
from support import Api, order_body, seed_store

SECRET = "whsec_s\u00e9cret_for_tests"


def _easypost_account(api: Api, base_url: str, api_key: str = "EZTK_test_key") -> Any:
    return api.ok(
        "post",
        "/carriers",
        {
            "code": "ep",
            "type": "easypost",
            "name": "EasyPost",
            "api_key": api_key,
            "webhook_secret": SECRET,
            "base_url": base_url,
        },
    )


def _tracker_event(tracking: str, status: str) -> bytes:
    event = {
        "description": "tracker.updated",
        "object": "Event",
        "id": "evt_test",
        "previous_attributes": {"status": "in_transit"},
        "result": {
            "object": "Tracker",
            "id": "trk_test",
            "tracking_code": tracking,
            "status": status,
            "carrier": "USPS",
            "tracking_details": [
                {
                    "message": "Delivered, Front Door",
                    "status": status,
                    "tracking_location": {"city": "SEATTLE", "state": "WA"},
                }
            ],
            "public_url": "https://track.easypost.com/x",
        },
    }
    return json.dumps(event, separators=(",", ":")).encode()


def _post_webhook(api: Api, body: bytes, signature: str | None) -> Any:
    headers = {"Content-Type": "application/json"}
    if signature is not None:
        headers["X-Hmac-Signature"] = signature
    return api.client.post("/api/v1/carriers/ep/webhooks", content=body, headers=headers)


def test_carrier_accounts_keep_their_secrets_masked(api: Api) -> None:
    made = _easypost_account(api, "http://127.0.0.1:9/v2", api_key="EZTK_0123456789abcdef")
    assert made["api_key"] == "****cdef"
    assert SECRET not in json.dumps(made)
    listed = api.ok("get", "/carriers", role="readonly")["items"]
    assert [a["code"] for a in listed] == ["podium", "ep"]
    assert "EZTK_0123456789abcdef" not in json.dumps(listed)
    again = api.post("/carriers", {"code": "ep", "type": "table_rate"})
    assert (again.status_code, again.json()["error"]["code"]) == (409, "already_exists")
    r = api.post("/carriers", {"code": "ep2", "type": "easypost"})
    assert (r.status_code, r.json()["error"]["code"]) == (422, "missing_credentials")
    assert api.post("/carriers", {"code": "x", "type": "fedex"}).status_code == 422
    assert api.post("/carriers", {"code": "x", "type": "table_rate"}, "operator").status_code == 403


def test_an_easypost_label_is_bought_over_http_and_voided_by_refund(api: Api) -> None:
    seed_store(api, {("TEE", "EAST"): 5})
    order = api.ok("post", "/orders", order_body([("TEE", 2)], external_id="ep1"))
    shipment_id = order["shipments"][0]["id"]
    with fake_easypost() as fake:
        _easypost_account(api, fake.url)
        r = api.post(f"/shipments/{shipment_id}/label", {"carrier": "ep", "service": "Priority"})
        assert r.status_code == 201, r.text
        label = r.json()
        assert (label["carrier"], label["carrier_name"], label["service"]) == (
            "ep",
            "USPS",
            "Priority",
        )
        assert label["rate"] == {"amount": "11.01", "currency": "USD"}
        assert label["tracking_number"] == "EZ1000000001"
        # EasyPost's own postage label, in the warehouse printer's format (PDF by default)
        assert label["label_url"] == f"{fake.base}/files/shp_a9b97f431c00435cb16ec2d6a14ed109.pdf"
        assert label["label_format"] == "PDF"
        assert label["tracking_url"].startswith("https://track.easypost.com/")
        created = fake.calls[0]
        assert created[1] == "/v2/shipments"
        parcel = created[2]["shipment"]["parcel"]
        assert parcel["weight"] == 17.7  # 2 × 250 g in ounces
        assert created[2]["shipment"]["to_address"]["zip"] == "98101"
        assert fake.calls[1][2] == {"rate": {"id": "rate_e5b3aaafb00f48a4ab27d9f20a801b40"}}
        assert api.post(f"/shipments/{shipment_id}/label/void", {}).status_code == 204
        assert fake.refunded == ["shp_a9b97f431c00435cb16ec2d6a14ed109"]
        assert api.ok("get", f"/shipments/{shipment_id}")["tracking_number"] is None


def test_rate_shopping_across_carriers_picks_the_cheapest_on_time_rate(api: Api) -> None:
    seed_store(api, {("TEE", "EAST"): 5})
    order = api.ok("post", "/orders", order_body([("TEE", 1)], external_id="ep2"))
    shipment_id = order["shipments"][0]["id"]
    with fake_easypost() as fake:
        _easypost_account(api, fake.url)
        label = api.ok("post", f"/shipments/{shipment_id}/label", {})
    # USPS GroundAdvantage 8.20 beats every table rate from Newark to Seattle.
    assert (label["carrier"], label["service"]) == ("ep", "GroundAdvantage")
    assert label["rate"]["amount"] == "8.20"


def test_rate_shopping_carries_on_without_a_carrier_that_fails(api: Api) -> None:
    seed_store(api, {("TEE", "EAST"): 5})
    order = api.ok("post", "/orders", order_body([("TEE", 1)], external_id="ep4"))
    with fake_easypost() as fake:
        _easypost_account(api, fake.url, api_key="EZTK_wrong")
        label = api.ok("post", f"/shipments/{order['shipments'][0]['id']}/label", {})
    assert (label["carrier"], label["service"]) == ("podium", "ground")


def test_a_wrong_easypost_key_is_a_clear_carrier_error_and_nothing_is_bought(api: Api) -> None:
    seed_store(api, {("TEE", "EAST"): 5})
    order = api.ok("post", "/orders", order_body([("TEE", 1)], external_id="ep3"))
    shipment_id = order["shipments"][0]["id"]
    with fake_easypost() as fake:
        _easypost_account(api, fake.url, api_key="EZTK_wrong")
        r = api.post(f"/shipments/{shipment_id}/label", {"carrier": "ep"})
    assert r.status_code == 502
    assert r.json()["error"]["code"] == "carrier_error"
    assert api.ok("get", f"/shipments/{shipment_id}")["tracking_number"] is None


def test_a_tracker_webhook_moves_the_shipment_and_the_order_to_delivered(
    api: Api, podium: Podium
) -> None:
    seed_store(api, {("TEE", "EAST"): 5})
    order = api.ok("post", "/orders", order_body([("TEE", 1)], external_id="t1"))
    shipment_id = order["shipments"][0]["id"]
    _easypost_account(api, "http://127.0.0.1:9/v2")
    tracking = api.ok("post", f"/shipments/{shipment_id}/label", {"carrier": "podium"})[
        "tracking_number"
    ]
    api.ok("post", f"/shipments/{shipment_id}/ship", {}, "warehouse")

    transit = _tracker_event(tracking, "in_transit")
    r = _post_webhook(api, transit, easypost_signature(SECRET, transit))
    assert (r.status_code, r.json()["status"]) == (200, "updated")
    moving = api.ok("get", f"/shipments/{shipment_id}")
    assert moving["status"] == "in_transit"
    assert moving["tracking_url"] == "https://track.easypost.com/x"  # learnt from the carrier

    body = _tracker_event(tracking, "delivered")
    bad = _post_webhook(api, body, easypost_signature("other", body))
    assert (bad.status_code, bad.json()["error"]["code"]) == (401, "invalid_signature")
    assert _post_webhook(api, body, None).status_code == 401
    assert api.ok("get", f"/shipments/{shipment_id}")["status"] == "in_transit"

    r = _post_webhook(api, body, easypost_signature(SECRET, body))
    assert (r.status_code, r.json()["status"]) == (200, "updated")
    got = api.ok("get", f"/orders/{order['id']}")
    assert (got["status"], got["fulfillment_status"]) == ("delivered", "delivered")
    assert got["shipments"][0]["status"] == "delivered"
    again = _post_webhook(api, body, easypost_signature(SECRET, body))
    assert again.json()["status"] == "no_change"
    types = [e["type"] for e in api.ok("get", f"/orders/{order['id']}/timeline")["items"]]
    assert types.count("shipment.delivered") == 1
    assert "shipment.in_transit" in types
    delivered = [e for e in api.ok("get", "/events?limit=500")["items"]]
    assert any(e["type"] == "shipment.delivered" for e in delivered)

    unknown = _tracker_event("EZ0000000000", "delivered")
    r = _post_webhook(api, unknown, easypost_signature(SECRET, unknown))
    assert r.json()["status"] == "unknown_tracking_number"
    junk = b"not json"
    r = _post_webhook(api, junk, easypost_signature(SECRET, junk))
    assert (r.status_code, r.json()["error"]["code"]) == (422, "invalid_payload")
    assert api.client.post("/api/v1/carriers/nope/webhooks", content=b"{}").status_code == 404


def test_polling_easypost_trackers_catches_a_missed_delivery(api: Api) -> None:
    seed_store(api, {("TEE", "EAST"): 5})
    order = api.ok("post", "/orders", order_body([("TEE", 1)], external_id="t2"))
    shipment_id = order["shipments"][0]["id"]
    with fake_easypost() as fake:
        _easypost_account(api, fake.url)
        api.ok("post", f"/shipments/{shipment_id}/label", {"carrier": "ep"})
        api.ok("post", f"/shipments/{shipment_id}/ship", {})
        assert api.ok("post", "/carriers/poll", {}, "warehouse") == {
            "checked": 1,
            "updated": 0,
            "failed": 0,
        }  # pre_transit: nothing new
        fake.tracker_status = "delivered"
        assert api.ok("post", "/carriers/poll", {}, "warehouse")["updated"] == 1
    assert api.ok("get", f"/orders/{order['id']}")["status"] == "delivered"


def test_carrier_news_the_machine_refuses_is_acknowledged_and_changes_nothing(api: Api) -> None:
    seed_store(api, {("TEE", "EAST"): 5})
    order = api.ok("post", "/orders", order_body([("TEE", 1)], external_id="t3"))
    shipment_id = order["shipments"][0]["id"]
    _easypost_account(api, "http://127.0.0.1:9/v2")
    tracking = api.ok("post", f"/shipments/{shipment_id}/label", {})["tracking_number"]
    api.ok("post", f"/orders/{order['id']}/hold", {"reason": "fraud_review"}, "support")
    body = _tracker_event(tracking, "delivered")
    r = _post_webhook(api, body, easypost_signature(SECRET, body))
    assert (r.status_code, r.json()["status"]) == (200, "refused")
    assert api.ok("get", f"/shipments/{shipment_id}")["status"] == "pending"
    assert api.ok("get", "/inventory/TEE")["on_hand"] == 5
    api.ok("post", f"/orders/{order['id']}/release", {}, "support")
    r = _post_webhook(api, body, easypost_signature(SECRET, body))
    assert r.json()["status"] == "updated"  # a parcel still "in the warehouse" ships first
    got = api.ok("get", f"/orders/{order['id']}")
    assert (got["status"], got["shipments"][0]["status"]) == ("delivered", "delivered")
    assert api.ok("get", "/inventory/TEE")["on_hand"] == 4
