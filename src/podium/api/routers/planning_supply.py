"""Suppliers, their products, per-SKU service levels and replenishment suggestions
(issue 16 item 3). Included by ``planning.router``."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from podium import planning
from podium.access import Permission
from podium.api.deps import Caller, get_podium, require
from podium.api.paging import CURSOR_HELP
from podium.api.routers.imports import CSV_BODY, csv_body, import_answer
from podium.bootstrap import Podium
from podium.planning import (
    OfferImportReport,
    ReplenishmentIn,
    ReplenishmentPage,
    SkuPolicyIn,
    SkuPolicyView,
    SupplierIn,
    SupplierPatch,
    SupplierProductIn,
    SupplierView,
)
from podium.validation import Code, Sku

router = APIRouter(tags=["planning"])

READ = Depends(require(Permission.READ))
OPERATE = Depends(require(Permission.OPERATE))


@router.post("/planning/suppliers", response_model=SupplierView, status_code=201)
def create_supplier(
    body: SupplierIn, _: Caller = OPERATE, podium: Podium = Depends(get_podium)
) -> SupplierView:
    """A supplier: code, name, e-mail, currency and default lead time in days."""
    return planning.create_supplier(podium.db, body)


@router.get("/planning/suppliers", response_model=list[SupplierView])
def list_suppliers(
    after: Code | None = Query(None, description="Suppliers after this code."),
    limit: int = Query(100, ge=1, le=500),
    _: Caller = READ,
    podium: Podium = Depends(get_podium),
) -> list[SupplierView]:
    """Suppliers by code with their products; page with `after` = the last code."""
    return planning.list_suppliers(podium.db, after=after, limit=limit)


@router.get("/planning/suppliers/{code}", response_model=SupplierView)
def get_supplier(
    code: Code, _: Caller = READ, podium: Podium = Depends(get_podium)
) -> SupplierView:
    return planning.get_supplier(podium.db, code)


@router.patch("/planning/suppliers/{code}", response_model=SupplierView)
def update_supplier(
    code: Code, body: SupplierPatch, _: Caller = OPERATE, podium: Podium = Depends(get_podium)
) -> SupplierView:
    return planning.update_supplier(podium.db, code, body)


@router.delete("/planning/suppliers/{code}", status_code=204)
def delete_supplier(
    code: Code, _: Caller = OPERATE, podium: Podium = Depends(get_podium)
) -> Response:
    """The supplier and its product offers."""
    planning.delete_supplier(podium.db, code)
    return Response(status_code=204)


@router.put("/planning/suppliers/{code}/products", response_model=SupplierView)
def link_product(
    code: Code,
    body: SupplierProductIn,
    _: Caller = OPERATE,
    podium: Podium = Depends(get_podium),
) -> SupplierView:
    """Add or replace the supplier's offer for a SKU: lead time override, MOQ, case pack, unit
    cost (decimal string), preferred (which unprefers the SKU's other offers)."""
    return planning.link_product(podium.db, code, body)


@router.post(
    "/planning/suppliers/products",
    response_model=OfferImportReport,
    responses={
        201: {"description": "Imported."},
        422: {"description": "Rows rejected (`import_rejected`); nothing was written."},
    },
    openapi_extra=CSV_BODY,
)
async def import_offers(
    request: Request,
    dry_run: bool = Query(False, description="Validate; write nothing."),
    _: Caller = OPERATE,
    podium: Podium = Depends(get_podium),
) -> Response:
    """Supplier products from a CSV `supplier,sku,unit_cost[,moq][,case_pack]
    [,lead_time_days][,preferred]`, all or nothing (rows replace the same supplier × SKU)."""
    data, _name = await csv_body(request)
    report = await run_in_threadpool(
        lambda: planning.import_offers(podium.db, data, dry_run=dry_run)
    )
    return import_answer(report)


@router.delete("/planning/suppliers/{code}/products/{sku}", status_code=204)
def unlink_product(
    code: Code, sku: Sku, _: Caller = OPERATE, podium: Podium = Depends(get_podium)
) -> Response:
    planning.unlink_product(podium.db, code, sku)
    return Response(status_code=204)


@router.put("/planning/policies/{sku}", response_model=SkuPolicyView)
def set_policy(
    sku: Sku, body: SkuPolicyIn, _: Caller = OPERATE, podium: Podium = Depends(get_podium)
) -> SkuPolicyView:
    """The SKU's own target service level (null: back to the request's default)."""
    return planning.set_sku_policy(podium.db, sku, body)


@router.get("/planning/replenishment", response_model=ReplenishmentPage)
def replenishment(
    warehouse: Code | None = Query(None),
    sku: Sku | None = Query(None),
    supplier: Code | None = Query(None, description="Rows whose chosen supplier is this one."),
    service_level: float = Query(0.95, gt=0.5, lt=1.0, description="Default target."),
    review_days: int = Query(7, ge=0, le=365),
    lead_time_days: int = Query(14, ge=0, le=365, description="For SKUs with no supplier."),
    only_due: bool = Query(False, description="Only rows with something to buy now."),
    cursor: str | None = Query(None, description=CURSOR_HELP),
    limit: int = Query(100, ge=1, le=1000),
    _: Caller = READ,
    podium: Podium = Depends(get_podium),
) -> ReplenishmentPage:
    """Per SKU × warehouse of the latest forecast: safety stock, reorder point, order-up-to,
    position, what to buy (from the preferred supplier, else the cheapest; MOQ and case packs
    respected) and by when; and transfers from long warehouses to short ones."""
    req = ReplenishmentIn(
        warehouse=warehouse,
        sku=sku,
        supplier=supplier,
        service_level=service_level,
        review_days=review_days,
        lead_time_days=lead_time_days,
        only_due=only_due,
        cursor=cursor,
        limit=limit,
    )
    return planning.replenishment(podium.db, req)
