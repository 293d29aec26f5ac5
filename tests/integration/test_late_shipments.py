"""Late shipments: open past their promise (the shipment's own, else the order's), counted on
home, listed by the queue's late filter and flagged in the warehouse view; on both engines."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from dashboard_support import cheap_passwords, sign_in
from fastapi import FastAPI

from podium.bootstrap import Podium
from podium.fulfillment.queue import late_shipments
from support import Api, order_body, seed_store

TODAY = datetime.now(UTC).date()
PAST = (TODAY - timedelta(days=2)).isoformat()
FUTURE = (TODAY + timedelta(days=5)).isoformat()


@pytest.fixture
def app(podium: Podium, api: Api) -> FastAPI:
    seed_store(api, {("TEE", "EAST"): 50})
    assert isinstance(api.client.app, FastAPI)
    return cheap_passwords(api.client.app)


def _order(api: Api, external_id: str, promised: str | None) -> dict[str, str]:
    body = order_body([("TEE", 1)], external_id=external_id, promised_date=promised)
    placed = api.ok("post", "/orders", body)
    return {
        "id": placed["id"],
        "number": placed["number"],
        "shipment": placed["shipments"][0]["id"],
    }


def test_late_means_open_past_the_promise_and_home_links_to_those_orders(
    app: FastAPI, podium: Podium, api: Api
) -> None:
    late = _order(api, "late", PAST)
    on_time = _order(api, "on-time", FUTURE)
    unpromised = _order(api, "none", None)
    moved_out = _order(api, "moved-out", PAST)  # the shipment's own promise is later
    moved_in = _order(api, "moved-in", FUTURE)  # the shipment's own promise has passed
    shipped = _order(api, "shipped", PAST)
    cancelled = _order(api, "cancelled", PAST)
    api.ok("patch", f"/shipments/{moved_out['shipment']}", {"promised_by": FUTURE})
    api.ok("patch", f"/shipments/{moved_in['shipment']}", {"promised_by": PAST})
    api.ok("post", f"/shipments/{shipped['shipment']}/ship", {"tracking_number": "1Z1"})
    api.ok("post", f"/orders/{cancelled['id']}/cancel", {})

    assert late_shipments(podium.db) == 2
    assert late_shipments(podium.db, datetime.now(UTC) + timedelta(days=10)) == 4
    assert late_shipments(podium.db, datetime.now(UTC) - timedelta(days=10)) == 0

    browser = sign_in(app, podium, "readonly")
    home = browser.get("/").text
    assert re.search(
        r'href="/orders\?late=1&amp;sort=oldest" id="late-shipments">\s*'
        r'<span class="figure">2</span>',
        home,
    )
    queue = browser.get("/orders?late=1&sort=oldest").text
    listed = re.findall(r'href="/orders/(ord_[0-9A-Z]+)"', queue)
    assert sorted(listed) == sorted([late["id"], moved_in["id"]])
    assert 'name="late" type="checkbox" value="1" checked' in queue
    polled = re.search(r'hx-get="([^"]+)"', queue)
    assert polled and "late=1" in polled.group(1)  # the live rows keep the filter
    for other in (on_time, unpromised, moved_out, shipped, cancelled):
        assert other["id"] not in listed
    assert browser.get("/orders?late=maybe").status_code == 422

    warehouse = browser.get("/warehouse?warehouse=EAST").text
    cards = dict(re.findall(r'id="ship-(shp_[0-9A-Z]+)"[^>]*>(.*?)</tr>', warehouse, re.S))
    assert "badge late" in cards[late["shipment"]] and "badge late" in cards[moved_in["shipment"]]
    assert "badge late" not in cards[on_time["shipment"]]
    assert f'data-label="Promised">{PAST}' in cards[late["shipment"]]
