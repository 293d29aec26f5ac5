"""The shopper's order status page and look-up (issue 17): tokens, the same answer for an
unknown order and a wrong e-mail, CSRF, rate limits, the channel's language, and no data
beyond what a shopper needs."""

from __future__ import annotations

import re
from typing import Any

import pytest
from dashboard_support import sign_in
from typer.testing import CliRunner

from podium import fulfillment
from podium.bootstrap import Podium
from podium.cli import app as cli
from support import Api, order_body, seed_store


def _split_order(api: Api) -> Any:
    """Two SKUs, each stocked in one warehouse only: two parcels from two places."""
    seed_store(api, {("TEE", "EAST"): 5, ("CAP", "WEST"): 5})
    return api.ok("post", "/orders", order_body([("TEE", 1), ("CAP", 2)], external_id="1001"))


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, html
    return found.group(1)


def _lookup(api: Api, number: str, email: str, query: str = "") -> Any:
    form = api.client.get(f"/track{query}")
    assert form.status_code == 200
    return api.client.post(
        f"/track{query}",
        data={"number": number, "email": email, "csrf_token": _csrf(form.text)},
        follow_redirects=False,
    )


def test_the_status_page_shows_each_parcel_its_steps_and_why_the_order_was_split(
    api: Api, podium: Podium
) -> None:
    order = _split_order(api)
    first = order["shipments"][0]["id"]
    api.ok("post", f"/shipments/{first}/ship", {"tracking_number": "1Z999", "carrier": "ups"})
    token = podium.shopper.token(order["id"])

    page = api.client.get(f"/track/{token}")

    assert page.status_code == 200, page.text
    html = page.text
    assert f"Order {order['number']}" in html
    assert "Hello Ann, here is where your order is." in html
    assert "Seattle" in html
    assert "Parcel 1 of 2" in html and "Parcel 2 of 2" in html
    assert "no single warehouse had every item, so it ships from 2 places" in html
    assert html.count('aria-current="step"') == 2
    assert "1Z999" in html
    assert "Tracking events" in html
    assert 'href="/returns/start?order=' in html  # something shipped: a return can start
    assert "$59.97" in html  # 19.99 × 3, formatted for English
    # Nothing a shopper does not need: no e-mail, no street, no staff actions or links.
    assert "ann@example.com" not in html
    assert "1 Pike St" not in html
    assert "<form" not in html
    assert "/orders/" not in html
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert "default-src 'self'" in page.headers["Content-Security-Policy"]


def test_an_altered_or_made_up_token_shows_no_order(api: Api, podium: Podium) -> None:
    order = _split_order(api)
    token = podium.shopper.token(order["id"])
    order_id, _, mac = token.partition(".")
    flipped = mac[:-1] + ("A" if mac[-1] != "A" else "B")

    for bad in (f"{order_id}.{flipped}", order_id, f"{order_id}.", "x" * 300, f"ord_x.{mac}"):
        page = api.client.get(f"/track/{bad}")
        assert page.status_code == 404, bad
        assert order["number"] not in page.text
        assert "This tracking link is not valid" in page.text


def test_the_lookup_redirects_to_the_status_page(api: Api, podium: Podium) -> None:
    order = _split_order(api)

    found = _lookup(api, order["number"].lower(), " ANN@example.com ")

    assert found.status_code == 303
    assert found.headers["location"] == f"/track/{podium.shopper.token(order['id'])}"
    assert api.client.get(found.headers["location"]).status_code == 200


def test_an_unknown_order_and_a_wrong_email_get_the_same_answer(api: Api) -> None:
    order = _split_order(api)

    unknown = _lookup(api, "PD-999999", "ann@example.com")
    wrong = _lookup(api, order["number"], "bob@example.com")

    assert unknown.status_code == wrong.status_code == 404
    strip = re.compile(r'name="csrf_token" value="[^"]+"|value="[^"]*"')
    assert strip.sub("", unknown.text) == strip.sub("", wrong.text)
    assert "We could not find an order with that number and e-mail address." in wrong.text
    assert order["id"] not in wrong.text


def test_the_lookup_refuses_a_form_without_its_csrf_token(api: Api) -> None:
    order = _split_order(api)
    api.client.get("/track")  # the cookie is set, but the form does not echo it

    refused = api.client.post(
        "/track",
        data={"number": order["number"], "email": "ann@example.com", "csrf_token": "forged"},
        follow_redirects=False,
    )

    assert refused.status_code == 403
    assert "This form expired" in refused.text
    assert "location" not in refused.headers


def test_the_lookup_is_rate_limited_per_order_number(api: Api) -> None:
    order = _split_order(api)
    answers = [_lookup(api, order["number"], f"guess{i}@example.com") for i in range(5)]
    assert {a.status_code for a in answers} == {404}

    limited = _lookup(api, order["number"], "ann@example.com")  # even the right e-mail now

    assert limited.status_code == 429
    assert int(limited.headers["Retry-After"]) > 0
    assert "Too many attempts" in limited.text


def test_a_blank_field_is_named_and_nothing_is_looked_up(api: Api) -> None:
    answer = _lookup(api, "", "ann@example.com")
    assert answer.status_code == 422
    assert "Enter both your order number and your e-mail address." in answer.text


def test_the_page_speaks_the_channels_language_and_formats_money_and_dates_for_it(
    api: Api, podium: Podium
) -> None:
    order = _split_order(api)
    api.ok("patch", "/channels/web/settings", {"locale": "de"})
    token = podium.shopper.token(order["id"])

    german = api.client.get(f"/track/{token}")
    french = api.client.get(f"/track/{token}?lang=fr")

    assert german.headers["Content-Language"] == "de"
    assert '<html lang="de">' in german.text
    assert f"Bestellung {order['number']}" in german.text
    assert "Paket 1 von 2" in german.text
    assert "59,97\xa0$" in german.text
    assert "Bestellung verfolgen" not in german.text  # the look-up's words are not here
    assert f"Commande {order['number']}" in french.text
    assert "59,97\xa0$US" in french.text
    assert "Colis 1 sur 2" in french.text


def test_the_lookup_form_follows_the_browsers_language(api: Api) -> None:
    spanish = api.client.get("/track", headers={"Accept-Language": "es-MX,es;q=0.9,en;q=0.5"})
    assert "Seguir tu pedido" in spanish.text
    assert '<html lang="es">' in spanish.text
    english = api.client.get("/track", headers={"Accept-Language": "ja"})
    assert "Track your order" in english.text


def test_a_channel_locale_outside_the_catalogues_is_refused_naming_the_field(api: Api) -> None:
    seed_store(api, {("TEE", "EAST"): 1})
    refused = api.patch("/channels/web/settings", {"locale": "xx"})
    assert refused.status_code == 422, refused.text
    assert "locale" in refused.text


def test_support_gets_the_link_from_the_api_and_the_cli(
    api: Api, podium: Podium, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    order = _split_order(api)
    token = podium.shopper.token(order["id"])

    link = api.ok("get", f"/orders/{order['number']}/tracking-link", role="readonly")
    assert link == {"url": f"http://127.0.0.1:8000/track/{token}", "token": token}
    assert api.get("/orders/PD-999999/tracking-link").status_code == 404
    assert api.client.get(f"/api/v1/orders/{order['id']}/tracking-link").status_code == 401

    monkeypatch.setenv("PODIUM_DATABASE_URL", database_url)
    monkeypatch.setenv("PODIUM_PUBLIC_URL", "https://shop.example.com")
    printed = CliRunner().invoke(cli, ["orders", "tracking-link", order["number"]])
    assert printed.exit_code == 0, printed.output
    assert printed.output.strip() == f"https://shop.example.com/track/{token}"


def test_items_waiting_for_stock_are_said_in_plain_words(api: Api, podium: Podium) -> None:
    seed_store(api, {("TEE", "EAST"): 1})
    body = order_body([("TEE", 3)], external_id="1002", on_shortage="backorder")
    order = api.ok("post", "/orders", body)

    page = api.client.get(f"/track/{podium.shopper.token(order['id'])}")

    assert page.status_code == 200
    assert "waiting for new stock" in page.text


def test_a_carriers_words_are_shown_as_text_never_as_markup(api: Api, podium: Podium) -> None:
    order = _split_order(api)
    first = order["shipments"][0]["id"]
    api.ok("post", f"/shipments/{first}/ship", {"tracking_number": "1Z999", "carrier": "ups"})
    with podium.db.write() as conn:
        fulfillment.apply_tracking(
            conn, first, "in_transit", "<script>alert(1)</script> Memphis", "carrier:ups"
        )

    page = api.client.get(f"/track/{podium.shopper.token(order['id'])}")

    assert "&lt;script&gt;alert(1)&lt;/script&gt; Memphis" in page.text
    assert "<script>" not in page.text


def test_a_cancelled_order_says_so_and_offers_no_return(api: Api, podium: Podium) -> None:
    order = _split_order(api)
    api.ok("post", f"/orders/{order['id']}/cancel", {})

    page = api.client.get(f"/track/{podium.shopper.token(order['id'])}?lang=es")

    assert "Este pedido se ha cancelado." in page.text
    assert "Iniciar una devolución" not in page.text
    assert "Parcel" not in page.text and "Paquete 1" not in page.text


def test_the_order_page_links_staff_to_the_customers_status_page(api: Api, podium: Podium) -> None:
    order = _split_order(api)
    board = sign_in(api.client.app, podium, "support")  # type: ignore[arg-type]

    page = board.get(f"/orders/{order['id']}")

    assert f'href="/track/{podium.shopper.token(order["id"])}"' in page.text
