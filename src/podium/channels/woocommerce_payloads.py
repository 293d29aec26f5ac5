"""WooCommerce payloads as the REST API (v3) and its webhooks send them, read into Podium's
channel model (pure).

Money: order totals are strings, a line's ``price`` a number. WooCommerce keeps line
``subtotal``/``total`` *before* tax even in a shop whose prices include tax
(``prices_include_tax: true``); such an order is read with tax-inclusive unit prices, shipping
and discount (``taxes_included``), so that its lines add up to the ``total`` the customer paid.
"""

from __future__ import annotations

from typing import Any

from podium.channels.model import (
    ChannelCancellation,
    ChannelLine,
    ChannelOrder,
    ChannelRefund,
    exact_minor,
)
from podium.channels.parsing import MoneyReader, clean_sku, parse_time, text
from podium.errors import ValidationFailed
from podium.payments import PaymentFact, TxKind

__all__ = ["CANCELLED", "cancellation_from_woo", "order_from_woo", "refund_from_woo"]

# "trash": the order was moved to the trash (WooCommerce sends ``order.deleted`` too).
CANCELLED = frozenset({"cancelled", "trash", "failed"})


def _address(raw: Any) -> dict[str, Any] | None:
    if not isinstance(raw, dict) or not str(raw.get("country") or "").strip():
        return None
    name = " ".join(p for p in (text(raw.get("first_name")), text(raw.get("last_name"))) if p)
    out = {
        "name": name or None,
        "company": text(raw.get("company")),
        "line1": text(raw.get("address_1")),
        "line2": text(raw.get("address_2")),
        "city": text(raw.get("city"), 100),
        "region": text(raw.get("state"), 100),
        "postal_code": text(raw.get("postcode"), 20),
        "country": str(raw["country"]).strip().upper(),
        "phone": text(raw.get("phone"), 50),
    }
    return {k: v for k, v in out.items() if v is not None}


def remote_of(item: dict[str, Any]) -> str:
    """A line's listing id: the product id, or ``<product id>:<variation id>``."""
    product, variation = item.get("product_id"), item.get("variation_id")
    return f"{product}:{variation}" if variation else str(product)


def _unit_price(
    item: dict[str, Any], quantity: int, money: MoneyReader, i: int, with_tax: bool
) -> int:
    """The line ``subtotal`` (string, before discounts; plus ``subtotal_tax`` when the shop's
    prices include tax) over the quantity when exact, else the numeric ``price``."""
    subtotal = exact_minor(item.get("subtotal"), money.currency)
    if with_tax and subtotal is not None:
        tax = exact_minor(item.get("subtotal_tax") or "0", money.currency)
        if tax is None:
            money.problems.append(f"line {i + 1} subtotal_tax {item.get('subtotal_tax')!r}")
        else:
            subtotal += tax
            if quantity and subtotal % quantity:
                # WooCommerce rounds the tax per line: the unit price is the nearest cent.
                return (2 * subtotal + quantity) // (2 * quantity)
    if subtotal is not None and quantity and subtotal % quantity == 0:
        return subtotal // quantity
    return money.read(item.get("price"), f"line {i + 1} price")


def order_from_woo(data: Any) -> ChannelOrder:
    if not isinstance(data, dict) or "id" not in data or not data.get("currency"):
        raise ValidationFailed(
            "Not a WooCommerce order.", code="invalid_payload", details={"field": "id"}
        )
    currency = str(data["currency"]).upper()
    money = MoneyReader(currency)
    inclusive = data.get("prices_include_tax") is True
    lines = []
    for i, item in enumerate(data.get("line_items") or []):
        if not isinstance(item, dict):
            continue
        quantity = int(item.get("quantity") or 0)
        if quantity <= 0:
            continue
        remote = remote_of(item)
        lines.append(
            ChannelLine(
                sku=clean_sku(item.get("sku"), f"wc:{remote}"),
                name=text(item.get("name"), 300) or f"wc:{remote}",
                quantity=quantity,
                unit_price=_unit_price(item, quantity, money, i, inclusive),
                remote_id=remote,
                line_id=str(item["id"]) if item.get("id") is not None else None,
            )
        )
    shipping = money.read(data.get("shipping_total"), "shipping_total")
    tax = money.read(data.get("total_tax"), "total_tax")
    discount = money.read(data.get("discount_total"), "discount_total")
    if inclusive:  # what the customer saw: shipping and discounts with their tax
        shipping += money.read(data.get("shipping_tax") or "0", "shipping_tax")
        discount += money.read(data.get("discount_tax") or "0", "discount_tax")
    total = money.read(data.get("total"), "total")
    billing: dict[str, Any] = data["billing"] if isinstance(data.get("billing"), dict) else {}
    address = _address(data.get("shipping")) or _address(billing)
    notes = list(money.problems)
    computed = (
        sum(ln.unit_price * ln.quantity for ln in lines)
        + shipping
        + (0 if inclusive else tax)
        - discount
    )
    if total and computed != total:
        notes.append(f"WooCommerce's total {data.get('total')} ≠ the lines' sum")
    status = str(data.get("status") or "pending")
    return ChannelOrder(
        external_id=str(data["id"]),
        number=text(data.get("number")),
        currency=currency,
        lines=lines,
        # date_*_gmt is UTC without a zone; date_* is the site's local time: never use it.
        updated_at=parse_time(data.get("date_modified_gmt")),
        status=status,
        cancelled=status in CANCELLED,
        placed_at=parse_time(data.get("date_created_gmt")),
        email=text(billing.get("email"), 320),
        name=(address or {}).get("name"),
        phone=text(billing.get("phone"), 50),
        address=address or {},
        billing_address=_address(billing) or {},
        client_ip=text(data.get("customer_ip_address"), 64),
        shipping=shipping,
        tax=tax,
        discount=discount,
        total=total,
        notes=notes,
        review="; ".join(money.problems) or None,
        refunds=[
            ChannelRefund(
                external_id=str(data["id"]),
                refund_id=str(r.get("id")),
                currency=currency,
                amount=abs(exact_minor(r.get("total"), currency) or 0),  # listed negative
                lines=[],
                note=text(r.get("reason"), 1000),
                created_at=None,
            )
            for r in (data.get("refunds") or [])
            if isinstance(r, dict) and r.get("id") is not None
        ],
        payments=_paid(data, status, total),
        paid_by_channel=True,
        taxes_included=inclusive,
    )


# Statuses of an order WooCommerce's gateway has taken the money for.
_PAID = {"processing", "completed", "refunded"}


def _paid(data: dict[str, Any], status: str, total: int) -> list[PaymentFact]:
    """``date_paid`` (or a paid status) means the total was captured; ``failed``, that the
    payment failed; pending and on-hold orders are not paid yet."""
    reference = text(data.get("transaction_id")) or None
    if total and (data.get("date_paid_gmt") or data.get("date_paid") or status in _PAID):
        return [PaymentFact(TxKind.CAPTURE, total, reference=reference)]
    if status == "failed":
        return [PaymentFact(TxKind.CAPTURE, total, succeeded=False, reference=reference)]
    return []


def refund_from_woo(data: Any, currency: str = "USD") -> ChannelRefund:
    """A refund as the REST API returns it; its order id is in ``_links.up``."""
    if not isinstance(data, dict) or "amount" not in data:
        raise ValidationFailed("Not a WooCommerce refund.", code="invalid_payload")
    up = ((data.get("_links") or {}).get("up") or [{}])[0].get("href", "")
    order_id = up.rstrip("/").rsplit("/", 1)[-1] if up else str(data.get("order_id", ""))
    money = MoneyReader(currency)
    return ChannelRefund(
        external_id=order_id,
        refund_id=str(data.get("id")),
        currency=currency,
        amount=money.read(data.get("amount"), "refund amount"),
        lines=[
            {  # refund lines come negative
                "sku": li.get("sku"),
                "remote_id": remote_of(li),
                "quantity": abs(int(li.get("quantity") or 0)),
                "total": str(li.get("total")),
                # WooCommerce restocks refunded items unless told not to (``api_restock``).
                "restock": data.get("api_restock") is not False,
            }
            for li in (data.get("line_items") or [])
        ],
        note=text(data.get("reason"), 1000),
        created_at=parse_time(data.get("date_created_gmt")),
    )


def cancellation_from_woo(data: Any) -> ChannelCancellation:
    """``order.deleted``: WooCommerce moved the order to the trash and sends ``{"id": N}``
    only (the id as the hook received it: a number, or digits as a string)."""
    raw = data.get("id") if isinstance(data, dict) else None
    if isinstance(raw, bool) or not (
        (isinstance(raw, int) and raw > 0) or (isinstance(raw, str) and raw.strip().isdigit())
    ):
        raise ValidationFailed(
            "An order.deleted delivery carries the order's id and nothing else.",
            code="invalid_payload",
            details={"field": "id"},
        )
    return ChannelCancellation(external_id=str(raw).strip(), status="trash")
