"""The one-screen order page over HTTP (TestClient), on both engines: shipments with their
documents, payments, returns and refunds, and the edit / re-route / create-return actions with
their role checks and their refusals."""

from __future__ import annotations

import re
from typing import Any

import pytest
from dashboard_support import Browser, cheap_passwords, sign_in
from fastapi import FastAPI
from fastapi.testclient import TestClient

from document_checks import pdf_text
from fulfilment_fakes import drain
from podium.bootstrap import Podium
from support import Api, order_body, seed_store


@pytest.fixture
def app(podium: Podium, api: Api) -> FastAPI:
    seed_store(api, {("TEE", "EAST"): 10, ("MUG", "EAST"): 5, ("TEE", "WEST"): 10})
    assert isinstance(api.client.app, FastAPI)
    return cheap_passwords(api.client.app)


def _order(api: Api, lines: list[tuple[str, int]] | None = None, **extra: Any) -> Any:
    return api.ok("post", "/orders", order_body(lines or [("TEE", 2)], **extra))


def _shipped(api: Api, podium: Podium) -> tuple[Any, Any, Any]:
    """An order whose one shipment got a label (rate-shopped) and shipped, and whose payment
    the relay captured."""
    order = _order(api, promised_date="2030-01-15")
    shipment = order["shipments"][0]
    label = api.ok("post", f"/shipments/{shipment['id']}/label", {})
    api.ok("post", f"/shipments/{shipment['id']}/ship", {})
    drain(podium)
    return order, shipment, label


def _timeline(api: Api, order_id: str) -> list[str]:
    return [e["type"] for e in api.ok("get", f"/orders/{order_id}/timeline")["items"]]


def _flash(browser: Browser, path: str) -> str:
    found = re.search(r'<div class="flash (\w+)"[^>]*>([^<]*)</div>', browser.get(path).text)
    assert found, "no flash message"
    return f"{found.group(1)}: {found.group(2)}"


def test_a_shipped_order_shows_carrier_tracking_promise_documents_and_payments(
    app: FastAPI, podium: Podium, api: Api
) -> None:
    order, shipment, label = _shipped(api, podium)
    browser = sign_in(app, podium, "readonly")
    page = browser.get(f"/orders/{order['id']}").text
    base = f"/orders/{order['id']}/shipments/{shipment['id']}"
    for text in (
        label["tracking_number"],
        label["carrier_name"],
        "2030-01-15",
        f'href="{base}/label.pdf"',
        f'href="{base}/label.zpl"',
        f'href="{base}/packing-slip.pdf"',
        'id="payments"',
        'id="net-paid">39.98 USD<',
        'id="balance-due">0.00 USD<',
        "capture",
        "No return.",
    ):
        assert text in page, text
    pdf = browser.get(f"{base}/label.pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert label["tracking_number"] in pdf.headers["content-disposition"]
    zpl = browser.get(f"{base}/label.zpl")
    assert zpl.status_code == 200 and zpl.headers["content-type"].startswith("application/zpl")
    assert zpl.text.startswith("^XA") and label["tracking_number"] in zpl.text
    slip = browser.get(f"{base}/packing-slip.pdf")
    assert slip.headers["content-type"] == "application/pdf" and slip.content.startswith(b"%PDF")
    same = api.get(f"/shipments/{shipment['id']}/packing-slip.pdf").content  # the API's document
    assert pdf_text(slip.content) == pdf_text(same) and order["number"] in pdf_text(slip.content)


def test_documents_need_a_session_and_the_shipment_of_that_order(
    app: FastAPI, podium: Podium, api: Api
) -> None:
    order, shipment, _ = _shipped(api, podium)
    other = _order(api)
    path = f"/orders/{order['id']}/shipments/{shipment['id']}/label.pdf"
    assert TestClient(app).get(path, follow_redirects=False).status_code == 303
    browser = sign_in(app, podium, "readonly")
    mixed = browser.get(f"/orders/{other['id']}/shipments/{shipment['id']}/label.pdf")
    assert mixed.status_code == 404 and "text/html" in mixed.headers["content-type"]
    unlabelled = other["shipments"][0]["id"]
    missing = browser.get(f"/orders/{other['id']}/shipments/{unlabelled}/label.pdf")
    assert missing.status_code == 404 and "no label" in missing.text
    page = browser.get(f"/orders/{other['id']}").text
    assert "label.pdf" not in page and "packing-slip.pdf" in page


def test_an_operator_edits_quantities_and_the_address_and_the_timeline_says_so(
    app: FastAPI, podium: Podium, api: Api
) -> None:
    order = _order(api)
    browser = sign_in(app, podium, "operator")
    page = browser.get(f"/orders/{order['id']}").text
    assert f'action="/orders/{order["id"]}/edit"' in page
    form = {
        "line_sku": "TEE",
        "line_quantity": "3",
        "new_sku": "MUG",
        "new_quantity": "1",
        "new_unit_price": "10.00",
        "address_line1": "2 Pike St",
        "address_city": "Seattle",
        "address_region": "WA",
        "address_postal_code": "98101",
        "address_country": "US",
        "address_name": "",
        "shipping_total": "0.00",
        "note": "customer called",
    }
    assert browser.post(f"/orders/{order['id']}/edit", form).status_code == 303
    assert _flash(browser, f"/orders/{order['id']}") == "ok: Order edited: total 69.97 USD."
    view = api.ok("get", f"/orders/{order['id']}")
    assert {(ln["sku"], ln["quantity"]) for ln in view["lines"]} == {("TEE", 3), ("MUG", 1)}
    assert view["shipping_address"]["line1"] == "2 Pike St"
    edited = [
        e
        for e in api.ok("get", f"/orders/{order['id']}/timeline")["items"]
        if e["type"] == "order.edited"
    ]
    assert len(edited) == 1 and "customer called" in edited[0]["message"]
    assert edited[0]["actor"] == "user:operator@example.com"
    assert "order.edited" in browser.get(f"/orders/{order['id']}").text


def test_a_bad_edit_is_told_and_changes_nothing(app: FastAPI, podium: Podium, api: Api) -> None:
    order = _order(api)
    browser = sign_in(app, podium, "operator")
    cases = {
        "quantity of TEE must be a whole number": {"line_sku": "TEE", "line_quantity": "lots"},
        "Not enough stock": {"line_sku": "TEE", "line_quantity": "99"},
        "Unknown SKU NOPE": {"new_sku": "NOPE", "new_quantity": "1", "new_unit_price": "1.00"},
        "needs a unit_price": {"new_sku": "MUG", "new_quantity": "1"},
        "Nothing to change": {"line_sku": "TEE", "line_quantity": "2"},
        "shipping total": {"shipping_total": "ten"},
        "cannot be negative": {"line_sku": "TEE", "line_quantity": "-1"},
    }
    for expected, form in cases.items():
        assert browser.post(f"/orders/{order['id']}/edit", form).status_code == 303
        flash = _flash(browser, f"/orders/{order['id']}")
        assert flash.startswith("error:") and expected in flash, (expected, flash)
    view = api.ok("get", f"/orders/{order['id']}")
    assert view["total"] == order["total"] and view["lines"][0]["quantity"] == 2
    assert "order.edited" not in _timeline(api, order["id"])
    assert api.ok("get", "/inventory/TEE")["reserved"] == 2


def test_edit_reroute_and_return_are_refused_to_roles_without_the_right_and_to_forgeries(
    app: FastAPI, podium: Podium, api: Api
) -> None:
    order, _, _ = _shipped(api, podium)
    open_order = _order(api)
    shipment = open_order["shipments"][0]["id"]
    readonly = sign_in(app, podium, "readonly")
    for o in (order, open_order):
        page = readonly.get(f"/orders/{o['id']}").text
        for act in ("/edit", "/reroute", "/returns", "/hold", "/cancel", "/notes"):
            assert f'{act}"' not in page.split("<main")[1], act
        assert "<button" not in page.split("<main")[1]
    edit = {"line_sku": "TEE", "line_quantity": "1"}
    back = {"return_sku": "TEE", "return_quantity": "1", "return_reason": "other"}
    attempts = [
        (f"/orders/{open_order['id']}/edit", edit),
        (f"/orders/{open_order['id']}/shipments/{shipment}/reroute", {"reason": "x"}),
        (f"/orders/{order['id']}/returns", back),
    ]
    support = sign_in(app, podium, "support")  # may create returns, not edit or re-route
    warehouse = sign_in(app, podium, "warehouse")  # may do none of these
    operator = sign_in(app, podium, "operator")
    for path, form in attempts:
        assert readonly.post(path, form).status_code == 403, path
        assert warehouse.post(path, form).status_code == 403, path
        assert operator.post(path, form, csrf="forged").status_code == 403, path
        assert (
            TestClient(app).post(path, data={**form, "csrf_token": operator.csrf}).status_code
            == 403
        )
    for path, form in attempts[:2]:
        assert support.post(path, form).status_code == 403, path
    assert api.ok("get", f"/orders/{open_order['id']}")["lines"][0]["quantity"] == 2
    assert api.ok("get", f"/orders/{open_order['id']}")["shipments"][0]["status"] != "cancelled"
    assert api.ok("get", f"/orders/{order['id']}/returns")["items"] == []
    assert "order.rerouted" not in _timeline(api, open_order["id"])
    shipped_page = operator.get(f"/orders/{order['id']}").text
    assert "/edit" not in shipped_page and "/reroute" not in shipped_page


def test_re_routing_moves_an_open_shipment_to_another_warehouse(
    app: FastAPI, podium: Podium, api: Api
) -> None:
    order = _order(api)
    first = order["shipments"][0]
    assert first["warehouse"] == "WEST"  # nearest to Seattle
    browser = sign_in(app, podium, "operator")
    page = browser.get(f"/orders/{order['id']}").text
    assert "Re-route away from WEST" in page
    assert (
        browser.post(f"/orders/{order['id']}/shipments/{first['id']}/reroute", {}).status_code
        == 303
    )
    assert "reason" in _flash(browser, f"/orders/{order['id']}")
    other = _order(api)
    wrong = browser.post(
        f"/orders/{other['id']}/shipments/{first['id']}/reroute", {"reason": "mixing orders"}
    )
    assert wrong.status_code == 303 and "No shipment" in _flash(browser, f"/orders/{other['id']}")
    assert "order.rerouted" not in _timeline(api, order["id"])
    done = browser.post(
        f"/orders/{order['id']}/shipments/{first['id']}/reroute", {"reason": "WEST is flooded"}
    )
    assert done.status_code == 303
    assert _flash(browser, f"/orders/{order['id']}") == "ok: Shipment re-routed to EAST."
    view = api.ok("get", f"/orders/{order['id']}")
    assert {(s["warehouse"], s["status"]) for s in view["shipments"]} == {
        ("WEST", "cancelled"),
        ("EAST", "pending"),
    }
    timeline = api.ok("get", f"/orders/{order['id']}/timeline")["items"]
    rerouted = [e for e in timeline if e["type"] == "order.rerouted"]
    assert "WEST is flooded" in rerouted[0]["message"]
    assert rerouted[0]["actor"] == "user:operator@example.com"
    again = browser.post(
        f"/orders/{order['id']}/shipments/{first['id']}/reroute", {"reason": "again"}
    )
    assert again.status_code == 303
    assert "only pending or released" in _flash(browser, f"/orders/{order['id']}")


def test_support_creates_a_return_from_the_order_page(
    app: FastAPI, podium: Podium, api: Api
) -> None:
    order, _, _ = _shipped(api, podium)
    browser = sign_in(app, podium, "support")
    page = browser.get(f"/orders/{order['id']}").text
    assert f'action="/orders/{order["id"]}/returns"' in page and 'max="2"' in page
    done = browser.post(
        f"/orders/{order['id']}/returns",
        {
            "return_sku": "TEE",
            "return_quantity": "1",
            "return_reason": "size_fit",
            "note": "too small",
            "approve": "yes",
        },
    )
    assert done.status_code == 303
    rma_id = done.headers["location"].removeprefix("/returns/")
    rma = api.ok("get", f"/returns/{rma_id}")
    assert rma["status"] == "approved" and rma["note"] == "too small"
    assert [(ln["sku"], ln["quantity"], ln["reason"]) for ln in rma["lines"]] == [
        ("TEE", 1, "size_fit")
    ]
    assert _flash(browser, done.headers["location"]).startswith(f"ok: Return {rma_id} created")
    page = browser.get(f"/orders/{order['id']}").text
    assert f'href="/returns/{rma_id}"' in page and 'max="1"' in page
    types = _timeline(api, order["id"])
    assert "return.created" in types and "return.approved" in types


def test_a_bad_return_is_told_and_writes_nothing(app: FastAPI, podium: Podium, api: Api) -> None:
    order, _, _ = _shipped(api, podium)
    unshipped = _order(api)
    browser = sign_in(app, podium, "support")
    cases = {
        "Only 2 unit(s) of TEE can be returned": {"return_quantity": "3"},
        "Choose at least one unit": {"return_quantity": "0"},
        "quantity of TEE must be a whole number": {"return_quantity": "two"},
        "Unknown return reason": {"return_quantity": "1", "return_reason": "bored"},
        "MUG is not on order": {"return_sku": "MUG", "return_quantity": "1"},
    }
    for expected, form in cases.items():
        body = {"return_sku": "TEE", "return_reason": "other", **form}
        assert browser.post(f"/orders/{order['id']}/returns", body).status_code == 303
        flash = _flash(browser, f"/orders/{order['id']}")
        assert flash.startswith("error:") and expected in flash, (expected, flash)
    nothing_shipped = browser.post(
        f"/orders/{unshipped['id']}/returns",
        {"return_sku": "TEE", "return_quantity": "1", "return_reason": "other"},
    )
    assert nothing_shipped.status_code == 303
    assert "Only 0 unit(s)" in _flash(browser, f"/orders/{unshipped['id']}")
    assert (
        f'action="/orders/{unshipped["id"]}/returns"'
        not in browser.get(f"/orders/{unshipped['id']}").text
    )
    assert api.ok("get", f"/orders/{order['id']}/returns")["items"] == []
    assert "return.created" not in _timeline(api, order["id"])
