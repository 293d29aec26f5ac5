"""Published Shopify refund payloads, reduced to exact facts the way a connector would, become
Podium refunds (and restocked returns) through ``record_channel_refund``."""

from __future__ import annotations

import json
from typing import Any

import pytest

from conftest import SHARED
from podium.bootstrap import Podium
from podium.money import parse_amount
from podium.returns.channel_refunds import ChannelRefundLine, record_channel_refund
from support import Api, order_body, seed_store

FIXTURES = SHARED / "fixtures" / "channels" / "shopify"


def _facts(name: str) -> tuple[int, str, list[ChannelRefundLine], str]:
    path = FIXTURES / name
    if not path.exists():
        pytest.skip("shared channel fixtures are not here")
    refund = json.loads(path.read_text())["refund"]
    money = [
        t for t in refund["transactions"] if t["kind"] == "refund" and t["status"] == "success"
    ]
    currency = money[0].get("currency", "USD")
    amount = sum(parse_amount(t["amount"], currency) for t in money)
    lines = [
        ChannelRefundLine(
            li["line_item"]["sku"],
            li["quantity"],
            li.get("restock_type", "return" if refund.get("restock") else "no_restock")
            != "no_restock",
        )
        for li in refund["refund_line_items"]
    ]
    return amount, currency, lines, str(refund["id"])


@pytest.mark.parametrize(
    ("fixture", "restocked"),
    [("refund_create_response_2024-04_docs_example.json", 0), ("python_api_refund.json", 2)],
)
def test_a_shopify_refund_becomes_a_podium_refund(
    api: Api, podium: Podium, fixture: Any, restocked: Any
) -> None:
    amount, currency, lines, refund_id = _facts(fixture)
    skus = sorted({ln.sku for ln in lines})
    seed_store(api, {(s, "EAST"): 3 for s in skus}, warehouses=("EAST",))
    body = order_body([(s, 1) for s in skus], external_id="450789469")
    for ln in body["lines"]:
        ln["unit_price"] = "199.00"
    order = api.ok("post", "/orders", body)
    api.ok("post", f"/shipments/{order['shipments'][0]['id']}/ship", {})
    refund = record_channel_refund(
        podium.db,
        order_id=order["id"],
        channel_refund_id=refund_id,
        amount=amount,
        currency=currency,
        lines=lines,
    )
    assert parse_amount(refund.amount, "USD") == amount
    assert refund.channel_refund_id == refund_id
    rma = api.ok("get", f"/returns/{refund.return_id}")
    assert sum(ln["quantity_restocked"] for ln in rma["lines"]) == restocked
    on_hand = sum(api.ok("get", f"/inventory/{s}")["on_hand"] for s in skus)
    assert on_hand == 3 * len(skus) - len(skus) + restocked
    timeline = api.ok("get", f"/orders/{order['id']}/timeline")["items"]
    assert "refund.issued" in [e["type"] for e in timeline]
