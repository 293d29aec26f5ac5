"""Reading the order page's forms into the services' inputs (pure).

Each function takes what was posted and the order as the page showed it, and returns the input
the use case expects, or raises ``ValidationFailed`` naming the field at fault. Only what the
user changed goes into an edit, so the timeline's before/after says what really changed.
"""

from __future__ import annotations

from typing import Any

from podium.errors import ValidationFailed
from podium.orders import OrderEditIn, OrderView
from podium.returns import ReturnIn
from podium.web.forms import Form, invalid, rows, whole

__all__ = ["ADDRESS_FIELDS", "ADDRESS_LABELS", "edit_input", "live_quantities", "return_input"]

# The edit form's address fields (``address_<field>``) and what their labels say.
ADDRESS_LABELS = {
    "name": "Name",
    "company": "Company",
    "line1": "Address line 1",
    "line2": "Address line 2",
    "city": "City",
    "region": "Region or state",
    "postal_code": "Postal code",
    "country": "Country (2 letters)",
    "phone": "Phone",
}
ADDRESS_FIELDS = tuple(ADDRESS_LABELS)
TOTALS = ("shipping_total", "tax_total", "discount_total")


def _bad(message: str, field: str, code: str = "validation_error") -> ValidationFailed:
    return ValidationFailed(message, code=code, details={"field": field})


def live_quantities(order: OrderView) -> dict[str, int]:
    """Units still wanted per SKU (ordered less cancelled), as the edit form shows them."""
    found: dict[str, int] = {}
    for ln in order.lines:
        if ln.quantity > ln.quantity_cancelled:
            found[ln.sku] = found.get(ln.sku, 0) + ln.quantity - ln.quantity_cancelled
    return found


def edit_input(form: Form, order: OrderView) -> OrderEditIn:
    current = live_quantities(order)
    lines: list[dict[str, Any]] = []
    for sku, raw in rows(form, "line_sku", "line_quantity"):
        if sku not in current:
            raise _bad(f"{sku} is not on order {order.number}.", "line_sku", "sku_not_on_order")
        quantity = whole(raw, f"quantity of {sku}")
        if quantity != current[sku]:
            lines.append({"sku": sku, "quantity": quantity})
    new_sku = form.get("new_sku")
    if new_sku:
        if new_sku in current:
            raise _bad(
                f"{new_sku} is already on the order; change its quantity instead.", "new_sku"
            )
        line: dict[str, Any] = {
            "sku": new_sku,
            "quantity": whole(form.get("new_quantity"), "new_quantity", blank=1),
        }
        if form.get("new_unit_price"):
            line["unit_price"] = form.get("new_unit_price")
        lines.append(line)
    body: dict[str, Any] = {}
    if lines:
        body["lines"] = lines
    address = {f: form.get(f"address_{f}") for f in ADDRESS_FIELDS if form.get(f"address_{f}")}
    shown = {
        f: str(order.shipping_address[f])
        for f in ADDRESS_FIELDS
        if order.shipping_address.get(f) not in (None, "")
    }
    posted = any(form.all(f"address_{f}") for f in ADDRESS_FIELDS)  # the fields were sent
    if posted and address != shown:
        body["shipping_address"] = address
    for field in TOTALS:
        raw = form.get(field)
        if raw and raw != getattr(order, field):
            body[field] = raw
    if not body:
        raise _bad("Nothing to change: edit a quantity, a line, the address or a total.", "form")
    body["on_shortage"] = "backorder" if form.get("on_shortage") == "backorder" else "reject"
    if form.get("note"):
        body["note"] = form.get("note")
    try:
        return OrderEditIn.model_validate(body)
    except ValueError as exc:
        raise invalid(exc) from None


def return_input(form: Form) -> ReturnIn:
    lines = []
    for sku, raw, reason in rows(form, "return_sku", "return_quantity", "return_reason"):
        quantity = whole(raw, f"quantity of {sku}", blank=0)
        if quantity:
            lines.append({"sku": sku, "quantity": quantity, "reason": reason or "other"})
    if not lines:
        raise _bad("Choose at least one unit to return.", "return_quantity", "no_lines")
    body: dict[str, Any] = {
        "lines": lines,
        "approve": form.get("approve") == "yes",
        "ignore_window": form.get("ignore_window") == "yes",
    }
    if form.get("note"):
        body["note"] = form.get("note")
    try:
        return ReturnIn.model_validate(body)
    except ValueError as exc:
        raise invalid(exc) from None
