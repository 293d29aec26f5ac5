"""Every customer e-mail links to the order status page, in the channel's language; checked
through a real SMTP conversation (aiosmtpd), and the link opens the page."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from notify_fakes import Inbox, drain, mailing_podium, parts, smtp_server
from podium import fulfillment
from podium.bootstrap import Podium
from support import Api, order_body, seed_store


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    with smtp_server() as server:
        yield server


@pytest.fixture
def podium(database_url: str, smtp: tuple[Inbox, int]) -> Iterator[Podium]:
    with mailing_podium(database_url, smtp[1], public_url="https://shop.example.com/") as made:
        yield made


def test_every_customer_email_links_to_the_status_page_which_opens_it(
    api: Api, podium: Podium, smtp: tuple[Inbox, int]
) -> None:
    inbox, _ = smtp
    seed_store(api, {("TEE", "EAST"): 5})
    order = api.ok("post", "/orders", order_body([("TEE", 2)], external_id="1001"))
    shipment = order["shipments"][0]["id"]
    api.ok("post", f"/shipments/{shipment}/ship", {"tracking_number": "1Z1", "carrier": "ups"})
    with podium.db.write() as conn:  # what a carrier's webhook or poll does
        fulfillment.apply_tracking(
            conn, shipment, "out_for_delivery", "On the van, Seattle WA", "carrier:ups"
        )
    drain(podium)

    url = f"https://shop.example.com/track/{podium.shopper.token(order['id'])}"
    assert len(inbox.messages) == 3  # confirmation, shipped, out for delivery
    for message in inbox.messages:
        body = parts(message)
        assert f"See where your order is: {url}" in body["plain"], message["Subject"]
        assert f'<a href="{url}"' in body["html"]
    page = api.client.get(url.removeprefix("https://shop.example.com"))
    assert page.status_code == 200
    assert "Out for delivery" in page.text
    assert "On the van, Seattle WA" in page.text  # the carrier's own words


def test_the_link_text_is_in_the_channels_language(
    api: Api, podium: Podium, smtp: tuple[Inbox, int]
) -> None:
    inbox, _ = smtp
    seed_store(api, {("TEE", "EAST"): 5})
    api.ok("patch", "/channels/web/settings", {"locale": "de"})
    order = api.ok("post", "/orders", order_body([("TEE", 1)], external_id="1002"))
    drain(podium)

    (message,) = inbox.messages
    body = parts(message)
    assert re.search(
        r"Sehen Sie, wo Ihre Bestellung ist: https://shop\.example\.com/track/", body["plain"]
    )
    assert '<p lang="de"><a href="https://shop.example.com/track/' in body["html"]
    assert podium.shopper.token(order["id"]) in body["html"]
