"""The warehouse view over HTTP on both engines: waves, pick lists, short picks, pack, labels,
packing slips, ship, the manifest; and what readonly and other roles may not do."""

from __future__ import annotations

import csv
import io
import re
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from dashboard_support import Browser, cheap_passwords, sign_in
from fastapi import FastAPI

from document_checks import pdf_text
from fulfilment_fakes import drain
from podium.bootstrap import Podium
from podium.web.routes import warehouse as warehouse_routes
from support import Api, order_body, seed_store


@pytest.fixture
def app(podium: Podium, api: Api) -> FastAPI:
    seed_store(api, {("TEE", "EAST"): 20, ("CAP", "EAST"): 20, ("MUG", "WEST"): 5})
    assert isinstance(api.client.app, FastAPI)
    return cheap_passwords(api.client.app)


def _order(api: Api, podium: Podium, lines: list[tuple[str, int]], **extra: Any) -> Any:
    placed = api.ok("post", "/orders", order_body(lines, **extra))
    drain(podium)  # the relay releases it to its warehouse
    return placed


def _shipment(order: dict[str, Any]) -> str:
    found: str = order["shipments"][0]["id"]
    return found


def _status(api: Api, shipment_id: str) -> str:
    found: str = api.ok("get", f"/shipments/{shipment_id}")["status"]
    return found


def _flash_of(browser: Browser, url: str) -> str:
    page = browser.get(url).text
    match = re.search(r'<div class="flash (\w+)" role="\w+">([^<]*)</div>', page)
    assert match, "no flash message"
    return f"{match.group(1)}: {match.group(2)}"


def test_a_warehouse_user_picks_packs_labels_and_ships_a_shipment(
    app: FastAPI, podium: Podium, api: Api
) -> None:
    order = _order(api, podium, [("TEE", 2), ("CAP", 1)])
    shipment = _shipment(order)
    browser = sign_in(app, podium, "warehouse")
    view = "/warehouse?warehouse=EAST"
    page = browser.get(view).text
    assert f'action="/warehouse/shipments/{shipment}/pick"' in page
    assert "Start picking #" + order["number"] in page
    keep = {"warehouse": "EAST", "status": ""}

    done = browser.post(f"/warehouse/shipments/{shipment}/pick", keep)
    assert done.status_code == 303 and done.headers["location"] == view
    assert _status(api, shipment) == "picking"
    assert f"Picked: pack #{order['number']}" in browser.get(view).text

    assert browser.post(f"/warehouse/shipments/{shipment}/pack", keep).status_code == 303
    assert _status(api, shipment) == "packed"

    bought = browser.post(f"/warehouse/shipments/{shipment}/label", {**keep, "carrier": ""})
    assert bought.status_code == 303
    label = api.ok("get", f"/shipments/{shipment}/label")
    assert label["carrier"] == "podium" and label["tracking_number"].startswith("PD")
    page = browser.get(view).text
    assert label["tracking_number"] in page and f"Ship #{order['number']}" in page
    pdf = browser.get(f"/warehouse/shipments/{shipment}/label.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert "attachment" in pdf.headers["content-disposition"]
    assert label["tracking_number"] in pdf_text(pdf.content)
    zpl = browser.get(f"/warehouse/shipments/{shipment}/label.zpl")
    assert zpl.text.startswith("^XA") and label["tracking_number"] in zpl.text
    slip = browser.get(f"/warehouse/shipments/{shipment}/packing-slip.pdf")
    assert slip.content.startswith(b"%PDF") and order["number"] in pdf_text(slip.content)

    assert browser.post(f"/warehouse/shipments/{shipment}/ship", keep).status_code == 303
    shipped = api.ok("get", f"/shipments/{shipment}")
    assert shipped["status"] == "shipped"
    assert shipped["tracking_number"] == label["tracking_number"]
    assert api.ok("get", f"/orders/{order['id']}")["status"] == "shipped"
    timeline = api.ok("get", f"/orders/{order['id']}/timeline")["items"]
    mine = [e["type"] for e in timeline if e["actor"] == "user:warehouse@example.com"]
    assert mine == [
        "shipment.picking",
        "shipment.packed",
        "shipment.label_created",
        "shipment.shipped",
        "order.status_changed",
    ]
    assert f'action="/warehouse/shipments/{shipment}/ship"' not in browser.get(view).text


def test_a_pick_list_of_the_selected_shipments_downloads_as_a_real_pdf(
    app: FastAPI, podium: Podium, api: Api
) -> None:
    one, two, three = (_order(api, podium, [("TEE", 1)]) for _ in range(3))
    browser = sign_in(app, podium, "warehouse")
    page = browser.get("/warehouse?warehouse=EAST&status=released").text
    assert page.count('form="pick-form" name="shipment"') == 3
    made = browser.client.post(
        "/warehouse/EAST/pick-lists",
        data={
            "csrf_token": browser.csrf,
            "warehouse": "EAST",
            "status": "released",
            "mode": "selected",
            "shipment": [_shipment(one), _shipment(three)],
        },
        follow_redirects=False,
    )
    assert made.status_code == 303
    pick_list = parse_qs(urlparse(made.headers["location"]).query)["pick_list"][0]
    assert [_status(api, _shipment(o)) for o in (one, two, three)] == [
        "picking",
        "released",
        "picking",
    ]
    page = browser.get(made.headers["location"]).text
    assert f'href="/warehouse/pick-lists/{pick_list}.pdf" download' in page
    assert "2 shipment(s) now being picked" in page
    pdf = browser.get(f"/warehouse/pick-lists/{pick_list}.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    text = pdf_text(pdf.content)
    assert one["number"] in text and three["number"] in text and two["number"] not in text
    oldest = browser.post(
        "/warehouse/EAST/pick-lists", {"warehouse": "EAST", "mode": "oldest", "max_shipments": "5"}
    )
    assert oldest.status_code == 303 and _status(api, _shipment(two)) == "picking"
    assert browser.get("/warehouse/pick-lists/pck_nope.pdf").status_code == 404


def test_pick_list_mistakes_are_told_and_change_nothing(
    app: FastAPI, podium: Podium, api: Api
) -> None:
    east = _order(api, podium, [("TEE", 1)])
    west = _order(api, podium, [("MUG", 1)])
    browser = sign_in(app, podium, "warehouse")
    browser.post("/warehouse/EAST/pick-lists", {"warehouse": "EAST", "mode": "selected"})
    assert _flash_of(browser, "/warehouse") == "error: Select the shipments to pick first."
    browser.post(
        "/warehouse/EAST/pick-lists",
        {"warehouse": "EAST", "mode": "selected", "shipment": _shipment(west)},
    )
    assert "is not one of warehouse EAST" in _flash_of(browser, "/warehouse")
    browser.post(
        "/warehouse/EAST/pick-lists", {"warehouse": "EAST", "mode": "oldest", "max_shipments": "x"}
    )
    assert "max shipments must be a whole number" in _flash_of(browser, "/warehouse")
    assert _status(api, _shipment(east)) == "released"
    assert _status(api, _shipment(west)) == "released"
    assert "Recent pick lists" not in browser.get("/warehouse?warehouse=EAST").text


def test_a_short_pick_backorders_the_missing_units_and_bad_counts_are_refused(
    app: FastAPI, podium: Podium, api: Api
) -> None:
    order = _order(api, podium, [("TEE", 3), ("CAP", 1)])
    shipment = _shipment(order)
    browser = sign_in(app, podium, "warehouse")
    url = f"/warehouse/shipments/{shipment}/short-pick"
    browser.client.post(
        url,
        data={"csrf_token": browser.csrf, "sku": ["TEE", "CAP"], "missing": ["5", "0"]},
        follow_redirects=False,
    )
    assert "cannot be short 5" in _flash_of(browser, "/warehouse")
    browser.client.post(
        url,
        data={"csrf_token": browser.csrf, "sku": ["TEE", "CAP"], "missing": ["lots", "0"]},
        follow_redirects=False,
    )
    assert "whole number" in _flash_of(browser, "/warehouse")
    browser.client.post(
        url,
        data={"csrf_token": browser.csrf, "sku": ["TEE", "CAP"], "missing": ["0", "0"]},
        follow_redirects=False,
    )
    assert "how many units" in _flash_of(browser, "/warehouse")
    assert api.ok("get", f"/shipments/{shipment}")["lines"][0]["quantity"] == 3
    done = browser.client.post(
        url,
        data={"csrf_token": browser.csrf, "sku": ["TEE", "CAP"], "missing": ["1", "0"]},
        follow_redirects=False,
    )
    assert done.status_code == 303
    view = api.ok("get", f"/shipments/{shipment}")
    assert {ln["sku"]: ln["quantity"] for ln in view["lines"]} == {"TEE": 2, "CAP": 1}
    # EAST still has TEE on its shelves: the back-ordered unit is allocated again at once.
    again = api.ok("get", f"/orders/{order['id']}")
    assert [[(ln["sku"], ln["quantity"]) for ln in s["lines"]] for s in again["shipments"]] == [
        [("TEE", 2), ("CAP", 1)],
        [("TEE", 1)],
    ]
    types = [e["type"] for e in api.ok("get", f"/orders/{order['id']}/timeline")["items"]]
    assert "shipment.short_picked" in types and "order.held" in types


def test_a_wave_warehouse_releases_from_the_view_and_prints_the_days_manifest(
    app: FastAPI, podium: Podium, api: Api
) -> None:
    r = api.client.put(
        "/api/v1/warehouses/EAST/fulfillment", json={"release_mode": "wave"}, headers=api.headers()
    )
    assert r.status_code == 200, r.text
    order = _order(api, podium, [("CAP", 2)])
    shipment = _shipment(order)
    assert _status(api, shipment) == "pending"
    browser = sign_in(app, podium, "warehouse")
    page = browser.get("/warehouse?warehouse=EAST").text
    assert "Release a wave (1 waiting)" in page and "in the next wave" in page
    assert browser.post("/warehouse/EAST/wave", {"warehouse": "EAST"}).status_code == 303
    assert _status(api, shipment) == "released"
    browser.post("/warehouse/EAST/wave", {"warehouse": "EAST"})
    assert "Nothing to release" in _flash_of(browser, "/warehouse?warehouse=EAST")
    for step in ("pick", "pack"):
        browser.post(f"/warehouse/shipments/{shipment}/{step}", {"warehouse": "EAST"})
    browser.post(f"/warehouse/shipments/{shipment}/label", {"warehouse": "EAST"})
    browser.post(f"/warehouse/shipments/{shipment}/ship", {"warehouse": "EAST"})
    tracking = api.ok("get", f"/shipments/{shipment}")["tracking_number"]
    pdf = browser.get("/warehouse/EAST/manifest.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert tracking in pdf_text(pdf.content)
    rows = list(csv.DictReader(io.StringIO(browser.get("/warehouse/EAST/manifest.csv").text)))
    assert [(r["tracking_number"], r["order_number"]) for r in rows] == [
        (tracking, order["number"])
    ]
    bad = browser.get("/warehouse/EAST/manifest.pdf?date=yesterday")
    assert bad.status_code == 422 and "2026-11-25" in bad.text
    assert browser.get("/warehouse/EAST/manifest.txt").status_code == 422
    assert browser.get("/warehouse/NOPE/manifest.pdf").status_code == 404


def test_refusals_from_the_services_come_back_as_messages(
    app: FastAPI, podium: Podium, api: Api
) -> None:
    order = _order(api, podium, [("TEE", 1)])
    shipment = _shipment(order)
    browser = sign_in(app, podium, "warehouse")
    browser.post(f"/warehouse/shipments/{shipment}/pack", {})
    browser.post(f"/warehouse/shipments/{shipment}/label", {"carrier": "nope"})
    assert "Unknown carrier nope" in _flash_of(browser, "/warehouse")
    browser.post(f"/warehouse/shipments/{shipment}/label", {"service": "overnight"})
    browser.post(f"/warehouse/shipments/{shipment}/label", {})
    assert "already has a label" in _flash_of(browser, "/warehouse")
    assert api.ok("get", f"/shipments/{shipment}/label")["service"] == "overnight"
    assert browser.post(f"/warehouse/shipments/{shipment}/label/void", {}).status_code == 303
    assert api.get(f"/shipments/{shipment}/label").status_code == 404
    api.ok("post", f"/orders/{order['id']}/hold", {"reason": "fraud_review"})
    browser.post(f"/warehouse/shipments/{shipment}/ship", {"tracking_number": "1Z1"})
    assert "on hold" in _flash_of(browser, "/warehouse")
    assert _status(api, shipment) == "packed"
    browser.post(f"/warehouse/shipments/{shipment}/pick", {})
    assert "cannot become picking" in _flash_of(browser, "/warehouse")
    assert browser.get("/warehouse?warehouse=NOPE").status_code == 404


ACTIONS = [
    ("/warehouse/shipments/{s}/pick", {}),
    ("/warehouse/shipments/{s}/pack", {}),
    ("/warehouse/shipments/{s}/short-pick", {"sku": "TEE", "missing": "1"}),
    ("/warehouse/shipments/{s}/label", {}),
    ("/warehouse/shipments/{s}/ship", {"tracking_number": "1Z1"}),
    ("/warehouse/EAST/pick-lists", {"mode": "oldest"}),
    ("/warehouse/EAST/wave", {}),
]


def test_readonly_sees_no_actions_and_forged_or_cross_role_posts_change_nothing(
    app: FastAPI, podium: Podium, api: Api
) -> None:
    order = _order(api, podium, [("TEE", 1)])
    shipment = _shipment(order)
    readonly = sign_in(app, podium, "readonly")
    page = readonly.get("/warehouse?warehouse=EAST").text
    assert "packing-slip.pdf" in page  # reading and printing is for everyone
    assert 'method="post" action="/warehouse' not in page
    assert 'name="shipment"' not in page and "Start picking" not in page
    support = sign_in(app, podium, "support")
    warehouse = sign_in(app, podium, "warehouse")
    for path, data in ACTIONS:
        url = path.format(s=shipment)
        assert readonly.post(url, data).status_code == 403, url
        assert support.post(url, data).status_code == 403, url
        assert warehouse.post(url, data, csrf="forged").status_code == 403, url
    assert (
        warehouse.post(f"/warehouse/shipments/{shipment}/label/void", {}, csrf="").status_code
        == 403
    )
    view = api.ok("get", f"/shipments/{shipment}")
    assert view["status"] == "released" and view["tracking_number"] is None
    assert view["lines"][0]["quantity"] == 1
    assert api.ok("get", f"/orders/{order['id']}")["status"] == "ready"
    assert "Recent pick lists" not in readonly.get("/warehouse?warehouse=EAST").text


def _numbers(page: str) -> list[str]:
    return re.findall(
        r'<th scope="row" id="title-\w+" data-label="Order"><a href="/orders/\w+">#(\S+?)</a>', page
    )


def _link(page: str, rel: str) -> str:
    found = re.search(rf'<a href="([^"]+)" rel="{rel}">', page)
    assert found, rel
    return found.group(1).replace("&amp;", "&")


def test_shipments_are_a_dense_table_paged_forward_and_back_with_actions_kept_per_page(
    app: FastAPI, podium: Podium, api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(warehouse_routes, "PAGE", 2)
    orders = [_order(api, podium, [("TEE", 1)]) for _ in range(5)]
    numbers = [o["number"] for o in orders]
    browser = sign_in(app, podium, "warehouse")
    first = browser.get("/warehouse?warehouse=EAST&status=released").text
    assert '<table class="shiptable"' in first and 'class="card ship' not in first
    assert _numbers(first) == numbers[:2]
    assert "2 on this page of 5" in first and 'rel="prev"' not in first
    second = browser.get(_link(first, "next")).text
    assert _numbers(second) == numbers[2:4] and "First page" in second
    third = browser.get(_link(second, "next")).text
    assert _numbers(third) == numbers[4:] and 'rel="next"' not in third
    assert _numbers(browser.get(_link(third, "prev")).text) == numbers[2:4]
    assert _numbers(browser.get(_link(second, "prev")).text) == numbers[:2]

    # the row's actions and the pick-list selection work from any page and come back to it
    after = parse_qs(urlparse(_link(first, "next")).query)["after"][0]
    shipment = _shipment(orders[2])
    assert f'id="sel-{shipment}" form="pick-form" name="shipment"' in second
    done = browser.post(
        f"/warehouse/shipments/{shipment}/pick",
        {"warehouse": "EAST", "status": "released", "after": after},
    )
    assert done.status_code == 303
    assert parse_qs(urlparse(done.headers["location"]).query)["after"] == [after]
    assert _status(api, shipment) == "picking"
    picked = browser.post(
        "/warehouse/EAST/pick-lists",
        {
            "warehouse": "EAST",
            "status": "released",
            "mode": "selected",
            "shipment": _shipment(orders[3]),
        },
    )
    assert picked.status_code == 303 and "pick_list=" in picked.headers["location"]


@pytest.mark.parametrize("query", ["after=%C3%A9", "before=bm90LWpzb24", "after=" + "A" * 300])
def test_a_page_link_podium_did_not_make_is_a_422_page(
    app: FastAPI, podium: Podium, query: str
) -> None:
    page = sign_in(app, podium, "readonly").get(f"/warehouse?warehouse=EAST&{query}")
    assert page.status_code == 422 and "text/html" in page.headers["content-type"]
    assert "That page link is not one Podium made" in page.text
