"""Shopify payloads as Shopify sends them, read into Podium's channel model (pure).

Webhook bodies are the bare object; the REST responses in the published fixtures wrap it as
``{"order": …}`` / ``{"refund": …}``: both are accepted.
"""

from __future__ import annotations

from typing import Any

from podium.channels.model import ChannelLine, ChannelOrder, ChannelRefund
from podium.channels.parsing import MoneyReader, clean_sku, parse_time, text
from podium.errors import ValidationFailed
from podium.payments import PaymentFact, TxKind

__all__ = ["order_from_shopify", "refund_from_shopify"]


def _address(raw: Any) -> dict[str, Any] | None:
    if not isinstance(raw, dict) or not (raw.get("country_code") or "").strip():
        return None
    out: dict[str, Any] = {
        "name": text(raw.get("name")),
        "company": text(raw.get("company")),
        "line1": text(raw.get("address1")),
        "line2": text(raw.get("address2")),
        "city": text(raw.get("city"), 100),
        "region": text(raw.get("province_code") or raw.get("province"), 100),
        "postal_code": text(raw.get("zip"), 20),
        "country": str(raw["country_code"]).strip().upper(),
        "phone": text(raw.get("phone"), 50),
    }
    try:  # latitude and longitude come as strings or numbers
        lat, lon = float(raw["latitude"]), float(raw["longitude"])
        if -90 <= lat <= 90 and -180 <= lon <= 180:
            out["latitude"], out["longitude"] = lat, lon
    except (KeyError, TypeError, ValueError):
        pass
    return {k: v for k, v in out.items() if v is not None}


# Shopify's fraud analysis: REST order risks say "accept" / "investigate" / "cancel" (the
# GraphQL ``risk.recommendation`` says the same in capitals); the worst one is the verdict.
_RECOMMENDATION = {"accept": "low", "investigate": "medium", "cancel": "high"}
_LEVELS = ("low", "medium", "high")


def _browser_ip(o: dict[str, Any]) -> str | None:
    details = o.get("client_details") if isinstance(o.get("client_details"), dict) else {}
    return text(o.get("browser_ip") or (details or {}).get("browser_ip"), 64)


def _risk(o: dict[str, Any]) -> tuple[str | None, str | None]:
    """Shopify's own verdict on the order (from ``risks`` or ``risk``), if the payload has it."""
    found: list[tuple[str, str | None]] = []
    risks = o.get("risks")
    for r in risks if isinstance(risks, list) else []:
        if isinstance(r, dict):
            level = _RECOMMENDATION.get(str(r.get("recommendation") or "").lower())
            if level:
                found.append((level, text(r.get("message"), 300)))
    graph = o.get("risk")
    if isinstance(graph, dict):
        level = _RECOMMENDATION.get(str(graph.get("recommendation") or "").lower())
        if level:
            found.append((level, None))
    if not found:
        return None, None
    level, message = max(found, key=lambda f: _LEVELS.index(f[0]))
    return level, f"Shopify recommends {'cancel' if level == 'high' else level}" + (
        f": {message}" if message else ""
    )


def _unwrap(data: Any, key: str) -> Any:
    """A webhook body is the bare object; a REST response wraps it as ``{key: …}``."""
    if isinstance(data, dict) and isinstance(data.get(key), dict):
        return data[key]
    return data


def _count(value: Any) -> int:
    """A quantity as Shopify sends it (a number, rarely a string); anything else is 0."""
    try:
        return int(str(value).strip()) if value is not None and not isinstance(value, bool) else 0
    except ValueError:
        return 0


def _id(value: Any) -> str | None:
    """A Shopify id as exact text: ids pass 2^53, so never through a float."""
    if value is None or isinstance(value, bool) or value == "":
        return None
    return str(value).strip()[:200] or None


def _line(item: dict[str, Any], i: int, money: MoneyReader) -> ChannelLine:
    variant = _id(item.get("variant_id"))
    fallback = f"variant:{variant}" if variant else f"line:{i}"
    return ChannelLine(
        sku=clean_sku(item.get("sku"), fallback),
        name=(text(item.get("name") or item.get("title"), 300) or fallback),
        quantity=_count(item.get("quantity")),
        unit_price=money.read(item.get("price"), f"line {i + 1} price"),
        remote_id=variant,
        line_id=_id(item.get("id")),
    )


def order_from_shopify(data: Any) -> ChannelOrder:
    o = _unwrap(data, "order")
    if not isinstance(o, dict) or _id(o.get("id")) is None or not o.get("currency"):
        raise ValidationFailed(
            "Not a Shopify order.", code="invalid_payload", details={"field": "id"}
        )
    currency = str(o["currency"]).strip().upper()
    money = MoneyReader(currency)
    items = [item for item in (o.get("line_items") or []) if isinstance(item, dict)]
    lines = [
        ln for ln in (_line(item, i, money) for i, item in enumerate(items)) if ln.quantity > 0
    ]
    shipping = sum(
        money.read(s.get("price"), "shipping")
        for s in (o.get("shipping_lines") or [])
        if isinstance(s, dict)
    )
    total = money.read(o.get("total_price"), "total_price")
    tax = money.read(o.get("total_tax"), "total_tax")
    discount = money.read(o.get("total_discounts"), "total_discounts")
    # Tax-inclusive shops (EU, UK, AU): prices and shipping already carry ``total_tax``, and
    # ``total_price`` (what the customer paid) is lines + shipping - discounts.
    included = o.get("taxes_included") is True or o.get("taxes_included") == "true"
    customer: dict[str, Any] = o["customer"] if isinstance(o.get("customer"), dict) else {}
    billing = _address(o.get("billing_address"))
    address = _address(o.get("shipping_address")) or billing
    risk, risk_detail = _risk(o)
    notes = list(money.problems)
    computed = sum(ln.unit_price * ln.quantity for ln in lines) + shipping - discount
    computed += 0 if included else tax
    if total and computed != total:
        notes.append(f"Shopify's total_price {o.get('total_price')} ≠ the lines' sum")
    name = " ".join(
        p for p in (text(customer.get("first_name")), text(customer.get("last_name"))) if p
    )
    # A POS sale was paid and handed over at the till of ``location_id``.
    pos = str(o.get("source_name") or "").strip().lower() == "pos"
    return ChannelOrder(
        external_id=str(_id(o["id"])),
        number=text(o.get("name")),
        currency=currency,
        lines=lines,
        updated_at=parse_time(o.get("updated_at")),
        status=str(o.get("financial_status") or "open"),
        cancelled=bool(o.get("cancelled_at")),
        placed_at=parse_time(o.get("processed_at") or o.get("created_at")),
        email=text(o.get("email") or o.get("contact_email"), 320),
        name=name or (address or {}).get("name"),
        phone=text(o.get("phone"), 50),
        address=address or {},
        billing_address=billing or {},
        client_ip=_browser_ip(o),
        risk=risk,
        risk_detail=risk_detail,
        shipping=shipping,
        tax=tax,
        discount=discount,
        total=total,
        notes=notes,
        review="; ".join(money.problems) or None,
        refunds=[
            refund_from_shopify({**r, "order_id": o["id"]})
            for r in (o.get("refunds") or [])
            if isinstance(r, dict) and r.get("id") is not None
        ],
        payments=_payments(o, money, total or computed),
        paid_by_channel=True,
        handed_over="in_store" if pos else None,
        store_location=_id(o.get("location_id")) if pos else None,
        taxes_included=included,
        tags=shopify_tags(o.get("tags")),
    )


# Shopify transaction kinds → Podium's (``refund`` comes through the refunds instead).
_KINDS = {
    "authorization": TxKind.AUTHORIZE,
    "capture": TxKind.CAPTURE,
    "sale": TxKind.CAPTURE,
    "void": TxKind.VOID,
}
_OUTCOME = {"success": True, "failure": False, "error": False}  # pending: not a fact yet


def _payments(o: dict[str, Any], money: MoneyReader, total: int) -> list[PaymentFact]:
    """The order's transactions when the payload carries them, else what its
    ``financial_status`` implies about the total."""
    txs = o.get("transactions")
    if isinstance(txs, list):
        return [
            PaymentFact(
                _KINDS[t["kind"]],
                0
                if t["kind"] == "void"
                else money.read(t.get("amount"), "transaction", t.get("currency")),
                _OUTCOME[t["status"]],
                str(t["id"]) if t.get("id") is not None else None,
            )
            for t in txs
            if isinstance(t, dict) and t.get("kind") in _KINDS and t.get("status") in _OUTCOME
        ]
    status = o.get("financial_status")
    if status in ("paid", "partially_refunded", "refunded"):
        return [PaymentFact(TxKind.CAPTURE, total)]
    if status == "partially_paid":
        outstanding = money.read(o.get("total_outstanding"), "total_outstanding")
        return [PaymentFact(TxKind.CAPTURE, total - outstanding)] if total > outstanding else []
    if status == "authorized":
        return [PaymentFact(TxKind.AUTHORIZE, total)]
    if status == "voided":
        return [PaymentFact(TxKind.AUTHORIZE, total), PaymentFact(TxKind.VOID, 0)]
    return []  # pending, expired, unknown: nothing was paid


def refund_from_shopify(data: Any) -> ChannelRefund:
    r = _unwrap(data, "refund")
    if not isinstance(r, dict) or "order_id" not in r:
        raise ValidationFailed(
            "Not a Shopify refund.", code="invalid_payload", details={"field": "order_id"}
        )
    transactions = [t for t in (r.get("transactions") or []) if isinstance(t, dict)]
    currency = next(
        (str(t["currency"]).upper() for t in transactions if t.get("currency")), None
    ) or _currency_of_lines(r)
    money = MoneyReader(currency)
    amount = sum(
        money.read(t.get("amount"), "refund transaction", t.get("currency"))
        for t in transactions
        if t.get("kind") in ("refund", None) and t.get("status") in ("success", None)
    )
    lines = [
        {
            "sku": _item(li).get("sku"),
            "remote_id": _variant(_item(li)),
            "line_item_id": str(li.get("line_item_id")),
            "quantity": li.get("quantity"),
            "restock_type": li.get("restock_type"),
            "restock": _restocked(li.get("restock_type"), r.get("restock")),
            "subtotal": str(li.get("subtotal")),
        }
        for li in (r.get("refund_line_items") or [])
        if isinstance(li, dict)
    ]
    return ChannelRefund(
        external_id=str(r["order_id"]),
        refund_id=str(r.get("id")),
        currency=currency,
        amount=amount,
        lines=lines,
        note=text(r.get("note"), 1000),
        created_at=parse_time(r.get("created_at")),
    )


def _item(refund_line: dict[str, Any]) -> dict[str, Any]:
    item = refund_line.get("line_item")
    return item if isinstance(item, dict) else {}


def _variant(item: dict[str, Any]) -> str | None:
    return str(item["variant_id"]) if item.get("variant_id") else None


def _restocked(restock_type: Any, restock: Any) -> bool:
    """``restock_type`` return/cancel (and legacy_restock) put units back; older payloads only
    say ``restock`` on the refund."""
    if restock_type in ("return", "cancel", "legacy_restock"):
        return True
    if restock_type is None:
        return restock is True or restock == "true"
    return False


def _currency_of_lines(r: dict[str, Any]) -> str:
    for li in r.get("refund_line_items") or []:
        if not isinstance(li, dict):
            continue
        code = ((li.get("subtotal_set") or {}).get("shop_money") or {}).get("currency_code")
        if code:
            return str(code).upper()
    return "USD"


MAX_PLATFORM_TAGS = 40  # an order carries 50 tags at most; Podium's own need a few


def shopify_tags(raw: Any) -> list[str]:
    """Shopify's comma-separated ``tags`` as a list: trimmed, printable, at most 64 characters
    each, no repeats, the first 40."""
    if not isinstance(raw, str):
        return []
    found = (t.strip()[:64].strip() for t in raw.split(","))
    return list(dict.fromkeys(t for t in found if t and t.isprintable()))[:MAX_PLATFORM_TAGS]
