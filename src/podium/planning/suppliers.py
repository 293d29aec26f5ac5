"""Suppliers and what they sell (issue 16 item 3): lead time, MOQ, case pack, unit cost and
the preferred source of each SKU; and each SKU's own target service level."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel, Field
from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError

from podium import catalog
from podium.db.database import Database, as_utc, utcnow
from podium.errors import Conflict, NotFound, ValidationFailed
from podium.numbers import JsonBool, JsonFloat, JsonInt
from podium.planning import _supply_store as store
from podium.validation import Code, CurrencyCode, Email, Input, MoneyString, Sku

__all__ = [
    "SkuPolicyIn",
    "SkuPolicyView",
    "SupplierIn",
    "SupplierPatch",
    "SupplierProductIn",
    "SupplierProductView",
    "SupplierView",
    "create_supplier",
    "delete_supplier",
    "get_supplier",
    "link_product",
    "list_suppliers",
    "set_sku_policy",
    "unlink_product",
    "update_supplier",
]

MAX_LEAD_TIME = 365


class SupplierIn(Input):
    code: Code
    name: str = Field(min_length=1, max_length=200)
    email: Email | None = None
    currency: CurrencyCode
    lead_time_days: JsonInt = Field(ge=0, le=MAX_LEAD_TIME)


class SupplierPatch(Input):
    name: str | None = Field(None, min_length=1, max_length=200)
    email: Email | None = None
    currency: CurrencyCode | None = None
    lead_time_days: JsonInt | None = Field(None, ge=0, le=MAX_LEAD_TIME)


class SupplierProductIn(Input):
    sku: Sku
    lead_time_days: JsonInt | None = Field(None, ge=0, le=MAX_LEAD_TIME)
    moq: JsonInt = Field(1, ge=1, le=1_000_000)
    case_pack: JsonInt = Field(1, ge=1, le=100_000)
    unit_cost: MoneyString
    preferred: JsonBool = False


class SupplierProductView(BaseModel):
    sku: str
    lead_time_days: int | None
    moq: int
    case_pack: int
    unit_cost: str
    preferred: bool


class SupplierView(BaseModel):
    code: str
    name: str
    email: str | None
    currency: str
    lead_time_days: int
    created_at: datetime
    products: list[SupplierProductView] = []


class SkuPolicyIn(Input):
    service_level: JsonFloat | None = Field(
        ..., gt=0.5, lt=1.0, description="Target cycle service level, e.g. 0.98; null = default."
    )


class SkuPolicyView(BaseModel):
    sku: str
    service_level: float | None


def _cost(value: str) -> str:
    amount = Decimal(value)
    if amount < 0:
        raise ValidationFailed(
            "unit_cost must not be negative.",
            code="invalid_money",
            details={"field": "unit_cost"},
        )
    return str(amount)


def _view(conn: Connection, code: str, with_products: bool = True) -> SupplierView:
    row = store.supplier(conn, code)
    if row is None:
        raise NotFound(
            f"Supplier {code} not found.",
            code="supplier_not_found",
            details={"field": "code", "supplier": code},
        )
    products = store.products_of(conn, code) if with_products else []
    return SupplierView(
        code=row["code"],
        name=row["name"],
        email=row["email"],
        currency=row["currency"],
        lead_time_days=row["lead_time_days"],
        created_at=as_utc(row["created_at"]),
        products=[
            SupplierProductView(
                sku=p["sku"],
                lead_time_days=p["lead_time_days"],
                moq=p["moq"],
                case_pack=p["case_pack"],
                unit_cost=p["unit_cost"],
                preferred=p["preferred"],
            )
            for p in products
        ],
    )


def create_supplier(db: Database, body: SupplierIn) -> SupplierView:
    try:
        with db.write() as conn:
            if store.supplier(conn, body.code) is not None:
                raise Conflict(
                    f"Supplier {body.code} already exists.",
                    code="supplier_exists",
                    details={"field": "code"},
                )
            store.insert_supplier(conn, {**body.model_dump(), "created_at": utcnow()})
            return _view(conn, body.code)
    except IntegrityError:
        raise Conflict(
            f"Supplier {body.code} already exists.",
            code="supplier_exists",
            details={"field": "code"},
        ) from None


def update_supplier(db: Database, code: str, body: SupplierPatch) -> SupplierView:
    with db.write() as conn:
        _view(conn, code, with_products=False)
        values = body.model_dump(exclude_unset=True)
        for name in ("name", "currency", "lead_time_days"):
            if name in values and values[name] is None:
                raise ValidationFailed(
                    f"{name} cannot be null.", code="null_field", details={"field": name}
                )
        if values:
            store.update_supplier(conn, code, values)
        return _view(conn, code)


def delete_supplier(db: Database, code: str) -> None:
    with db.write() as conn:
        _view(conn, code, with_products=False)
        store.delete_supplier(conn, code)


def get_supplier(db: Database, code: str) -> SupplierView:
    with db.read() as conn:
        return _view(conn, code)


def list_suppliers(db: Database, after: str | None = None, limit: int = 100) -> list[SupplierView]:
    with db.read() as conn:
        rows = store.suppliers(conn, after, limit)
        return [_view(conn, r["code"]) for r in rows]


def link_product(db: Database, code: str, body: SupplierProductIn) -> SupplierView:
    """Add or replace the supplier's offer for a SKU (a preferred one unprefers the others)."""
    cost = _cost(body.unit_cost)
    with db.write() as conn:
        _view(conn, code, with_products=False)
        if catalog.product(conn, body.sku) is None:
            raise ValidationFailed(
                f"Unknown SKU {body.sku}.", code="unknown_sku", details={"field": "sku"}
            )
        store.upsert_product(conn, {**body.model_dump(), "unit_cost": cost, "supplier": code})
        return _view(conn, code)


def unlink_product(db: Database, code: str, sku: str) -> None:
    with db.write() as conn:
        if store.delete_product(conn, code, sku) == 0:
            raise NotFound(
                f"Supplier {code} has no offer for {sku}.",
                code="supplier_product_not_found",
                details={"field": "sku", "supplier": code},
            )


def set_sku_policy(db: Database, sku: str, body: SkuPolicyIn) -> SkuPolicyView:
    with db.write() as conn:
        if catalog.product(conn, sku) is None:
            raise NotFound(f"Unknown SKU {sku}.", code="unknown_sku", details={"field": "sku"})
        store.set_policy(conn, sku, body.service_level)
    return SkuPolicyView(sku=sku, service_level=body.service_level)
