"""Stock: adjustments, transfers, safety stock, availability, ledger history, doctor."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query

from podium import inventory, planning
from podium.access import Permission
from podium.api.deps import Caller, get_podium, require
from podium.api.paging import CURSOR_HELP, ListPage
from podium.bootstrap import Podium
from podium.inventory import (
    AdjustmentIn,
    IncomingStock,
    InventoryView,
    LocationView,
    MovementView,
    SafetyStockIn,
    TransferIn,
)

router = APIRouter(tags=["inventory"])

READ = Depends(require(Permission.READ))
OPERATE = Depends(require(Permission.OPERATE))


@router.post("/inventory/adjustments", status_code=201, response_model=LocationView)
def adjust(
    data: AdjustmentIn, caller: Caller = OPERATE, podium: Podium = Depends(get_podium)
) -> LocationView:
    return inventory.adjust(podium.db, data, caller.actor)


@router.post("/inventory/transfers", status_code=201, response_model=dict[str, list[LocationView]])
def transfer(
    data: TransferIn, caller: Caller = OPERATE, podium: Podium = Depends(get_podium)
) -> dict[str, list[LocationView]]:
    return {"locations": inventory.transfer(podium.db, data, caller.actor)}


@router.put("/inventory/{sku}/locations/{warehouse}", response_model=LocationView)
def set_safety_stock(
    sku: str,
    warehouse: str,
    data: SafetyStockIn,
    _: Caller = OPERATE,
    podium: Podium = Depends(get_podium),
) -> LocationView:
    return inventory.set_safety_stock(podium.db, sku, warehouse, data.safety_stock)


@router.get("/inventory/{sku}", response_model=InventoryView)
def availability(sku: str, _: Caller = READ, podium: Podium = Depends(get_podium)) -> InventoryView:
    """On hand, reserved and available per warehouse and channel, and what is on its way
    (`incoming`: open purchase orders and transfers in transit, with their expected days)."""
    view = inventory.sku_availability(podium.db, sku)
    view.incoming = [
        IncomingStock.model_validate(i.model_dump(exclude={"sku"}))
        for i in planning.incoming(podium.db, sku=sku)
    ]
    return view


class MovementList(ListPage):
    items: list[MovementView]


@router.get("/inventory/{sku}/movements", response_model=MovementList)
def movements(
    sku: str,
    cursor: str | None = Query(None, description=CURSOR_HELP),
    limit: int = Query(50, ge=1, le=500),
    _: Caller = READ,
    podium: Podium = Depends(get_podium),
) -> dict[str, object]:
    """The SKU's stock ledger, newest first, in pages both ways with a capped `total`."""
    return inventory.history(podium.db, sku, cursor=cursor, limit=limit).body()


@router.get("/doctor", response_model=dict[str, object])
def run_doctor(_: Caller = READ, podium: Podium = Depends(get_podium)) -> dict[str, object]:
    report = inventory.examine(podium.db)
    return {
        "ok": report.ok,
        "balances_checked": report.balances_checked,
        "violations": [
            {"sku": v.sku, "warehouse": v.warehouse, "problem": v.problem}
            for v in report.violations
        ],
    }
