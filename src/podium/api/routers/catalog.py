"""Channels, warehouses and products."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query

from podium import catalog, channels
from podium.access import Permission
from podium.api.deps import Caller, get_podium, require
from podium.api.paging import CURSOR_HELP, ListPage
from podium.bootstrap import Podium
from podium.catalog import (
    Channel,
    Product,
    ProductIn,
    VariantPatch,
    Warehouse,
    WarehouseIn,
    WarehousePatch,
)
from podium.channels import ChannelIn

router = APIRouter(tags=["catalogue"])

READ = Depends(require(Permission.READ))
OPERATE = Depends(require(Permission.OPERATE))
ADMIN = Depends(require(Permission.ADMIN))


@router.post("/channels", status_code=201, response_model=Channel)
def create_channel(
    data: ChannelIn, _: Caller = ADMIN, podium: Podium = Depends(get_podium)
) -> Channel:
    return channels.create_channel(podium.db, data)


@router.get("/channels", response_model=dict[str, list[Channel]])
def list_channels(
    _: Caller = READ, podium: Podium = Depends(get_podium)
) -> dict[str, list[Channel]]:
    return {"items": channels.list_channels(podium.db)}


@router.get("/channels/{code}", response_model=Channel)
def get_channel(code: str, _: Caller = READ, podium: Podium = Depends(get_podium)) -> Channel:
    return channels.get_channel(podium.db, code)


@router.post("/warehouses", status_code=201, response_model=Warehouse)
def create_warehouse(
    data: WarehouseIn, _: Caller = ADMIN, podium: Podium = Depends(get_podium)
) -> Warehouse:
    return catalog.create_warehouse(podium.db, data)


@router.get("/warehouses", response_model=dict[str, list[Warehouse]])
def list_warehouses(
    _: Caller = READ, podium: Podium = Depends(get_podium)
) -> dict[str, list[Warehouse]]:
    return {"items": catalog.read_warehouses(podium.db)}


@router.get("/warehouses/{code}", response_model=Warehouse)
def get_warehouse(code: str, _: Caller = READ, podium: Podium = Depends(get_podium)) -> Warehouse:
    return catalog.get_warehouse(podium.db, code)


@router.patch("/warehouses/{code}", response_model=Warehouse)
def update_warehouse(
    code: str, patch: WarehousePatch, caller: Caller = ADMIN, podium: Podium = Depends(get_podium)
) -> Warehouse:
    updated = catalog.update_warehouse(podium.db, code, patch)
    if patch.active is False:  # its not-yet-started shipments go elsewhere (issue 4)
        from podium.routing import reroute_warehouse

        reroute_warehouse(podium.db, code, "location deactivated", caller.actor)
    return updated


@router.post("/products", status_code=201, response_model=Product)
def create_product(
    data: ProductIn, _: Caller = OPERATE, podium: Podium = Depends(get_podium)
) -> Product:
    return catalog.create_product(podium.db, data)


class ProductList(ListPage):
    items: list[Product]


@router.get("/products", response_model=ProductList)
def list_products(
    cursor: str | None = Query(None, description=CURSOR_HELP),
    limit: int = Query(50, ge=1, le=500),
    _: Caller = READ,
    podium: Podium = Depends(get_podium),
) -> dict[str, object]:
    """Products by SKU, in pages both ways with a capped `total`."""
    return catalog.list_products(podium.db, cursor=cursor, limit=limit).body()


@router.get("/products/{sku}", response_model=Product)
def get_product(sku: str, _: Caller = READ, podium: Podium = Depends(get_podium)) -> Product:
    return catalog.get_product(podium.db, sku)


@router.patch("/products/{sku}", response_model=Product)
def set_product_variant(
    sku: str, patch: VariantPatch, _: Caller = OPERATE, podium: Podium = Depends(get_podium)
) -> Product:
    """Put a product in a product group with its option values (variants, issue 17)."""
    return catalog.set_variant(podium.db, sku, patch)


@router.get("/products/{sku}/variants", response_model=dict[str, list[Product]])
def list_product_variants(
    sku: str, _: Caller = READ, podium: Podium = Depends(get_podium)
) -> dict[str, list[Product]]:
    """The other variants of the product's group (empty when it is in none)."""
    return {"items": catalog.product_variants(podium.db, sku)}
