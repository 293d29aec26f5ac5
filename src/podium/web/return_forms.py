"""Reading the return page's forms into the returns services' inputs (pure)."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

from podium.errors import ValidationFailed
from podium.returns import ExchangeIn, ReceiveIn, RefundIn, ReturnLabelIn, ShipBackIn
from podium.web.forms import Form, invalid, rows, whole

__all__ = ["exchange_input", "label_input", "receive_input", "refund_input", "ship_back_input"]


M = TypeVar("M", bound=BaseModel)


def _valid(model: type[M], body: dict[str, Any]) -> M:
    try:
        return model.model_validate(body)
    except ValueError as exc:
        raise invalid(exc) from None


def _given(form: Form, *names: str) -> dict[str, Any]:
    return {n: form.get(n) for n in names if form.get(n)}


def receive_input(form: Form) -> ReceiveIn:
    lines = []
    for sku, raw, disposition, warehouse in rows(
        form, "receive_sku", "receive_quantity", "receive_disposition", "receive_warehouse"
    ):
        quantity = whole(raw, f"units of {sku} received", blank=0)
        if quantity:
            line = {"sku": sku, "quantity": quantity, "disposition": disposition}
            if warehouse:
                line["warehouse"] = warehouse
            lines.append(line)
    if not lines:
        raise ValidationFailed(
            "Enter how many units arrived.", code="no_lines", details={"field": "receive_quantity"}
        )
    return _valid(ReceiveIn, {"lines": lines})


def refund_input(form: Form) -> RefundIn:
    body = _given(form, "amount", "reason")
    body["include_shipping"] = form.get("include_shipping") == "yes"
    body["method"] = form.get("method") or "original_payment"
    return _valid(RefundIn, body)


def exchange_input(form: Form) -> ExchangeIn:
    sku = form.get("sku")
    if not sku:
        raise ValidationFailed(
            "Name the SKU to send as a replacement.", code="no_lines", details={"field": "sku"}
        )
    line = {"sku": sku, "quantity": whole(form.get("quantity"), "quantity", blank=1)}
    line.update(_given(form, "unit_price"))
    return _valid(ExchangeIn, {"lines": [line], "advance": form.get("advance") == "yes"})


def ship_back_input(form: Form) -> ShipBackIn:
    return _valid(ShipBackIn, _given(form, "carrier", "tracking_number"))


def label_input(form: Form) -> ReturnLabelIn:
    return _valid(ReturnLabelIn, _given(form, "warehouse"))
