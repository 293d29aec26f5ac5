"""The platform-neutral side of pushing refunds and cancellations, through a small fake
connector standing for Shopify (its real ``refundCreate``/``orderCancel`` are the Shopify
connector's): the RefundPush built from a returned order (the platform's line ids, restock from
the return's dispositions, shipping), store credit kept in Podium, refusals shown."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any, cast

import pytest
from typer.testing import CliRunner

from podium.bootstrap import Podium
from podium.channels import (
    Connectors,
    on_order_cancelled,
    on_order_partially_cancelled,
    on_refund_issued,
)
from podium.channels.connector import Connector, PlatformError, RefundLinePush, RefundPush
from podium.channels.intake import apply_order
from podium.channels.model import ChannelLine, ChannelOrder
from podium.cli import app as cli
from podium.events import Envelope
from podium.payments import PaymentFact, TxKind
from support import Api, seed_store


class FakeShopifyMoney:
    """Only what the subscribers call: ``refund`` and ``cancel``, recorded."""

    type = "shopify"

    def __init__(self) -> None:
        self.refunds: list[RefundPush] = []
        self.cancelled: list[tuple[str, str | None]] = []
        self.refuse: PlatformError | None = None

    def refund(self, channel: str, settings: Any, push: RefundPush) -> str:
        if self.refuse is not None:
            raise self.refuse
        self.refunds.append(push)
        return f"gid://shopify/Refund/{len(self.refunds)}"

    def cancel(self, channel: str, settings: Any, external_id: str, reason: str | None) -> None:
        self.cancelled.append((external_id, reason))


@pytest.fixture
def shop(api: Api) -> FakeShopifyMoney:
    seed_store(api, {("TEE-M", "EAST"): 8, ("MUG", "EAST"): 8}, warehouses=("EAST",))
    settings = {
        "shop_url": "https://shop.example.invalid",
        "access_token": "shpat_x",
        "webhook_secret": "s",
        "location_id": "1",
    }
    api.ok(
        "post",
        "/channels",
        {"code": "shop", "name": "Shop", "type": "shopify", "settings": settings},
    )
    return FakeShopifyMoney()


def _capture(podium: Podium, external_id: str) -> str:
    order = ChannelOrder(
        external_id=external_id,
        currency="USD",
        lines=[
            ChannelLine("TEE-M", "Tee", 2, 1000, line_id="gid://shopify/LineItem/11"),
            ChannelLine("MUG", "Mug", 1, 800, line_id="gid://shopify/LineItem/12"),
        ],
        updated_at=datetime(2026, 11, 20, 10, tzinfo=UTC),
        status="paid",
        address={
            "country": "US",
            "line1": "1 Main",
            "city": "Austin",
            "region": "TX",
            "postal_code": "78701",
        },
        email="ann@example.com",
        shipping=500,
        total=3300,
        payments=[PaymentFact(TxKind.CAPTURE, 3300)],
        paid_by_channel=True,
    )
    applied = apply_order(podium.db, podium.allocator, "shop", order, "system:channels")
    assert applied.order_id is not None
    return applied.order_id


def _envelope(order_id: str, kind: str, payload: dict[str, Any]) -> Envelope:
    return Envelope(0, "order", order_id, kind, payload, datetime.now(UTC), 1)


def _refund_event(order_id: str, refund: dict[str, Any], source: str = "podium") -> Envelope:
    return _envelope(
        order_id,
        "refund.issued",
        {
            "order_id": order_id,
            "refund_id": refund["id"],
            "amount": refund["amount"],
            "currency": refund["currency"],
            "method": refund["method"],
            "source": source,
        },
    )


def _returned_and_refunded(api: Api, order_id: str) -> dict[str, Any]:
    shipment = api.ok("get", f"/orders/{order_id}")["shipments"][0]["id"]
    api.ok("post", f"/shipments/{shipment}/ship", {}, role="warehouse")
    ret = api.ok(
        "post",
        f"/orders/{order_id}/returns",
        {"lines": [{"sku": "TEE-M", "quantity": 2, "reason": "size_fit"}]},
    )
    api.ok("post", f"/returns/{ret['id']}/approve")
    api.ok(
        "post",
        f"/returns/{ret['id']}/receive",
        {
            "lines": [
                {"sku": "TEE-M", "quantity": 1, "disposition": "restock"},
                {"sku": "TEE-M", "quantity": 1, "disposition": "damaged"},
            ]
        },
    )
    refund: dict[str, Any] = api.ok(
        "post", f"/returns/{ret['id']}/refund", {"include_shipping": True}
    )
    return refund


def test_a_returned_refund_names_the_platform_lines_and_restocks_only_restocked_units(
    api: Api, podium: Podium, shop: FakeShopifyMoney
) -> None:
    order_id = _capture(podium, "450789469")
    refund = _returned_and_refunded(api, order_id)
    handle = on_refund_issued(podium.db, Connectors([cast(Connector, shop)]))
    handle(_refund_event(order_id, refund))
    handle(_refund_event(order_id, refund))  # redelivered: linked already, not pushed again
    [push] = shop.refunds
    assert push.external_id == "450789469" and push.refund_id == refund["id"]
    assert (push.amount, push.shipping, push.currency) == (2500, 500, "USD")
    assert push.lines == [
        RefundLinePush("gid://shopify/LineItem/11", "TEE-M", 1, True),
        RefundLinePush("gid://shopify/LineItem/11", "TEE-M", 1, False),
    ]
    items = api.ok("get", f"/orders/{order_id}/timeline")["items"]
    [pushed] = [e for e in items if e["type"] == "channel.refund_pushed"]
    assert pushed["message"].startswith("Shopify refund gid://shopify/Refund/1 created")


def test_store_credit_and_channel_refunds_stay_in_podium(
    api: Api, podium: Podium, shop: FakeShopifyMoney
) -> None:
    order_id = _capture(podium, "450789470")
    refund = api.ok(
        "post", f"/orders/{order_id}/refunds", {"amount": "3.00", "method": "store_credit"}
    )
    handle = on_refund_issued(podium.db, Connectors([cast(Connector, shop)]))
    handle(_refund_event(order_id, refund))
    handle(_refund_event(order_id, {**refund, "method": "original_payment"}, source="channel"))
    assert shop.refunds == []


def test_a_platform_refusal_is_recorded_and_a_failure_is_raised_for_the_relay(
    api: Api, podium: Podium, shop: FakeShopifyMoney
) -> None:
    order_id = _capture(podium, "450789471")
    refund = api.ok(
        "post", f"/orders/{order_id}/refunds", {"lines": [{"sku": "MUG", "quantity": 1}]}
    )
    handle = on_refund_issued(podium.db, Connectors([cast(Connector, shop)]))
    shop.refuse = PlatformError("Shopify is down", details={"status": 503})
    with pytest.raises(PlatformError):
        handle(_refund_event(order_id, refund))
    shop.refuse = PlatformError("Refund amount exceeds", details={"status": 200, "refused": True})
    handle(_refund_event(order_id, refund))
    items = api.ok("get", f"/orders/{order_id}/timeline")["items"]
    [refused] = [e for e in items if e["type"] == "channel.refund_refused"]
    assert "Refund amount exceeds" in refused["message"]
    assert "Refund amount exceeds" in api.ok("get", "/channels/shop/health")["last_error"]


def test_a_podium_cancel_is_pushed_and_a_channel_cancel_is_not(
    api: Api, podium: Podium, shop: FakeShopifyMoney
) -> None:
    ours = _capture(podium, "450789472")
    api.ok("post", f"/orders/{ours}/cancel", {"reason": "customer asked"})
    handle = on_order_cancelled(podium.db, Connectors([cast(Connector, shop)]))
    payload = {"reason": "customer asked", "partial": False, "lines": []}
    handle(_envelope(ours, "order.cancelled", payload))
    handle(_envelope(ours, "order.cancelled", payload))  # redelivered: told once
    assert shop.cancelled == [("450789472", "customer asked")]

    theirs = _capture(podium, "450789473")
    order = ChannelOrder(
        external_id="450789473",
        currency="USD",
        lines=[],
        updated_at=datetime(2026, 11, 20, 11, tzinfo=UTC),
        status="cancelled",
        cancelled=True,
    )
    apply_order(podium.db, podium.allocator, "shop", order, "system:channels")
    reason = "cancelled on the channel (cancelled)"
    handle(_envelope(theirs, "order.cancelled", {"reason": reason, "partial": False, "lines": []}))
    assert shop.cancelled == [("450789472", "customer asked")]


def test_the_cli_turns_a_channels_refund_push_off_and_masks_secrets(
    api: Api, podium: Podium, shop: FakeShopifyMoney, database_url: str, monkeypatch: Any
) -> None:
    monkeypatch.setenv("PODIUM_DATABASE_URL", database_url)
    result = CliRunner().invoke(cli, ["channels", "settings", "shop", "-s", "push_refunds=false"])
    assert result.exit_code == 0, result.output
    shown = json.loads(result.output.strip().splitlines()[-1])
    assert shown["push_refunds"] is False and shown["push_cancellations"] is True
    assert "shpat_x" not in result.output
    order_id = _capture(podium, "450789474")
    refund = api.ok(
        "post", f"/orders/{order_id}/refunds", {"lines": [{"sku": "MUG", "quantity": 1}]}
    )
    on_refund_issued(podium.db, Connectors([cast(Connector, shop)]))(
        _refund_event(order_id, refund)
    )
    assert shop.refunds == []


def test_units_cancelled_on_a_channel_paid_order_are_refunded_on_the_platform_once(
    api: Api, podium: Podium, shop: FakeShopifyMoney
) -> None:
    order_id = _capture(podium, "450789475")
    payload = {
        "reason": "out of stock",
        "partial": True,
        "lines": [{"line_no": 2, "sku": "MUG", "quantity": 1}],
        "amount": "8.00",
        "currency": "USD",
    }
    event = Envelope(
        41, "order", order_id, "order.partially_cancelled", payload, datetime.now(UTC), 1
    )
    handle = on_order_partially_cancelled(podium.db, Connectors([cast(Connector, shop)]))
    handle(event)
    handle(event)  # redelivered
    [push] = shop.refunds
    assert (push.refund_id, push.amount, push.shipping) == ("cancel-41", 800, 0)
    assert push.lines == [RefundLinePush("gid://shopify/LineItem/12", "MUG", 1, True)]
    assert push.note == "Podium cancelled 1 unshipped unit(s): out of stock"
    channel_made = {**payload, "reason": "cancelled on the channel (partially)"}
    handle(
        Envelope(
            42, "order", order_id, "order.partially_cancelled", channel_made, datetime.now(UTC), 1
        )
    )
    assert len(shop.refunds) == 1
