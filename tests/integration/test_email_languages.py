"""Customer e-mails in the channel's language (its ``locale`` setting): subject, text and HTML,
money by Babel; checked through a real SMTP conversation (aiosmtpd)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from notify_fakes import Inbox, drain, mailing_podium, parts, smtp_server
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


def _order(api: Api, locale: str, external_id: str, *, ship: bool = False) -> Any:
    seed_store(api, {("TEE", "EAST"): 10})
    api.ok("patch", "/channels/web/settings", {"locale": locale})
    order = api.ok("post", "/orders", order_body([("TEE", 2)], external_id=external_id))
    if ship:
        for s in order["shipments"]:
            api.ok("post", f"/shipments/{s['id']}/ship", {"tracking_number": "1Z999"})
    return order


def test_a_german_channels_order_gets_a_german_confirmation(
    api: Api, podium: Podium, smtp: tuple[Inbox, int]
) -> None:
    inbox, _ = smtp
    order = _order(api, "de", "de-1")
    drain(podium)

    (message,) = inbox.messages
    number = order["number"]
    assert message["Subject"] == f"Bestellung {number} bestätigt"
    body = parts(message)
    assert "Vielen Dank für Ihre Bestellung!" in body["plain"]
    assert f"Wir haben die Bestellung {number} erhalten" in body["plain"]
    assert "Summe: " in body["plain"] and "Thank you" not in body["plain"]
    assert '<html lang="de">' in body["html"]
    assert f"Bestellung <strong>{number}</strong> erhalten" in body["html"]
    # Money as German readers write it: decimal comma, the sign after the amount.
    total = order["total"].replace(".", ",")
    assert f"{total}\xa0$" in body["plain"]
    sent = api.ok("get", f"/orders/{order['id']}/notifications")["items"]
    assert [n["subject"] for n in sent] == [f"Bestellung {number} bestätigt"]


def test_a_french_channels_return_gets_french_return_emails(
    api: Api, podium: Podium, smtp: tuple[Inbox, int]
) -> None:
    inbox, _ = smtp
    order = _order(api, "fr", "fr-1", ship=True)
    body = {"lines": [{"sku": "TEE", "quantity": 1, "reason": "size_fit"}]}
    rma = api.ok("post", f"/orders/{order['id']}/returns", body)
    drain(podium)
    api.ok("post", f"/returns/{rma['id']}/approve", {})
    drain(podium)
    api.ok("post", f"/returns/{rma['id']}/label", {})
    drain(podium)
    receive = {"lines": [{"sku": "TEE", "quantity": 1, "disposition": "restock"}]}
    api.ok("post", f"/returns/{rma['id']}/receive", receive)
    drain(podium)
    api.ok("post", f"/returns/{rma['id']}/refund", {})
    drain(podium)
    other = api.ok("post", f"/orders/{order['id']}/returns", body)
    drain(podium)
    api.ok("post", f"/returns/{other['id']}/reject", {"note": "Article porté."})
    drain(podium)

    number = order["number"]
    subjects = [m["Subject"] for m in inbox.messages]
    assert subjects[0] == f"Commande {number} confirmée"
    assert subjects[2:] == [
        f"Nous avons reçu votre demande de retour pour la commande {number}",
        f"Votre retour pour la commande {number} est approuvé",
        f"Votre étiquette de retour pour la commande {number}",
        f"Nous avons reçu vos articles retournés de la commande {number}",
        f"Remboursement de la commande {number}",
        f"Nous avons reçu votre demande de retour pour la commande {number}",
        f"Votre retour pour la commande {number} n’a pas été accepté",
    ]
    requested, _, labelled, received, refunded, _, rejected = inbox.messages[2:]
    link = f"https://shop.example.com/returns/status/{podium.shopper.return_token(rma['id'])}"
    assert f"Voir votre retour : {link}" in parts(requested)["plain"]
    assert "Votre étiquette de retour prépayée" in parts(labelled)["plain"]
    assert "sont arrivés dans notre entrepôt" in parts(received)["plain"]
    assert "Nous vous avons remboursé" in parts(refunded)["plain"]
    assert "Motif : Article porté." in parts(rejected)["plain"]
    for message in inbox.messages:
        assert '<html lang="fr">' in parts(message)["html"]
        assert "Hello" not in parts(message)["plain"]
