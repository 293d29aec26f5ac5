"""The return e-mails (requested, approved, label attached, rejected with why, received,
refunded, exchange shipped), through a real SMTP conversation, each on the order's timeline
and never sent twice."""

from __future__ import annotations

from collections.abc import Iterator
from email.message import EmailMessage
from typing import Any

import pytest

from document_checks import pdf_text
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


def _shipped_order(api: Api, external_id: str) -> Any:
    seed_store(api, {("TEE", "EAST"): 10})
    order = api.ok("post", "/orders", order_body([("TEE", 2)], external_id=external_id))
    for s in order["shipments"]:
        api.ok("post", f"/shipments/{s['id']}/ship", {"tracking_number": "1Z999"})
    return order


def _about_returns(inbox: Inbox) -> list[EmailMessage]:
    return [m for m in inbox.messages if "eturn" in m["Subject"] or "efund" in m["Subject"]]


def _attachments(message: EmailMessage) -> list[tuple[str, bytes]]:
    found = []
    for part in message.iter_attachments():
        payload = part.get_payload(decode=True)
        assert isinstance(payload, bytes)
        found.append((str(part.get_filename()), payload))
    return found


def test_a_return_sends_requested_approved_label_received_and_refunded_once_each(
    api: Api, podium: Podium, smtp: tuple[Inbox, int]
) -> None:
    inbox, _ = smtp
    order = _shipped_order(api, "e1")
    body = {"lines": [{"sku": "TEE", "quantity": 1, "reason": "size_fit"}]}
    rma = api.ok("post", f"/orders/{order['id']}/returns", body)
    drain(podium)
    api.ok("post", f"/returns/{rma['id']}/approve", {})
    drain(podium)
    label = api.ok("post", f"/returns/{rma['id']}/label", {})
    drain(podium)
    receive = {"lines": [{"sku": "TEE", "quantity": 1, "disposition": "restock"}]}
    api.ok("post", f"/returns/{rma['id']}/receive", receive)
    drain(podium)
    api.ok("post", f"/returns/{rma['id']}/refund", {})
    drain(podium)
    drain(podium)  # nothing left to send: no e-mail twice

    subjects = [m["Subject"] for m in _about_returns(inbox)]
    number = order["number"]
    assert subjects == [
        f"We received your return request for order {number}",
        f"Your return for order {number} is approved",
        f"Your return label for order {number}",
        f"We received your returned items for order {number}",
        f"Refund for order {number}",
    ]
    requested, approved, labelled, received, _ = _about_returns(inbox)
    link = f"https://shop.example.com/returns/status/{podium.shopper.return_token(rma['id'])}"
    assert "1 × " in parts(requested)["plain"]
    assert f"See your return: {link}" in parts(requested)["plain"]
    assert f'<a href="{link}"' in parts(requested)["html"]
    assert _attachments(approved) == []  # no label bought yet
    ((name, pdf),) = _attachments(labelled)
    assert name == f"return-label-{label['tracking_number']}.pdf"
    assert pdf.startswith(b"%PDF")
    assert label["tracking_number"] in pdf_text(pdf)
    assert label["tracking_number"] in parts(labelled)["plain"]
    assert "arrived at our warehouse" in parts(received)["plain"]
    sent = api.ok("get", f"/orders/{order['id']}/notifications")["items"]
    assert {"return_requested", "return_approved", "return_label", "return_received"} <= {
        n["template"] for n in sent
    }
    timeline = api.ok("get", f"/orders/{order['id']}/timeline")["items"]
    assert sum(e["type"] == "notification.sent" for e in timeline) == len(sent)


def test_a_return_approved_with_its_label_already_bought_carries_the_label(
    api: Api, podium: Podium, smtp: tuple[Inbox, int]
) -> None:
    inbox, _ = smtp
    order = _shipped_order(api, "e2")
    body = {"lines": [{"sku": "TEE", "quantity": 2, "reason": "damaged"}], "approve": True}
    rma = api.ok("post", f"/orders/{order['id']}/returns", body)
    api.ok("post", f"/returns/{rma['id']}/label", {})
    drain(podium)
    approved = next(m for m in inbox.messages if "is approved" in m["Subject"])
    ((name, pdf),) = _attachments(approved)
    assert name.endswith(".pdf") and pdf.startswith(b"%PDF")


def test_a_rejected_return_says_why(api: Api, podium: Podium, smtp: tuple[Inbox, int]) -> None:
    inbox, _ = smtp
    order = _shipped_order(api, "e3")
    body = {"lines": [{"sku": "TEE", "quantity": 1, "reason": "changed_mind"}]}
    rma = api.ok("post", f"/orders/{order['id']}/returns", body)
    api.ok("post", f"/returns/{rma['id']}/reject", {"note": "Worn items cannot come back."})
    drain(podium)
    rejected = next(m for m in inbox.messages if "was not accepted" in m["Subject"])
    assert "Why: Worn items cannot come back." in parts(rejected)["plain"]
    assert "Worn items cannot come back." in parts(rejected)["html"]


def test_the_replacement_of_an_exchange_sends_exchange_shipped(
    api: Api, podium: Podium, smtp: tuple[Inbox, int]
) -> None:
    inbox, _ = smtp
    order = _shipped_order(api, "e4")
    body = {"lines": [{"sku": "TEE", "quantity": 1, "reason": "size_fit"}], "approve": True}
    rma = api.ok("post", f"/orders/{order['id']}/returns", body)
    exchange = {"lines": [{"sku": "TEE", "quantity": 1}], "advance": False}
    receive = {"lines": [{"sku": "TEE", "quantity": 1, "disposition": "restock"}]}
    api.ok("post", f"/returns/{rma['id']}/receive", receive)
    made = api.ok("post", f"/returns/{rma['id']}/exchange", exchange)
    replacement = api.ok("get", f"/orders/{made['order_id']}")
    for s in replacement["shipments"]:
        api.ok("post", f"/shipments/{s['id']}/ship", {"tracking_number": "1ZX", "carrier": "ups"})
    drain(podium)
    drain(podium)
    shipped = [m for m in inbox.messages if "exchange" in m["Subject"]]
    assert [m["Subject"] for m in shipped] == [
        f"Your exchange (order {replacement['number']}) is on its way"
    ]
    assert "Tracking number: 1ZX" in parts(shipped[0])["plain"]
