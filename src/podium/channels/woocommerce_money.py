"""WooCommerce refunds and cancellations made in Podium (REST API v3).

Refund: ``POST /orders/{id}/refunds`` with ``amount`` (a decimal string), ``reason``,
``line_items`` ``[{id, quantity, refund_total, refund_tax}]`` and ``api_refund: true``, so the
money goes back through the order's payment gateway: Podium does not hold a WooCommerce
order's money, WooCommerce's gateway does, and a refund recorded without moving it would tell
the customer a lie. A gateway that cannot refund makes WooCommerce refuse the whole refund
(``woocommerce_rest_cannot_create_order_refund``, HTTP 500: the refund is deleted, nothing is
written), and so does an amount over what is left to refund ("Invalid refund amount."): both
are refusals a human must see, not failures to retry. ``api_restock`` follows the lines: true
only when every refunded unit came back to stock (WooCommerce restocks per refund, not per
line). ``line_items`` name only existing line ids (WooCommerce silently ignores others);
line and tax amounts are WooCommerce's own for the units, sent only when they add up to the
refund exactly (with the shipping line), else the units go with zero amounts and the money at
the refund's level (``amount`` always wins in WooCommerce).

WooCommerce has no idempotency key: the refund carries Podium's refund id in its ``reason``
and in ``meta_data`` (``podium_refund_id``), and before creating one the order's refunds are
read (``GET /orders/{id}/refunds``) for it, so a retry returns the refund made the first time.

Cancel: what the gateway took and was not refunded yet is refunded first (WooCommerce does
not refund a cancelled order by itself; ``api_restock: false``, as the status change restocks),
keyed ``cancel:<order id>`` in the same meta; then ``PUT /orders/{id}`` ``{"status":
"cancelled"}`` and a private order note with Podium's reason. An order already cancelled is not
changed again; one WooCommerce says is ``completed`` (or ``refunded`` by someone else) is
refused: the goods went, or the money came back, on the platform, and a human decides.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, Protocol

import httpx

from podium.channels.connector import PlatformError, RefundPush
from podium.channels.http import Caller
from podium.channels.settings import WooCommerceSettings
from podium.channels.woocommerce_rest import credentials
from podium.money import format_amount, minor_unit

__all__ = ["META_KEY", "cancel", "refund", "refund_body", "refund_made_for"]

META_KEY = "podium_refund_id"
REFUSAL = "woocommerce_rest_cannot_create_order_refund"
_NOT_CANCELLABLE = frozenset({"completed", "refunded"})


class Woo(Protocol):
    caller: Caller

    def _send(
        self, channel: str, s: WooCommerceSettings, method: str, path: str, **kw: Any
    ) -> Any: ...


def _minor(value: Any, currency: str) -> int:
    """WooCommerce's amount (a string, tax totals with up to 6 places) in minor units,
    rounded half up; 0 when it is not a number."""
    try:
        exact = abs(Decimal(str(value))) * 10 ** minor_unit(currency)
        return int(exact.to_integral_value(ROUND_HALF_UP))
    except (InvalidOperation, ValueError, TypeError):
        return 0


def _refunds(woo: Woo, channel: str, s: WooCommerceSettings, external_id: str) -> list[Any]:
    found = woo._send(channel, s, "GET", f"/orders/{external_id}/refunds", params={"per_page": 100})
    return [r for r in found if isinstance(r, dict)] if isinstance(found, list) else []


def refund_made_for(refunds: list[Any], key: str) -> str | None:
    """The id of the refund a previous attempt made for Podium's ``key``, if any."""
    for r in refunds:
        meta = {
            m.get("key"): m.get("value") for m in r.get("meta_data") or [] if isinstance(m, dict)
        }
        if meta.get(META_KEY) == key or key in str(r.get("reason") or ""):
            return str(r.get("id"))
    return None


def _skus_of(item: dict[str, Any]) -> list[str]:
    """The SKUs Podium may have captured the line under: WooCommerce's, and the stand-in
    ``wc:<product>[:<variation>]`` ``woocommerce.order_from_woo`` uses for a missing or odd one."""
    product, variation = item.get("product_id"), item.get("variation_id")
    stand_in = f"wc:{product}:{variation}" if variation else f"wc:{product}"
    sku = str(item.get("sku") or "").strip()
    return [sku, stand_in] if sku else [stand_in]


def _share(total: int, part: int, whole: int) -> int:
    return total * part // whole if whole else 0


def refund_body(push: RefundPush, order: dict[str, Any]) -> dict[str, Any]:
    """The refund request for ``push`` against WooCommerce's ``order`` (pure)."""
    cur = push.currency
    items = {str(i.get("id")): i for i in order.get("line_items") or [] if isinstance(i, dict)}
    by_sku: dict[str, list[str]] = defaultdict(list)
    for item_id, item in items.items():
        for key in _skus_of(item):
            by_sku[key].append(item_id)
    units: dict[str, int] = defaultdict(int)
    for ln in push.lines:
        ids = [ln.line_id] if ln.line_id in items else by_sku.get(ln.sku, [])
        if ids:
            units[ids[0]] += ln.quantity
    lines: list[dict[str, Any]] = []
    priced = 0
    for item_id, q in units.items():
        item = items[item_id]
        ordered = int(item.get("quantity") or 0)
        q = min(q, ordered)
        total = _share(_minor(item.get("total"), cur), q, ordered)
        taxes: list[tuple[Any, int]] = [
            (t.get("id"), _share(_minor(t.get("total"), cur), q, ordered))
            for t in item.get("taxes") or []
            if isinstance(t, dict) and t.get("id") is not None
        ]
        priced += total + sum(amount for _, amount in taxes)
        lines.append({"id": int(item_id), "quantity": q, "total": total, "taxes": taxes})
    shipping = next(
        (s for s in order.get("shipping_lines") or [] if isinstance(s, dict) and s.get("id")),
        None,
    )
    exact = priced + push.shipping == push.amount and (push.shipping == 0 or shipping is not None)
    line_items = [
        {
            "id": ln["id"],
            "quantity": ln["quantity"],
            "refund_total": format_amount(ln["total"] if exact else 0, cur),
            "refund_tax": [
                {"id": tax_id, "refund_total": format_amount(amount, cur)}
                for tax_id, amount in ln["taxes"]
                if exact
            ],
        }
        for ln in lines
    ]
    if exact and push.shipping and shipping is not None:
        line_items.append(
            {"id": int(shipping["id"]), "refund_total": format_amount(push.shipping, cur)}
        )
    restock = bool(push.lines) and all(ln.restock for ln in push.lines)
    return {
        "amount": format_amount(push.amount, cur),
        "reason": (push.note or f"Podium refund {push.refund_id}")[:500],
        "api_refund": True,
        "api_restock": restock,
        "line_items": line_items,
        "meta_data": [{"key": META_KEY, "value": push.refund_id}],
    }


def _post_once(
    woo: Woo, channel: str, s: WooCommerceSettings, path: str, body: dict[str, Any]
) -> Any:
    """One POST, never repeated blindly (a refund moves money): the answer classified as
    made, refused (``refused`` in the error's details) or failed (the relay retries, and the
    refund lookup makes the retry safe)."""
    url = f"{s.site_url}/wp-json/wc/v3{path}"
    try:
        response = woo.caller.client.request(
            "POST", url, **credentials(s.auth, s.consumer_key, s.consumer_secret, json=body)
        )
    except httpx.TransportError as exc:
        raise PlatformError(f"POST {url} failed: {type(exc).__name__}: {exc}") from exc
    if response.status_code < 300:
        return response.json()
    try:
        answer = response.json()
    except ValueError:
        answer = {}
    answer = answer if isinstance(answer, dict) else {}
    code = str(answer.get("code") or "")
    message = str(answer.get("message") or response.text[:300])
    if response.status_code == 429:
        woo.caller.note_throttled(channel)
    refused = (400 <= response.status_code < 500 and response.status_code not in (408, 429)) or (
        code == REFUSAL and "try again" not in message
    )
    raise PlatformError(
        f"WooCommerce answered {response.status_code} {code}: {message}",
        details={"status": response.status_code, "code": code, "refused": refused},
    )


def refund(woo: Woo, channel: str, s: WooCommerceSettings, push: RefundPush) -> str:
    """Make ``push`` on WooCommerce; returns WooCommerce's refund id."""
    made = refund_made_for(_refunds(woo, channel, s, push.external_id), push.refund_id)
    if made is not None:
        return made
    order = woo._send(channel, s, "GET", f"/orders/{push.external_id}")
    body = refund_body(push, order if isinstance(order, dict) else {})
    created = _post_once(woo, channel, s, f"/orders/{push.external_id}/refunds", body)
    return str(created.get("id")) if isinstance(created, dict) else ""


def cancel(
    woo: Woo, channel: str, s: WooCommerceSettings, external_id: str, reason: str | None
) -> None:
    """Give back what the order's gateway took, then cancel the order: WooCommerce does not
    refund a cancelled order by itself (and the status change restocks, so the refund does
    not). Refunding first means a failure leaves the order as it was, for the retry. A
    refund WooCommerce refuses still cancels the order, and the refusal is raised for a human.
    Safe to repeat: the refund is found by its key (``cancel:<order id>``) before one is made,
    and a cancelled order is not changed again."""
    order = woo._send(channel, s, "GET", f"/orders/{external_id}")
    order = order if isinstance(order, dict) else {}
    status = str(order.get("status") or "")
    key = f"cancel:{external_id}"
    refunds = _refunds(woo, channel, s, external_id)
    ours = refund_made_for(refunds, key)
    if status == "completed" or (status == "refunded" and ours is None):
        raise PlatformError(
            f"WooCommerce says order {external_id} is {status}: not cancelled there.",
            details={"status": 409, "code": "woocommerce_order_" + status, "refused": True},
        )
    cur = str(order.get("currency") or "USD")
    paid = order.get("date_paid_gmt") or order.get("date_paid") or status == "processing"
    left = _minor(order.get("total"), cur) - sum(_minor(r.get("amount"), cur) for r in refunds)
    refused: PlatformError | None = None
    if paid and left > 0 and ours is None:
        why = f"Podium cancellation of order {external_id}" + (f": {reason}" if reason else "")
        body = {
            "amount": format_amount(left, cur),
            "reason": why[:500],
            "api_refund": True,
            "api_restock": False,
            "line_items": [],
            "meta_data": [{"key": META_KEY, "value": key}],
        }
        try:
            _post_once(woo, channel, s, f"/orders/{external_id}/refunds", body)
        except PlatformError as exc:
            if exc.details.get("refused") is not True:
                raise  # nothing changed yet: the relay retries
            refused = exc
    if status != "cancelled":
        woo._send(channel, s, "PUT", f"/orders/{external_id}", json={"status": "cancelled"})
        if reason:
            note = {"note": f"Cancelled in Podium: {reason}"[:1000], "customer_note": False}
            woo._send(channel, s, "POST", f"/orders/{external_id}/notes", json=note)
    if refused is not None:
        raise PlatformError(
            f"Cancelled on WooCommerce, but it refused to refund "
            f"{cur} {format_amount(left, cur)}: {refused.message}",
            details=refused.details,
        )
