"""Reading and changing a channel's return and payment policies (kept in its settings)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from podium import catalog
from podium.db.database import Database
from podium.errors import NotFound, ValidationFailed
from podium.numbers import JsonBool, JsonInt
from podium.payments import payment_policy
from podium.returns.model import return_policy
from podium.validation import Code, Input, MoneyString, Sku

__all__ = [
    "PaymentPolicyIn",
    "PaymentPolicyView",
    "Policies",
    "ReturnPolicyIn",
    "ReturnPolicyView",
    "get_policies",
    "set_payment_policy",
    "set_return_policy",
]


class ReturnPolicyIn(Input):
    window_days: JsonInt = Field(ge=0, le=3650)
    reasons: list[str] = Field(
        min_length=1, max_length=50, description="snake_case words customers and staff pick from"
    )
    warehouse: Code | None = Field(
        default=None, description="Where return parcels go (default: the shipping warehouse)."
    )
    auto_approve: JsonBool = Field(
        default=False, description="Approve a shopper's request from the returns portal at once."
    )
    non_returnable: list[Sku] = Field(
        default_factory=list, max_length=500, description="SKUs the returns portal refuses."
    )
    fee: MoneyString | None = Field(
        default=None, description="A return fee the returns portal shows before confirming."
    )


class ReturnPolicyView(BaseModel):
    window_days: int
    reasons: list[str]
    warehouse: str | None = None
    auto_approve: bool = False
    non_returnable: list[str] = Field(default_factory=list)
    fee: str | None = None


class PaymentPolicyIn(Input):
    capture: Literal["on_placement", "on_shipment", "manual"]
    gateway: str = Field(default="manual", min_length=1, max_length=32)


class PaymentPolicyView(BaseModel):
    capture: str
    gateway: str


class Policies(BaseModel):
    channel: str
    returns: ReturnPolicyView
    payment: PaymentPolicyView


def _settings(db: Database, code: str) -> dict[str, object]:
    with db.read() as conn:
        found = catalog.channel_settings(conn, code)
    if found is None:
        raise NotFound(f"No channel {code}.", code="channel_not_found")
    return found


def get_policies(db: Database, code: str) -> Policies:
    settings = _settings(db, code)
    r, p = return_policy(settings), payment_policy(settings)
    return Policies(
        channel=code,
        returns=ReturnPolicyView(
            window_days=r.window_days,
            reasons=list(r.reasons),
            warehouse=r.warehouse,
            auto_approve=r.auto_approve,
            non_returnable=list(r.non_returnable),
            fee=r.fee,
        ),
        payment=PaymentPolicyView(capture=p.capture.value, gateway=p.gateway),
    )


def _set(db: Database, code: str, key: str, value: dict[str, object]) -> Policies:
    with db.write() as conn:
        if not catalog.set_channel_setting(conn, code, key, value):
            raise NotFound(f"No channel {code}.", code="channel_not_found")
    catalog.forget(db.engine)  # this process's copy of the channel is stale now
    return get_policies(db, code)


def set_return_policy(db: Database, code: str, data: ReturnPolicyIn) -> Policies:
    reasons = list(dict.fromkeys(r.strip() for r in data.reasons if r.strip()))
    value: dict[str, object] = {"window_days": data.window_days, "reasons": reasons}
    if data.warehouse is not None:
        with db.read() as conn:
            if catalog.warehouse(conn, data.warehouse) is None:
                raise ValidationFailed(
                    f"Unknown warehouse {data.warehouse}.",
                    code="unknown_warehouse",
                    details={"field": "warehouse"},
                )
        value["warehouse"] = data.warehouse
    if data.auto_approve:
        value["auto_approve"] = True
    if data.non_returnable:
        value["non_returnable"] = sorted(set(data.non_returnable))
    if data.fee is not None:
        value["fee"] = data.fee
    return _set(db, code, "returns", value)


def set_payment_policy(db: Database, code: str, data: PaymentPolicyIn) -> Policies:
    return _set(db, code, "payment", {"capture": data.capture, "gateway": data.gateway})
