"""Replenishment suggestions (issue 16 item 3): per SKU × warehouse the policy levels from the
latest forecast, the stock position, what to buy from whom, how much and by when; and transfers
from long warehouses to short ones. The math is in ``replenish_model.py``."""

from __future__ import annotations

import base64
import binascii
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from pydantic import BaseModel, Field
from sqlalchemy import Connection

from podium import inventory
from podium.db.clock import utcnow
from podium.db.database import Database
from podium.errors import NotFound, ValidationFailed
from podium.planning import _store
from podium.planning import _supply_store as store
from podium.planning.incoming import incoming_by_key
from podium.planning.replenish_model import (
    Day,
    Policy,
    Site,
    order_by,
    order_quantity,
    policy_levels,
    transfers,
)

__all__ = [
    "ReplenishmentIn",
    "ReplenishmentPage",
    "Suggestion",
    "TransferSuggestion",
    "replenishment",
]


class ReplenishmentIn(BaseModel):
    """The request: filters, the defaults a SKU's own settings override, and the page."""

    warehouse: str | None = None
    sku: str | None = None
    supplier: str | None = None
    service_level: float = Field(0.95, gt=0.5, lt=1.0)
    review_days: int = Field(7, ge=0, le=365)
    lead_time_days: int = Field(14, ge=0, le=365, description="When a SKU has no supplier.")
    only_due: bool = False
    cursor: str | None = None
    limit: int = Field(100, ge=1, le=1000)


class Suggestion(BaseModel):
    sku: str
    warehouse: str
    supplier: str | None = Field(description="Preferred offer, else the cheapest; null if none.")
    unit_cost: str | None
    currency: str | None
    lead_time_days: int
    service_level: float
    daily_demand: float
    sigma_daily: float
    safety_stock: int
    reorder_point: int
    order_up_to: int
    available: int
    incoming: int
    backorders: int
    position: int
    transfer_in: int = Field(description="Units suggested to arrive by transfer first.")
    quantity: int = Field(description="Units to buy now (MOQ and case packs respected).")
    order_by: date | None = Field(description="Today when due; else the projected day.")


class TransferSuggestion(BaseModel):
    sku: str
    source: str
    target: str
    quantity: int


class ReplenishmentPage(BaseModel):
    run_id: str
    first_day: date
    today: date
    items: list[Suggestion]
    transfers: list[TransferSuggestion]
    next_cursor: str | None


@dataclass(slots=True)
class _Offer:
    supplier: str
    unit_cost: Decimal
    currency: str
    lead_time_days: int
    moq: int
    case_pack: int
    preferred: bool


def _choose(offers: list[_Offer]) -> _Offer | None:
    """The preferred offer, else the cheapest (then by supplier code)."""
    if not offers:
        return None
    return min(offers, key=lambda o: (not o.preferred, o.unit_cost, o.supplier))


def _cursor(text: str | None) -> tuple[str, str] | None:
    if text is None:
        return None
    try:
        sku, warehouse = base64.urlsafe_b64decode(text.encode()).decode().split("\t")
    except (binascii.Error, UnicodeError, ValueError):
        raise ValidationFailed(
            "Not a cursor from this list.", code="invalid_cursor", details={"field": "cursor"}
        ) from None
    return sku, warehouse


def _offers(conn: Connection, skus: list[str]) -> dict[str, list[_Offer]]:
    out: dict[str, list[_Offer]] = defaultdict(list)
    for r in store.offers_for(conn, skus):
        out[r["sku"]].append(
            _Offer(
                r["supplier"],
                Decimal(r["unit_cost"]),
                r["currency"],
                int(r["lead_time_days"]),
                r["moq"],
                r["case_pack"],
                bool(r["preferred"]),
            )
        )
    return out


def incoming_units(conn: Connection, skus: list[str]) -> Mapping[tuple[str, str], int]:
    """Units on open purchase orders and transfers in transit per (sku, warehouse): what is
    already on its way is not ordered again."""
    return incoming_by_key(conn, skus) if skus else {}


def backordered_units(conn: Connection, skus: list[str]) -> Mapping[tuple[str, str], int]:
    """Units ordered but not allocated per (sku, warehouse). A backorder has no warehouse
    until stock arrives, so none is charged to one yet: the hook stays empty."""
    return {}


def replenishment(db: Database, req: ReplenishmentIn) -> ReplenishmentPage:
    after = _cursor(req.cursor)
    today = utcnow().date()
    with db.read() as conn:
        run = _store.latest_run(conn)
        if run is None:
            raise NotFound(
                "No forecast has been run yet (POST /api/v1/planning/forecasts/run).",
                code="no_forecast",
            )
        series: dict[tuple[str, str], list[Day]] = defaultdict(list)
        for sku, warehouse, _, q, lo, hi in store.forecasts(conn, req.sku):
            series[(sku, warehouse)].append((q, lo, hi))
        skus = sorted({k[0] for k in series})
        offers = _offers(conn, skus)
        own = store.policies(conn)
        stock = inventory.levels(conn, skus) if skus else {}
        incoming = incoming_units(conn, skus)
        backorders = backordered_units(conn, skus)
    first_day = run["first_day"]
    level = int(run["backtest"].get("level", 90))
    rows: list[Suggestion] = []
    by_sku: dict[str, list[Suggestion]] = defaultdict(list)
    for (sku, warehouse), daily in sorted(series.items()):
        offer = _choose(offers.get(sku, []))
        lead = offer.lead_time_days if offer else req.lead_time_days
        service = own.get(sku, req.service_level)
        levels = policy_levels(daily, level, Policy(lead, req.review_days, service))
        held = stock.get((sku, warehouse))
        available = max(0, held.on_hand - held.reserved) if held else 0
        inc, back = incoming.get((sku, warehouse), 0), backorders.get((sku, warehouse), 0)
        row = Suggestion(
            sku=sku,
            warehouse=warehouse,
            supplier=offer.supplier if offer else None,
            unit_cost=str(offer.unit_cost) if offer else None,
            currency=offer.currency if offer else None,
            lead_time_days=lead,
            service_level=service,
            daily_demand=round(levels.daily_demand, 3),
            sigma_daily=round(levels.sigma_daily, 3),
            safety_stock=levels.safety_stock,
            reorder_point=levels.reorder_point,
            order_up_to=levels.order_up_to,
            available=available,
            incoming=inc,
            backorders=back,
            position=available + inc - back,
            transfer_in=0,
            quantity=0,
            order_by=None,
        )
        by_sku[sku].append(row)
        rows.append(row)
    moves = _plan(by_sku, series, offers, first_day, today)
    return _page(rows, moves, req, after, run["id"], first_day, today)


def _plan(
    by_sku: dict[str, list[Suggestion]],
    series: dict[tuple[str, str], list[Day]],
    offers: dict[str, list[_Offer]],
    first_day: date,
    today: date,
) -> list[TransferSuggestion]:
    """Transfers first (stock already owned), then what is still short is bought."""
    out: list[TransferSuggestion] = []
    for sku, rows in by_sku.items():
        sites = [Site(r.warehouse, r.position, r.reorder_point, r.order_up_to) for r in rows]
        moved: dict[str, int] = defaultdict(int)
        for m in transfers(sku, sites):
            out.append(
                TransferSuggestion(sku=m.sku, source=m.source, target=m.target, quantity=m.quantity)
            )
            moved[m.target] += m.quantity
            moved[m.source] -= m.quantity
        offer = _choose(offers.get(sku, []))
        for r in rows:
            r.transfer_in = max(0, moved[r.warehouse])
            position = r.position + moved[r.warehouse]
            daily = series[(sku, r.warehouse)]
            r.order_by = order_by(position, daily, r.reorder_point, first_day, today)
            if position < r.reorder_point:
                need = r.order_up_to - position
                r.quantity = order_quantity(need, offer.moq, offer.case_pack) if offer else need
    return out


def _page(
    rows: list[Suggestion],
    moves: list[TransferSuggestion],
    req: ReplenishmentIn,
    after: tuple[str, str] | None,
    run_id: str,
    first_day: date,
    today: date,
) -> ReplenishmentPage:
    def keep(r: Suggestion) -> bool:
        return (
            (req.warehouse is None or r.warehouse == req.warehouse)
            and (req.supplier is None or r.supplier == req.supplier)
            and (not req.only_due or r.quantity > 0)
            and (after is None or (r.sku, r.warehouse) > after)
        )

    kept = [r for r in rows if keep(r)]
    page = kept[: req.limit]
    cursor = None
    if len(kept) > req.limit:
        last = page[-1]
        cursor = base64.urlsafe_b64encode(f"{last.sku}\t{last.warehouse}".encode()).decode()
    if req.warehouse is not None:
        moves = [m for m in moves if req.warehouse in (m.source, m.target)]
    if req.supplier is not None:
        suppliers = {r.sku for r in rows if r.supplier == req.supplier}
        moves = [m for m in moves if m.sku in suppliers]
    return ReplenishmentPage(
        run_id=run_id,
        first_day=first_day,
        today=today,
        items=page,
        transfers=moves,
        next_cursor=cursor,
    )
