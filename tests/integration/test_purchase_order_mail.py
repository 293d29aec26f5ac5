"""Sending a purchase order to its supplier over a real SMTP server (aiosmtpd), both engines:
the PDF (which parses and names the lines) and the CSV are attached; a supplier without an
e-mail address or an SMTP server that is down leaves the PO a draft."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import pytest
from test_replenishment_api import put, supplier

from document_checks import pdf_text
from notify_fakes import Inbox, mailing_podium, parts, smtp_server
from podium.bootstrap import Podium
from support import Api, seed_store

PO = "/planning/purchase-orders"


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    with smtp_server() as server:
        yield server


@pytest.fixture
def podium(database_url: str, smtp: tuple[Inbox, int]) -> Iterator[Podium]:
    with mailing_podium(database_url, smtp[1], smtp_from="Acme Shop <shop@acme.example>") as made:
        yield made


def test_sending_a_po_mails_its_pdf_and_csv_to_the_supplier_and_marks_it_sent(
    api: Api, smtp: tuple[Inbox, int]
) -> None:
    inbox, _ = smtp
    seed_store(api, {("TEE", "WEST"): 0, ("MUG", "WEST"): 0}, skus=["TEE", "MUG"])
    api.ok("post", "/planning/suppliers", supplier("ACME"))
    put(api, "/planning/suppliers/ACME/products", {"sku": "TEE", "unit_cost": "3.40"})
    body = {
        "supplier": "ACME",
        "warehouse": "WEST",
        "lines": [{"sku": "TEE", "quantity": 24}, {"sku": "MUG", "quantity": 6, "unit_cost": "2"}],
    }
    number = api.ok("post", PO, body)["number"]
    sent = api.ok("post", f"{PO}/{number}/send")
    assert sent["status"] == "sent" and sent["sent_at"]
    [message] = inbox.messages
    assert inbox.recipients == [["sales@acme.example"]]
    assert message["Subject"] == f"Purchase order {number}"
    assert "93.60 EUR" in parts(message)["plain"]
    files = {a.get_filename(): a.get_content() for a in message.iter_attachments()}
    text = pdf_text(files[f"{number}.pdf"])
    assert number in text and "TEE" in text and "MUG" in text and "Oakland" in text
    rows = list(csv.DictReader(io.StringIO(files[f"{number}.csv"])))
    assert [(r["sku"], r["quantity"], r["unit_cost"]) for r in rows] == [
        ("MUG", "6", "2"),
        ("TEE", "24", "3.40"),
    ]
    assert api.ok("post", f"{PO}/{number}/send")["status"] == "sent"
    assert len(inbox.messages) == 2


def test_a_po_whose_supplier_has_no_address_or_whose_mail_fails_stays_a_draft(
    api: Api, podium: Podium, smtp: tuple[Inbox, int]
) -> None:
    inbox, _ = smtp
    seed_store(api, {("TEE", "WEST"): 0}, skus=["TEE"])
    api.ok("post", "/planning/suppliers", {**supplier("QUIET"), "email": None})
    body = {
        "supplier": "QUIET",
        "warehouse": "WEST",
        "lines": [{"sku": "TEE", "quantity": 1, "unit_cost": "1"}],
    }
    number = api.ok("post", PO, body)["number"]
    r = api.post(f"{PO}/{number}/send")
    assert r.status_code == 422 and r.json()["error"]["code"] == "supplier_without_email"
    api.ok("patch", "/planning/suppliers/QUIET", {"email": "orders@quiet.example"})
    podium.emailer.mailer.port = 1  # nothing listens there
    down = api.post(f"{PO}/{number}/send")
    assert down.status_code == 503 and down.json()["error"]["code"] == "email_unavailable"
    assert api.ok("get", f"{PO}/{number}")["status"] == "draft"
    assert inbox.messages == []
