"""A Shopify connector wired to a fake Shopify, and a run of everything the connector sends
(for the conformance suite and the connector's own tests)."""

from __future__ import annotations

from typing import Any

from fakes.channels.shopify import FakeShopify
from podium.channels.connector import Fulfilment, RefundLinePush, RefundPush
from podium.channels.http import Caller
from podium.channels.model import LevelPush
from podium.channels.settings import ShopifySettings
from podium.channels.shopify import ShopifyConnector

LINE = 10**18  # channel_support.shopify_order's first line id (the fake's default too)


def connector_for(fake: FakeShopify, **settings: Any) -> tuple[ShopifyConnector, ShopifySettings]:
    s = ShopifySettings(
        shop_url=fake.url,
        access_token=fake.token,
        webhook_secret="shpss_test_secret",
        location_id="1001",
        **settings,
    )
    return ShopifyConnector(Caller()), s


def item(n: str) -> tuple[str, str]:
    return (f"gid://shopify/InventoryItem/{n}", "gid://shopify/Location/1001")


def refund_push(order: str, refund_id: str, amount: int, **kw: Any) -> RefundPush:
    lines = kw.pop("lines", [RefundLinePush(str(LINE), "A", 1, True)])
    return RefundPush(
        external_id=order,
        refund_id=refund_id,
        currency="USD",
        amount=amount,
        shipping=kw.pop("shipping", 0),
        lines=lines,
        note=kw.pop("note", None),
    )


def run_everything(fake: FakeShopify) -> None:
    """Every call the connector makes, through every path: stock (compare-and-set kept and
    stale), levels, discovery, a fulfilment paged on both levels, a refund, a cancellation."""
    c, s = connector_for(fake)
    fake.levels[item("1")] = 5
    c.push("shop", s, [LevelPush("A", "1", None, 7, 5), LevelPush("B", "2", None, 3, None)])
    fake.levels[item("1")] = 99  # changed in Shopify's admin: drift
    c.push("shop", s, [LevelPush("A", "1", "1001", 6, 7)])
    c.read_levels("shop", s, [LevelPush("A", "1", None, 6, 6)])
    fake.variants = [("A", "1"), ("B", "2"), ("C", "3")]
    c.discover("shop", s)
    lines = [(f"S{i}" if i % 7 else None, 1) for i in range(60)]
    fake.add_order("700", lines[:6], per_fulfilment_order=1)  # 6 fulfilment orders: 2 pages
    fake.add_order("701", lines)  # 60 lines in one fulfilment order: lines paged
    for order, count in (("700", 6), ("701", 60)):
        c.mark_shipped(
            "shop",
            s,
            Fulfilment(
                external_id=order,
                lines=[
                    (sku or f"variant:{i}", 1, None) for i, (sku, _) in enumerate(lines[:count])
                ],
                tracking_number="1Z999AA10123456784",
                carrier="ups-main",
                tracking_url="https://track.example/1Z999AA10123456784",
                line_items=[(str(LINE + i), 1) for i in range(count)],
                shipment_id="sh-1",
            ),
        )
    fake.add_order("800", [("A", 2), ("B", 1)], paid="45.00")
    c.refund("shop", s, refund_push("800", "rf-1", 1500, shipping=500, note="Damaged"))
    fake.add_order("900", [("A", 1)])
    c.cancel("shop", s, "900", "customer changed their mind")
