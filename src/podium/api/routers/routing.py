"""Smart order routing: the versioned rule set, the optimiser, and shipment rejection."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query
from pydantic import Field

from podium import routing
from podium.access import Permission
from podium.api.deps import Caller, get_podium, require
from podium.bootstrap import Podium
from podium.catalog import get_warehouse
from podium.numbers import INT_MAX, DbInt32, JsonBool, JsonFloat, JsonInt
from podium.orders import OrderView
from podium.routing import RuleSet, RuleSetVersion
from podium.validation import Input

router = APIRouter(tags=["routing"])

READ = Depends(require(Permission.READ))
FULFIL = Depends(require(Permission.FULFIL))
OPERATE = Depends(require(Permission.OPERATE))
ADMIN = Depends(require(Permission.ADMIN))


class RollbackIn(Input):
    version: JsonInt = Field(ge=0, le=INT_MAX)


class OptimiseIn(Input):
    warehouse: str | None = Field(default=None, description="Only orders with a shipment here.")
    apply: JsonBool = Field(default=False, description="Re-plan the orders (else: a dry run).")
    time_budget_seconds: JsonFloat = Field(default=10.0, gt=0, le=300)
    limit: JsonInt = Field(default=2000, ge=1, le=5000, description="Most orders in the wave.")


class RejectIn(Input):
    reason: str = Field(min_length=1, max_length=500)


@router.get("/routing/rules", response_model=RuleSetVersion)
def get_rules(_: Caller = READ, podium: Podium = Depends(get_podium)) -> RuleSetVersion:
    return routing.get_rules(podium.db)


@router.put("/routing/rules", response_model=RuleSetVersion)
def put_rules(
    rules: RuleSet, caller: Caller = ADMIN, podium: Podium = Depends(get_podium)
) -> RuleSetVersion:
    return routing.save_rules(podium.db, rules, caller.actor)


@router.get("/routing/rules/history", response_model=dict[str, list[RuleSetVersion]])
def rules_history(
    _: Caller = READ, podium: Podium = Depends(get_podium)
) -> dict[str, list[RuleSetVersion]]:
    return {"items": routing.rule_history(podium.db)}


@router.get("/routing/rules/versions/{version}", response_model=RuleSetVersion)
def rules_version(
    version: DbInt32, _: Caller = READ, podium: Podium = Depends(get_podium)
) -> RuleSetVersion:
    return routing.rule_version(podium.db, version)


@router.post("/routing/rules/rollback", response_model=RuleSetVersion)
def rollback(
    data: RollbackIn, caller: Caller = ADMIN, podium: Podium = Depends(get_podium)
) -> RuleSetVersion:
    return routing.rollback(podium.db, data.version, caller.actor)


@router.post("/routing/optimise", response_model=dict[str, Any])
def optimise(
    data: OptimiseIn | None = None,
    caller: Caller = OPERATE,
    podium: Podium = Depends(get_podium),
) -> dict[str, Any]:
    """Re-plan the wave of not-yet-released orders at the least total cost (a MILP)."""
    data = data or OptimiseIn()
    if data.warehouse is not None:
        get_warehouse(podium.db, data.warehouse)  # 404 for an unknown one
    report = routing.optimise_wave(
        podium.db,
        warehouse=data.warehouse,
        apply=data.apply,
        time_budget=data.time_budget_seconds,
        limit=data.limit,
        actor=caller.actor,
    )
    return report.as_json()


@router.get("/routing/queues", response_model=dict[str, list[dict[str, Any]]])
def list_queues(
    _: Caller = READ, podium: Podium = Depends(get_podium)
) -> dict[str, list[dict[str, Any]]]:
    """Hold queues routing rules put orders in, with how many orders each holds."""
    return {"items": routing.hold_queues(podium.db)}


@router.get("/routing/queues/{queue}", response_model=dict[str, list[OrderView]])
def queue_orders(
    queue: str,
    limit: int = Query(100, ge=1, le=500),
    _: Caller = READ,
    podium: Podium = Depends(get_podium),
) -> dict[str, list[OrderView]]:
    """The orders held in one queue, oldest first; release them with /orders/{id}/release."""
    return {"items": routing.queue_orders(podium.db, queue, limit=limit)}


@router.post("/shipments/{shipment_id}/reject", response_model=OrderView)
def reject(
    shipment_id: str,
    data: RejectIn,
    caller: Caller = FULFIL,
    podium: Podium = Depends(get_podium),
) -> OrderView:
    """The warehouse cannot ship this: its units are routed to another location."""
    return routing.reject_shipment(podium.db, shipment_id, data.reason, caller.actor)
