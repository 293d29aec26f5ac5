"""A rule's notify e-mail over a real SMTP server (aiosmtpd), both engines: sent to the
customer or to an address, through the notify package's e-mailer, on the timeline, and never
twice."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa

from notify_fakes import Inbox, drain, mailing_podium, parts, smtp_server
from podium.bootstrap import Podium
from podium.db.tables import outbox
from podium.events import Envelope
from support import Api, order_body, seed_store


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    with smtp_server() as server:
        yield server


@pytest.fixture
def podium(database_url: str, smtp: tuple[Inbox, int]) -> Iterator[Podium]:
    with mailing_podium(database_url, smtp[1], smtp_from="Acme Shop <shop@acme.example>") as made:
        yield made


RULE: dict[str, Any] = {
    "name": "big orders",
    "trigger": "order.placed",
    "when": {"field": "total", "op": ">=", "value": "30.00"},
    "then": [
        {"action": "hold", "reason": "manual", "note": "check it"},
        {"action": "notify", "email_template": "order_update", "to": "customer"},
        {"action": "notify", "email_template": "order_update", "to": "ops@acme.example"},
    ],
}


def test_a_rule_emails_the_customer_and_an_address_once(
    api: Api, podium: Podium, smtp: tuple[Inbox, int]
) -> None:
    inbox, _ = smtp
    seed_store(api, {("TEE", "EAST"): 5})
    r = api.client.put("/api/v1/automation/rules", json={"rules": [RULE]}, headers=api.headers())
    assert r.status_code == 200, r.text
    order = api.ok("post", "/orders", order_body([("TEE", 2)], external_id="m1"))
    drain(podium)
    update = f"An update on your order {order['number']}"
    sent = sorted((m["To"], m["Subject"]) for m in inbox.messages if m["Subject"] == update)
    assert sent == [("ann@example.com", update), ("ops@acme.example", update)]
    mail = next(m for m in inbox.messages if m["To"] == "ops@acme.example")
    assert "waiting for a check" in parts(mail)["plain"]
    items = api.ok("get", f"/orders/{order['id']}/timeline")["items"]
    said = [e["data"]["to"] for e in items if e["type"] == "notification.sent"]
    assert sorted(said) == ["ann@example.com", "ann@example.com", "ops@acme.example"]
    (fired,) = [e for e in items if e["type"] == "automation.fired"]
    assert fired["data"]["actions"][1:] == [
        "notify e-mail order_update to customer",
        "notify e-mail order_update to ops@acme.example",
    ]

    # The relay is at-least-once: the same events handed over again send nothing more.
    before = len(inbox.messages)
    with podium.db.read() as conn:
        rows = conn.execute(
            sa.select(outbox).where(outbox.c.event_type == "automation.email")
        ).mappings()
        again = [
            Envelope(
                id=row["id"],
                aggregate_type=row["aggregate_type"],
                aggregate_id=row["aggregate_id"],
                type=row["event_type"],
                payload=dict(row["payload"]),
                created_at=row["created_at"],
                attempt=2,
            )
            for row in rows
        ]
    assert len(again) == 2
    handler = next(s.handler for s in podium.registry.subscriptions if s.name == "customer-email")
    assert handler is not None
    for envelope in again:
        handler(envelope)
    assert len(inbox.messages) == before


def test_an_unknown_template_is_said_on_the_timeline_and_sends_nothing(
    api: Api, podium: Podium, smtp: tuple[Inbox, int]
) -> None:
    inbox, _ = smtp
    seed_store(api, {("TEE", "EAST"): 5})
    rule = {**RULE, "then": [{"action": "notify", "email_template": "nope", "to": "customer"}]}
    api.client.put("/api/v1/automation/rules", json={"rules": [rule]}, headers=api.headers())
    order = api.ok("post", "/orders", order_body([("TEE", 2)], external_id="m2"))
    drain(podium)
    assert [m["Subject"] for m in inbox.messages] == [f"Order {order['number']} confirmed"]
    items = api.ok("get", f"/orders/{order['id']}/timeline")["items"]
    (failed,) = [e for e in items if e["type"] == "notification.failed"]
    assert "nope" in failed["message"]
