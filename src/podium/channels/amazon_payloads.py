"""Amazon SP-API orders as Podium reads them (pure).

Which orders are work: a merchant-fulfilled (``MFN``) order in ``Unshipped`` or
``PartiallyShipped`` is captured to ship. An Amazon-fulfilled (``AFN``, FBA) sale is captured as
handed over by the channel: stock sold at Amazon, nothing to pick, pack or label. An order
already ``Shipped``/``InvoiceUnconfirmed`` (shipped outside Podium), ``Canceled`` or
``Unfulfillable`` is news about an order Podium may have, never new work.

Money: an Amazon order is priced in one marketplace currency (``OrderTotal``'s, else the first
item's). An amount in another currency, or one that currency cannot hold exactly (``"25.99"``
JPY), is never converted or rounded: the order is captured with that amount left out, the
amounts as sent are written on its timeline, and it is held (reason ``payment``) for a human.
A currency Podium does not know is read as the marketplace's, every amount left out and held.

Buyer name, e-mail and address are restricted data: without a Restricted Data Token Amazon
sends only city, region and postal code. A merchant-fulfilled order without a street address is
captured and held (reason ``address``) until someone enters it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from podium.channels.model import ChannelLine, ChannelOrder
from podium.channels.parsing import MoneyReader, clean_sku, parse_time, text
from podium.errors import ValidationFailed
from podium.money import CURRENCY_EXPONENTS
from podium.payments import PaymentFact, TxKind

__all__ = [
    "MARKETPLACE_COUNTRY",
    "NOT_YET",
    "ORDER_STATUSES",
    "amazon_carrier",
    "is_news_only",
    "order_from_amazon",
]

# Orders Amazon says not to ship (yet): payment pending, pre-orders. Polled again when they move.
NOT_YET = frozenset({"Pending", "PendingAvailability"})
WORK = frozenset({"Unshipped", "PartiallyShipped"})
# What getOrders is asked for (Unshipped and PartiallyShipped must be asked for together).
ORDER_STATUSES = (
    "Unshipped",
    "PartiallyShipped",
    "Shipped",
    "InvoiceUnconfirmed",
    "Canceled",
    "Unfulfillable",
)
MARKETPLACE_COUNTRY = {
    "ATVPDKIKX0DER": ("US", "USD"),
    "A2EUQ1WTGCTBG2": ("CA", "CAD"),
    "A1AM78C64UM0Y8": ("MX", "MXN"),
    "A1F83G8C2ARO7P": ("GB", "GBP"),
    "A1PA6795UKMFR9": ("DE", "EUR"),
    "A13V1IB3VIYZZH": ("FR", "EUR"),
    "APJ6JRA9NG5V4": ("IT", "EUR"),
    "A1RKKUPIHCS9HS": ("ES", "EUR"),
    "A1VC38T7YXB528": ("JP", "JPY"),
    "A39IBJ37TRP1C6": ("AU", "AUD"),
}


def is_news_only(raw: dict[str, Any]) -> bool:
    """An order that is no new work: merchant-fulfilled and shipped, or cancelled/
    unfulfillable however fulfilled. Applied to an order Podium has, else ignored."""
    status = str(raw.get("OrderStatus") or "")
    afn = str(raw.get("FulfillmentChannel") or "MFN").upper() == "AFN"
    if status in {"Canceled", "Unfulfillable"}:
        return True
    return not afn and status not in WORK


def _money(m: Any) -> tuple[Any, str | None]:
    if not isinstance(m, dict):
        return None, None
    cur = m.get("CurrencyCode")
    return m.get("Amount"), str(cur).upper() if isinstance(cur, str) else None


def _quantity(raw: Any) -> int:
    try:
        value = int(str(raw).strip()) if raw is not None and not isinstance(raw, bool) else 0
    except ValueError:
        return 0
    return value if 0 < value < 1_000_000 else 0


def _address(raw: Any, marketplace: str | None) -> dict[str, Any]:
    country = MARKETPLACE_COUNTRY.get(marketplace or "", ("US", "USD"))[0]
    if not isinstance(raw, dict):
        return {"country": country}
    out = {
        "name": text(raw.get("Name")),
        "line1": text(raw.get("AddressLine1")),
        "line2": text(raw.get("AddressLine2")),
        "city": text(raw.get("City"), 100),
        "region": text(raw.get("StateOrRegion"), 100),
        "postal_code": text(raw.get("PostalCode"), 20),
        "country": (text(raw.get("CountryCode"), 2) or country).upper(),
        "phone": text(raw.get("Phone"), 50),
    }
    if not out["line1"] and raw.get("AddressLine2"):
        out["line1"], out["line2"] = out["line2"], None
    return {k: v for k, v in out.items() if v is not None}


def _currency(order: dict[str, Any], items: Sequence[dict[str, Any]]) -> tuple[str, str | None]:
    """The order's currency, and a problem when what Amazon sent is not one Podium knows."""
    _, total_currency = _money(order.get("OrderTotal"))
    first_item = next((_money(i.get("ItemPrice"))[1] for i in items if i.get("ItemPrice")), None)
    sent = total_currency or first_item
    market = MARKETPLACE_COUNTRY.get(str(order.get("MarketplaceId") or ""), ("US", "USD"))[1]
    if sent is None:
        return market, None
    if sent in CURRENCY_EXPONENTS:
        return sent, None
    return market, f"Amazon priced the order in {sent[:10]!r}, a currency Podium does not know"


def order_from_amazon(
    order: dict[str, Any], items: Sequence[dict[str, Any]], *, restricted_refused: bool = False
) -> ChannelOrder:
    """``restricted_refused``: Amazon refused a Restricted Data Token, so buyer and address
    were not asked for (the app lacks the role)."""
    if not isinstance(order, dict) or not order.get("AmazonOrderId"):
        raise ValidationFailed("Not an Amazon order.", code="invalid_payload")
    order_id = str(order["AmazonOrderId"])[:100]
    currency, currency_problem = _currency(order, items)
    money = MoneyReader(currency)
    if currency_problem:
        money.problems.append(currency_problem)

    def read(m: Any, what: str) -> int:
        amount, cur = _money(m)
        return money.read(amount, what, cur) if amount is not None else 0

    lines, shipping, tax, discount = [], 0, 0, 0
    for i, item in enumerate(i for i in items if isinstance(i, dict)):
        quantity = _quantity(item.get("QuantityOrdered"))
        if quantity <= 0:
            continue
        sku_text = text(item.get("SellerSKU"), 200)
        line_total = read(item.get("ItemPrice"), f"item {sku_text} ItemPrice")
        if line_total % quantity:
            money.problems.append(f"item {sku_text} ItemPrice does not divide by its quantity")
        remote = sku_text or text(item.get("ASIN"), 100) or f"item:{i}"
        lines.append(
            ChannelLine(
                sku=clean_sku(item.get("SellerSKU"), f"asin:{item.get('ASIN')}"),
                name=text(item.get("Title"), 300) or remote,
                quantity=quantity,
                unit_price=line_total // quantity,  # ItemPrice is the line total
                remote_id=remote,
                line_id=text(item.get("OrderItemId"), 100),
            )
        )
        shipping += read(item.get("ShippingPrice"), "ShippingPrice")
        buyer_item = item.get("BuyerInfo") if isinstance(item.get("BuyerInfo"), dict) else {}
        shipping += read((buyer_item or {}).get("GiftWrapPrice"), "GiftWrapPrice")
        tax += read(item.get("ItemTax"), "ItemTax") + read(item.get("ShippingTax"), "ShippingTax")
        discount += read(item.get("PromotionDiscount"), "PromotionDiscount")
        discount += read(item.get("ShippingDiscount"), "ShippingDiscount")
    total_amount, _ = _money(order.get("OrderTotal"))
    total = money.read(total_amount, "OrderTotal") if total_amount is not None else None
    buyer = order.get("BuyerInfo") if isinstance(order.get("BuyerInfo"), dict) else {}
    status = str(order.get("OrderStatus") or "Unshipped")
    address = _address(order.get("ShippingAddress"), order.get("MarketplaceId"))
    afn = str(order.get("FulfillmentChannel") or "MFN").upper() == "AFN"
    news_only = is_news_only(order)
    review, reason = "; ".join(money.problems)[:1000] or None, "payment"
    if not afn and not news_only and not (address.get("line1") and address.get("city")):
        why = (
            "Amazon refused a Restricted Data Token (the app lacks the role for buyer addresses)"
            if restricted_refused
            else "Amazon sent no street address"
        )
        review = "; ".join(p for p in (f"{why}: enter the address to ship", review) if p)
        reason = "address"
    return ChannelOrder(
        external_id=order_id,
        number=order_id,
        currency=currency,
        lines=lines,
        updated_at=parse_time(order.get("LastUpdateDate")),
        status=status,
        cancelled=status == "Canceled",
        placed_at=parse_time(order.get("PurchaseDate")),
        email=text((buyer or {}).get("BuyerEmail"), 320),
        name=text((buyer or {}).get("BuyerName")) or address.get("name"),
        address=address,
        shipping=shipping,
        tax=tax,
        discount=discount,
        total=total,
        notes=list(money.problems),
        review=review[:1000] if review else None,
        review_reason=reason,
        payments=_paid(status, total, order_id),
        paid_by_channel=True,
        handed_over="by_channel" if afn else None,
        only_if_known=news_only,
    )


# Amazon collects the money: once an order is Unshipped or (Partially)Shipped, it is paid.
_PAID = {"Unshipped", "PartiallyShipped", "Shipped", "InvoiceUnconfirmed"}


def _paid(status: str, total: int | None, order_id: str) -> list[PaymentFact]:
    if status in _PAID and total:
        return [PaymentFact(TxKind.CAPTURE, total, reference=order_id)]
    return []


# Amazon's carrier codes (the CarrierCode list of its order fulfilment feeds, which
# confirmShipment takes) by Podium's spellings: account codes ("ups", "fedex-ground") and the
# names EasyPost and labels use ("DHLExpress", "CanadaPost"). Anything else is "Other" with
# the carrier's own name.
_CARRIERS = {
    "usps": "USPS",
    "ups": "UPS",
    "upsmi": "UPSMI",
    "upsmailinnovations": "UPS Mail Innovations",
    "fedex": "FedEx",
    "fedexsmartpost": "FedEx SmartPost",
    "dhl": "DHL",
    "dhlexpress": "DHL",
    "dhlglobalmail": "DHL Global Mail",
    "ontrac": "OnTrac",
    "lasership": "Lasership",
    "osm": "OSM",
    "newgistics": "Newgistics",
    "canadapost": "Canada Post",
    "royalmail": "Royal Mail",
    "parcelforce": "Parcelforce",
    "yodel": "Yodel",
    "dpd": "DPD",
    "gls": "GLS",
    "tnt": "TNT",
    "hermes": "Hermes Logistik Gruppe",
    "deutschepost": "Deutsche Post",
    "laposte": "La Poste",
    "chronopost": "Chronopost",
    "posteitaliane": "Poste Italiane",
    "sda": "SDA",
    "australiapost": "Australia Post",
    "yamato": "YamatoTransport",
    "yamatotransport": "YamatoTransport",
    "sagawa": "SagawaExpress",
    "sagawaexpress": "SagawaExpress",
    "amazonshipping": "Amazon Shipping",
}


def amazon_carrier(*names: str | None) -> tuple[str, str | None]:
    """(carrierCode, carrierName) for the first of ``names`` Amazon knows; else ``Other``
    with the first name given as ``carrierName`` (Amazon requires one with ``Other``)."""
    given = [n.strip() for n in names if n and n.strip()]
    for name in given:
        words = [w for w in re.split(r"[^a-z0-9]+", name.lower()) if w]
        for n in range(len(words), 0, -1):  # "fedex-smartpost-east" → fedexsmartpost
            code = _CARRIERS.get("".join(words[:n]))
            if code is not None:
                return code, None
    return "Other", (given[0][:100] if given else "Unspecified")
