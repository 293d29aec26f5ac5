"""``podium routing simulate``: load orders (recent ones, or a file of order bodies) and the
network as it stands, then replay them under the current rules and a candidate rule set.

The replay starts from the stock physically there (on hand less safety stock, as if none of
these orders had reserved anything yet) and each location's full daily capacity.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import replace
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from podium import catalog, inventory
from podium.db.database import Database, utcnow
from podium.geo import Coordinates, Geocoder
from podium.orders import OrderIntake, destination_of, latest_orders, order_lines, price
from podium.routing import service as routing
from podium.routing.engine import Location
from podium.routing.online import facts_of_order, intake_facts
from podium.routing.optimiser import WaveOrder
from podium.routing.rules import RuleSet
from podium.routing.simulate import Metrics, replay

__all__ = ["compare", "orders_from_file", "recent_orders"]


def recent_orders(db: Database, last: int) -> list[WaveOrder]:
    """The last ``last`` orders placed (not cancelled), oldest first."""
    with db.read() as conn:
        rows = latest_orders(conn, status=None, limit=last * 2)
        rows = [r for r in rows if r.status != "cancelled"][:last]
        lines: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for ln in order_lines(conn, [r.id for r in rows]):
            left = ln.quantity - ln.quantity_cancelled
            if left > 0:
                lines[ln.order_id][ln.sku] += left
        out = []
        for r in reversed(rows):
            demand = dict(lines[r["id"]])
            if not demand:
                continue
            lat, lon = r["destination_latitude"], r["destination_longitude"]
            dest = Coordinates(lat, lon) if lat is not None and lon is not None else None
            out.append(WaveOrder(r["id"], facts_of_order(conn, r, list(demand)), demand, dest))
    return out


def orders_from_file(db: Database, path: Path, geocoder: Geocoder) -> list[WaveOrder]:
    """Order bodies as ``POST /orders`` takes them: a JSON list, or ``{"orders": [...]}``."""
    try:
        data: Any = json.loads(path.read_text())
    except OSError as exc:
        raise ValueError(f"cannot read {path}: {exc.strerror}") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path} is not JSON: {exc.msg} (line {exc.lineno})") from None
    items = data.get("orders") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise ValueError(f"{path}: expected a list of orders or {{'orders': [...]}}")
    out = []
    with db.read() as conn:
        for i, item in enumerate(items):
            try:
                intake = OrderIntake.model_validate(item)
            except ValidationError as exc:
                first = exc.errors()[0]
                where = ".".join(str(p) for p in first["loc"])
                raise ValueError(f"{path}: order {i}: {where}: {first['msg']}") from None
            demand: dict[str, int] = defaultdict(int)
            for ln in intake.lines:
                demand[ln.sku] += ln.quantity
            facts = intake_facts(conn, intake, price(intake).total, list(demand))
            dest = destination_of(intake, geocoder)
            out.append(WaveOrder(intake.external_id or f"#{i + 1}", facts, dict(demand), dest))
    return out


def network(db: Database, skus: set[str]) -> tuple[dict[tuple[str, str], int], list[Location]]:
    with db.read() as conn:
        levels = inventory.levels(conn, skus) if skus else {}
        locations = routing.locations(conn, utcnow())
        warehouses = {w.code: w for w in catalog.warehouses(conn)}
    stock = {(wh, sku): max(0, lv.on_hand - lv.safety_stock) for (sku, wh), lv in levels.items()}
    full_day = [
        replace(loc, capacity_left=warehouses[loc.code].daily_order_capacity)
        for loc in locations
        if loc.code in warehouses
    ]
    return stock, full_day


def compare(
    db: Database, orders: list[WaveOrder], candidate: RuleSet | None
) -> tuple[int, dict[str, Metrics]]:
    """Metrics under the active rules (and the candidate); returns the active version too."""
    stock, locations = network(db, {s for o in orders for s in o.demand})
    with db.read() as conn:
        version, active = routing.active_rules(conn)
    results = {f"current (v{version})": replay(orders, stock, locations, active)}
    if candidate is not None:
        results["candidate"] = replay(orders, stock, locations, candidate)
    return version, results
