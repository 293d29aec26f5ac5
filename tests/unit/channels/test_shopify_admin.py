"""The Shopify connector against a fake Shopify that refuses what Shopify 2026-04 refuses:
stock with changeFromQuantity and idempotency keys, fulfilments by line id under the cost cap,
Podium's refunds and cancellations."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from fakes.channels.base import Reply
from fakes.channels.shopify import FakeShopify
from podium.channels.connector import Fulfilment, PlatformError, RefundLinePush
from podium.channels.model import LevelPush
from podium.channels.registry import settings_notes
from podium.channels.settings import ShopifySettings
from podium.channels.shopify_carriers import shopify_company
from podium.channels.shopify_graphql import DOCUMENTS
from podium.channels.shopify_orders import cancel_reason, tracking_info
from shopify_admin_support import LINE, connector_for, item, refund_push


@pytest.fixture
def fake() -> Iterator[FakeShopify]:
    with FakeShopify(restore=2000.0) as server:
        yield server


def _sent(fake: FakeShopify, name: str) -> list[dict[str, Any]]:
    return [v for d, v in fake.sent if d == DOCUMENTS[name]]


def test_a_stock_push_sends_change_from_quantity_even_null_and_an_idempotency_key(
    fake: FakeShopify,
) -> None:
    c, s = connector_for(fake)
    fake.levels[item("1")] = 5
    result = c.push(
        "shop", s, [LevelPush("A", "1", None, 7, 5), LevelPush("B", "2", None, 3, None)]
    )
    assert result.drift == {} and fake.level("1", "1001") == 7 and fake.level("2", "1001") == 3
    (sent,) = _sent(fake, "inventorySetQuantities")
    quantities = sent["input"]["quantities"]
    assert [q["changeFromQuantity"] for q in quantities] == [5, None]
    assert "ignoreCompareQuantity" not in sent["input"] and sent["key"].startswith("podium-stock-")
    assert fake.versions == ["2026-04"]


def test_a_stale_change_from_quantity_is_drift_and_podiums_count_is_set_anyway(
    fake: FakeShopify,
) -> None:
    c, s = connector_for(fake)
    fake.levels[item("1")] = 99  # someone counted in Shopify's admin
    result = c.push("shop", s, [LevelPush("A", "1", None, 6, 7)])
    assert result.drift == {"A": 99} and fake.level("1", "1001") == 6
    first, second = _sent(fake, "inventorySetQuantities")
    assert first["input"]["quantities"][0]["changeFromQuantity"] == 7
    assert second["input"]["quantities"][0]["changeFromQuantity"] is None
    assert first["key"] != second["key"]  # other parameters: another key


class LosesFirstAnswer(FakeShopify):
    """Applies the first mutation, then the answer is lost (a 502): the caller retries."""

    lose = 1

    def route(self, method: str, path: str, query: Any, headers: Any, body: bytes) -> Reply:
        reply = super().route(method, path, query, headers, body)
        if self.lose and b"mutation" in body:
            self.lose -= 1
            return Reply(502, {"errors": "Bad gateway"})
        return reply


def test_a_retried_push_reuses_its_key_so_shopify_applies_it_once() -> None:
    with LosesFirstAnswer(restore=2000.0) as fake:
        c, s = connector_for(fake)
        fake.levels[item("1")] = 5
        result = c.push("shop", s, [LevelPush("A", "1", None, 4, 5)])
        keys = {v["key"] for v in _sent(fake, "inventorySetQuantities")}
    # Without the key the retry would find 4 ≠ changeFromQuantity 5 and report false drift.
    assert result.drift == {} and fake.level("1", "1001") == 4
    assert len(keys) == 1 and fake.replayed == 1 and len(fake.received) == 1


def test_the_same_figures_pushed_again_later_are_a_new_update_with_a_new_key(
    fake: FakeShopify,
) -> None:
    c, s = connector_for(fake)
    fake.levels[item("1")] = 5
    c.push("shop", s, [LevelPush("A", "1", None, 4, 5)])
    fake.levels[item("1")] = 5  # back to 5 (a return, say), then the same sale again
    c.push("shop", s, [LevelPush("A", "1", None, 4, 5)])
    first, second = _sent(fake, "inventorySetQuantities")
    assert first["key"] != second["key"] and len(fake.received) == 2 and fake.replayed == 0


def test_the_fake_refuses_what_2026_04_refuses(fake: FakeShopify) -> None:
    c, s = connector_for(fake)
    old = (
        DOCUMENTS["inventorySetQuantities"]
        .replace(" @idempotent(key: $key)", "")
        .replace(", $key: String!", "")
    )
    with pytest.raises(PlatformError, match="@idempotent"):
        c.graphql(
            "shop", s, old, {"input": {"name": "available", "reason": "x", "quantities": []}}, 10
        )
    too_big = (
        DOCUMENTS["fulfilmentOrders"]
        .replace("first: 5,", "first: 20,")
        .replace("lineItems(first: 50)", "lineItems(first: 100)")
    )
    with pytest.raises(PlatformError, match="exceeds the single query max cost"):
        c.graphql("shop", s, too_big, {"id": "gid://shopify/Order/1"}, 10)
    fake.token = "revoked"
    with pytest.raises(PlatformError, match="401"):
        c.read_levels("shop", s, [LevelPush("A", "1", None, 1, 1)])


def _fulfilment(order: str, count: int, **kw: Any) -> Fulfilment:
    return Fulfilment(
        external_id=order,
        lines=kw.pop("lines", [(f"S{i}", 1, None) for i in range(count)]),
        tracking_number=kw.pop("tracking_number", "1Z999AA10123456784"),
        carrier=kw.pop("carrier", "UPS"),
        tracking_url=kw.pop("tracking_url", None),
        line_items=kw.pop("line_items", [(str(LINE + i), 1) for i in range(count)]),
        shipment_id="sh-1",
    )


def test_a_big_order_is_fulfilled_through_paged_queries_by_line_id_even_without_skus(
    fake: FakeShopify,
) -> None:
    c, s = connector_for(fake)
    # 60 lines, every one without a SKU (held as variant:… in Podium), over 12 fulfilment
    # orders of 5 lines: fulfilment orders come 5 a page.
    fake.add_order("42", [(None, 1) for _ in range(60)], per_fulfilment_order=5)
    c.mark_shipped("shop", s, _fulfilment("42", 60, lines=[("variant:1", 60, None)]))
    assert len(_sent(fake, "fulfilmentOrders")) == 3
    fulfilled = [
        li
        for g in fake.fulfillments[0]["lineItemsByFulfillmentOrder"]
        for li in g["fulfillmentOrderLineItems"]
    ]
    assert len(fulfilled) == 60
    assert all(fo["status"] == "CLOSED" for fo in fake.fulfillment_orders_of("42"))


def test_a_fulfilment_orders_lines_past_the_first_50_are_paged_too(fake: FakeShopify) -> None:
    c, s = connector_for(fake)
    fake.add_order("43", [(f"S{i}", 2) for i in range(120)])
    c.mark_shipped(
        "shop", s, _fulfilment("43", 120, line_items=[(str(LINE + i), 2) for i in range(120)])
    )
    assert len(_sent(fake, "fulfilmentOrderLines")) == 1  # 50 + 100 more
    (fo,) = fake.fulfillment_orders_of("43")
    assert fo["status"] == "CLOSED"


def test_only_the_shipped_lines_are_fulfilled_and_skus_are_the_fallback(fake: FakeShopify) -> None:
    c, s = connector_for(fake)
    fake.add_order("44", [("A", 2), ("B", 1)])
    c.mark_shipped("shop", s, _fulfilment("44", 0, lines=[("B", 1, None)], line_items=[]))
    items = fake.fulfillments[0]["lineItemsByFulfillmentOrder"][0]["fulfillmentOrderLineItems"]
    assert items == [{"id": "gid://shopify/FulfillmentOrderLineItem/441", "quantity": 1}]
    with pytest.raises(PlatformError, match="nothing left"):
        c.mark_shipped("shop", s, _fulfilment("44", 0, lines=[("B", 1, None)], line_items=[]))


def test_tracking_names_a_carrier_shopify_knows_or_sends_the_url(fake: FakeShopify) -> None:
    c, s = connector_for(fake)
    fake.add_order("45", [("A", 1), ("B", 1)])
    c.mark_shipped("shop", s, _fulfilment("45", 1, carrier="DHLExpress"))
    url = "https://track.podium.example/T1"
    c.mark_shipped(
        "shop",
        s,
        _fulfilment("45", 1, carrier="podium", tracking_url=url, line_items=[(str(LINE + 1), 1)]),
    )
    first, second = (f["trackingInfo"] for f in fake.fulfillments)
    assert first == {"number": "1Z999AA10123456784", "company": "DHL Express"}
    assert second == {"number": "1Z999AA10123456784", "url": url}
    (sent,) = _sent(fake, "fulfillmentCreate")[:1]
    assert sent["message"] == "Podium shipment sh-1"


def test_carrier_codes_map_to_shopifys_tracking_companies() -> None:
    assert shopify_company("USPS") == "USPS"
    assert shopify_company("ups-main") == "UPS"
    assert shopify_company("FedExSmartPost") == "FedEx"
    assert shopify_company("fedex") == "FedEx"
    assert shopify_company("DHLExpress") == "DHL Express"
    assert shopify_company("CanadaPost") == "Canada Post"
    assert shopify_company("royal_mail") == "Royal Mail"
    assert shopify_company("podium") is None and shopify_company("Acme Couriers") is None
    assert shopify_company(None) is None and shopify_company("  ") is None


def test_a_bought_labels_carrier_name_wins_over_the_account_code() -> None:
    bought = _fulfilment("1", 1, carrier="easypost-main")
    assert "company" not in tracking_info(bought)
    named = Fulfilment(**{**_asdict(bought), "carrier_name": "USPS"})
    assert tracking_info(named) == {"number": "1Z999AA10123456784", "company": "USPS"}


def _asdict(f: Fulfilment) -> dict[str, Any]:
    return {name: getattr(f, name) for name in f.__slots__}


def test_a_refund_is_made_once_against_the_sale_with_restock_by_disposition(
    fake: FakeShopify,
) -> None:
    c, s = connector_for(fake)
    fake.add_order("50", [("A", 2), ("B", 1)], paid="45.00", gateway="stripe")
    lines = [RefundLinePush(str(LINE), "A", 1, True), RefundLinePush(None, "B", 1, False)]
    push = refund_push("50", "rf-9", 2500, shipping=500, lines=lines, note="Damaged")
    first = c.refund("shop", s, push)
    again = c.refund("shop", s, push)  # a retry of the same Podium refund
    assert first == again and len(fake.refunds) == 1 and fake.replayed == 1
    sent = fake.refunds[0]
    assert sent["refundLineItems"] == [
        {
            "lineItemId": "gid://shopify/LineItem/1000000000000000000",
            "quantity": 1,
            "restockType": "RETURN",
            "locationId": "gid://shopify/Location/1001",
        },
        {
            "lineItemId": "gid://shopify/LineItem/1000000000000000001",  # found by its SKU
            "quantity": 1,
            "restockType": "NO_RESTOCK",
        },
    ]
    assert sent["shipping"] == {"amount": "5.00"} and sent["note"] == "Damaged"
    assert sent["transactions"] == [
        {
            "orderId": "gid://shopify/Order/50",
            "parentId": "gid://shopify/OrderTransaction/501",
            "gateway": "stripe",
            "kind": "REFUND",
            "amount": "25.00",
        }
    ]
    keys = {v["key"] for v in _sent(fake, "refundCreate")}
    assert keys == {"podium-refund-rf-9"}


def test_a_refund_of_more_than_was_paid_is_refused(fake: FakeShopify) -> None:
    c, s = connector_for(fake)
    fake.add_order("51", [("A", 1)], paid="10.00")
    c.refund("shop", s, refund_push("51", "rf-1", 600))
    with pytest.raises(PlatformError, match="exceeds the refundable amount"):
        c.refund("shop", s, refund_push("51", "rf-2", 500, lines=[]))
    with pytest.raises(PlatformError, match="no order"):
        c.refund("shop", s, refund_push("404", "rf-3", 100))


def test_cancel_does_not_refund_restocks_and_an_already_cancelled_order_is_fine(
    fake: FakeShopify,
) -> None:
    c, s = connector_for(fake)
    fake.add_order("60", [("A", 1)])
    c.cancel("shop", s, "60", "Customer asked to cancel")
    c.cancel("shop", s, "60", "Customer asked to cancel")  # a retry: already cancelled
    (sent,) = fake.cancelled
    assert sent["reason"] == "CUSTOMER" and sent["restock"] is True
    assert "refund: false" in DOCUMENTS["orderCancel"]


def test_cancelling_an_order_shopify_has_fulfilled_is_refused(fake: FakeShopify) -> None:
    c, s = connector_for(fake)
    fake.add_order("61", [("A", 1)])
    c.mark_shipped("shop", s, _fulfilment("61", 1))
    with pytest.raises(PlatformError, match="fulfillments"):
        c.cancel("shop", s, "61", "fraud suspected")


def test_cancel_reasons_map_to_shopifys_enum() -> None:
    assert cancel_reason("Fraud suspected") == "FRAUD"
    assert cancel_reason("out of stock") == "INVENTORY"
    assert cancel_reason("payment declined") == "DECLINED"
    assert cancel_reason("duplicate order") == "STAFF"
    assert cancel_reason("whatever") == "OTHER"


def test_an_api_version_shopify_no_longer_serves_is_read_as_2026_04_with_a_note() -> None:
    base = {
        "shop_url": "https://acme.myshopify.com",
        "access_token": "shpat_x",
        "webhook_secret": "whsec",
        "location_id": "1",
    }
    assert ShopifySettings.model_validate(base).api_version == "2026-04"
    old = ShopifySettings.model_validate(base | {"api_version": "2024-04"})
    assert old.api_version == "2026-04"
    (note,) = settings_notes("shopify", base | {"api_version": "2024-04"})
    assert "2024-04" in note and "2026-04" in note
    kept = ShopifySettings.model_validate(base | {"api_version": "2025-10"})
    assert kept.api_version == "2025-10" and kept.notes() == []
    assert settings_notes("shopify", base) == []
