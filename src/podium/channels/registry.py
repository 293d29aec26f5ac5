"""The connectors Podium knows, by channel type."""

from __future__ import annotations

from podium.channels.amazon import AmazonConnector
from podium.channels.connector import Connectors
from podium.channels.http import Caller
from podium.channels.shopify import ShopifyConnector
from podium.channels.woocommerce import WooCommerceConnector

__all__ = ["build_connectors"]


def build_connectors(caller: Caller | None = None) -> Connectors:
    """One HTTP caller shared by every connector (built in bootstrap)."""
    http = caller or Caller()
    return Connectors(
        [ShopifyConnector(http), WooCommerceConnector(http), AmazonConnector(http)], http
    )
