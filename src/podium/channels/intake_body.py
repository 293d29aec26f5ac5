"""A channel order as a Podium intake (pure): platform SKUs translated where mapped, how the
goods left (in store, by the channel) and from which warehouse, whether prices include tax."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from podium.channels.model import ChannelLine, ChannelOrder
from podium.errors import ValidationFailed
from podium.money import CURRENCY_EXPONENTS, format_amount
from podium.orders import RESERVED_TAG_PREFIXES, OrderIntake
from podium.payments import CHANNEL_PAID_TAG
from podium.validation import strip_control

__all__ = ["intake_for", "kept_lines", "locations_of", "podium_sku"]


# Contact details a platform may send in a shape Podium refuses: dropped, never the order.
_DROPPABLE = {("customer", "email"), ("customer", "name"), ("customer", "phone")}
# Fields dropped whole when Podium cannot hold them (risk facts, issue 15).
_DROPPABLE_WHOLE = {("billing_address",), ("client_ip",), ("channel_risk_detail",)}


def intake_for(
    channel: str,
    order: ChannelOrder,
    skus: dict[str, str],
    locations: Mapping[str, str] | None = None,
) -> OrderIntake:
    """The Podium intake of a channel order, platform SKUs translated where mapped. A contact
    detail or optional address field Podium cannot hold is dropped (and noted); anything else
    wrong is a 422 naming the field. Control characters are replaced by spaces first: what a
    platform sent is a fact, and an order must not be lost to a stray byte (the API refuses
    them instead, with 422 ``invalid_characters``)."""
    if order.currency.upper() not in CURRENCY_EXPONENTS:  # before any amount is formatted
        raise ValidationFailed(
            f"The {channel} order cannot be captured: unknown currency {order.currency[:10]!r}.",
            code="invalid_payload",
            details={"field": "currency"},
        )
    body = strip_control(_intake_body(channel, order, skus, locations or {}))
    for _ in range(10):
        try:
            return OrderIntake.model_validate(body)
        except ValidationError as exc:
            loc = tuple(str(p) for p in exc.errors()[0]["loc"])
            optional = loc[:1] == ("shipping_address",) and loc[1:2] != ("country",)
            if loc[:1] in _DROPPABLE_WHOLE:  # a risk fact only: never worth losing an order
                body.pop(loc[0], None)
                order.notes.append(f"{channel} sent a {loc[0]} Podium cannot hold: dropped")
                continue
            if len(loc) == 2 and (loc in _DROPPABLE or optional):
                body[loc[0]].pop(loc[1], None)
                order.notes.append(f"{channel} sent a {'.'.join(loc)} Podium cannot hold: dropped")
                continue
            field = ".".join(loc)
            raise ValidationFailed(
                f"The {channel} order cannot be captured: {field}: {exc.errors()[0]['msg']}.",
                code="invalid_payload",
                details={"field": field},
            ) from None
    raise ValidationFailed("The order cannot be captured.", code="invalid_payload")


def _intake_body(
    channel: str, order: ChannelOrder, skus: dict[str, str], locations: Mapping[str, str]
) -> dict[str, Any]:
    cur = order.currency
    address = dict(order.address) or {"country": "US"}
    handed, warehouse = _handover(order, locations)
    return {
        "channel": channel,
        "external_id": order.external_id,
        "currency": cur,
        "customer": {"email": order.email, "name": order.name, "phone": order.phone},
        "shipping_address": address,
        "lines": [
            {
                "sku": podium_sku(ln, skus),
                "quantity": ln.quantity,
                "unit_price": format_amount(ln.unit_price, cur),
                "name": ln.name[:300],
            }
            for ln in order.lines
        ],
        "shipping_total": format_amount(order.shipping, cur),
        "tax_total": format_amount(order.tax, cur),
        "discount_total": format_amount(min(order.discount, _gross(order)), cur),
        "on_shortage": "backorder",
        "placed_at": order.placed_at,
        "tags": [f"channel:{channel}"]
        + ([CHANNEL_PAID_TAG] if order.paid_by_channel else [])
        + [t for t in order.tags if not t.startswith(RESERVED_TAG_PREFIXES)],
        "taxes_included": order.taxes_included,
        "handed_over": handed,
        "warehouse": warehouse,
        "billing_address": dict(order.billing_address) or None,
        "client_ip": order.client_ip,
        "channel_risk": order.risk,
        "channel_risk_detail": order.risk_detail[:500] if order.risk_detail else None,
    }


def _handover(order: ChannelOrder, locations: Mapping[str, str]) -> tuple[str | None, str | None]:
    """How the goods left (``in_store`` / ``by_channel`` / None: Podium ships them) and the
    Podium warehouse whose stock they took, from the channel's ``locations`` setting. A store
    sale at an unmapped location keeps no warehouse: placement holds it (reason ``location``)."""
    if order.handed_over not in ("in_store", "by_channel"):
        return None, None
    key = order.store_location or ("by_channel" if order.handed_over == "by_channel" else None)
    return order.handed_over, locations.get(key) if key else None


def podium_sku(ln: ChannelLine, skus: dict[str, str]) -> str:
    return skus.get(ln.sku) or skus.get(ln.remote_id or "") or ln.sku


def kept_lines(order: ChannelOrder, skus: dict[str, str]) -> list[dict[str, Any]]:
    """The order's lines as kept beside it: the platform's ids, and the SKU each became."""
    return [
        {
            "position": i,
            "line_id": ln.line_id[:200] if ln.line_id else None,
            "sku": podium_sku(ln, skus)[:200],
            "platform_sku": ln.sku[:200],
            "remote_id": ln.remote_id[:200] if ln.remote_id else None,
            "quantity": ln.quantity,
        }
        for i, ln in enumerate(order.lines)
    ]


def _gross(order: ChannelOrder) -> int:
    tax = 0 if order.taxes_included else order.tax
    return sum(ln.unit_price * ln.quantity for ln in order.lines) + order.shipping + tax


def locations_of(settings: Mapping[str, Any]) -> dict[str, str]:
    raw = settings.get("locations")
    if not isinstance(raw, dict):
        return {}
    return {str(k): str(v) for k, v in raw.items() if isinstance(v, str)}
