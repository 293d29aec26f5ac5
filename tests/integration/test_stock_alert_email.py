"""The low-stock alert e-mail (issue 16 item 3), both engines, over a real SMTP server: a
stock.low rule's notify with `to` e-mails that address once per crossing; `to: customer` is a
422 naming the field."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from notify_fakes import Inbox, mailing_podium, parts, smtp_server
from podium.bootstrap import Podium
from support import Api, order_body, seed_store


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    with smtp_server() as server:
        yield server


@pytest.fixture
def podium(database_url: str, smtp: tuple[Inbox, int]) -> Iterator[Podium]:
    with mailing_podium(database_url, smtp[1], smtp_from="Acme Shop <shop@acme.example>") as made:
        yield made


def _drain(podium: Podium) -> None:
    for _ in range(50):
        if not podium.relay.run_once():
            return


def _rule(to: str) -> dict[str, object]:
    return {
        "name": "reorder tees",
        "trigger": "stock.low",
        "when": {"field": "sku", "op": "==", "value": "TEE"},
        "then": [{"action": "notify", "event": "stock.reorder", "to": to}],
    }


def test_a_stock_low_rule_emails_the_buyer_once_per_crossing(
    api: Api, podium: Podium, smtp: tuple[Inbox, int]
) -> None:
    inbox, _ = smtp
    seed_store(api, {("TEE", "EAST"): 10})
    body = {"rules": [_rule("buyer@acme.example")], "stock_thresholds": {"default": 4}}
    r = api.client.put("/api/v1/automation/rules", json=body, headers=api.headers())
    assert r.status_code == 200, r.text
    _drain(podium)
    for i, quantity in enumerate([3, 3, 2]):  # available 10 → 7 → 4 (crosses) → 2
        api.ok("post", "/orders", order_body([("TEE", quantity)], external_id=f"s{i}"))
        _drain(podium)
    alerts = [m for m in inbox.messages if m["To"] == "buyer@acme.example"]
    assert [m["Subject"] for m in alerts] == ["Low stock: TEE at EAST (4 left)"]
    text = parts(alerts[0])["plain"]
    assert "threshold of 4" in text and "planning replenish --sku TEE" in text


def test_a_stock_low_email_to_the_customer_is_refused_naming_the_field(api: Api) -> None:
    r = api.client.put(
        "/api/v1/automation/rules", json={"rules": [_rule("customer")]}, headers=api.headers()
    )
    assert r.status_code == 422, r.text
    assert "to" in r.json()["error"]["details"]["field"]
