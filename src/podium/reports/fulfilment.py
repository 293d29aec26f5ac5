"""Fulfilment performance per warehouse: order-to-ship time, on-time rate against the
promised day, split-shipment rate and shipping (label) cost per order."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from podium import carriers, orders
from podium.db.database import Database, as_utc, utcnow
from podium.money import format_amount, parse_amount
from podium.reports.maths import percentile, rate
from podium.reports.model import REPORTS, Column, Report, ReportQuery
from podium.reports.reading import chunks, live_shipments, window
from podium.shipments import Shipment

__all__ = ["fulfilment_report"]

ALL = "(all)"
COLUMNS = (
    Column("warehouse", "Warehouse", numeric=False),
    Column("orders", "Orders"),
    Column("shipments", "Shipments"),
    Column("shipped", "Shipped"),
    Column("hours_to_ship_p50", "Hours to ship (p50)"),
    Column("hours_to_ship_p90", "Hours to ship (p90)"),
    Column("on_time_rate", "On time"),
    Column("late", "Late"),
    Column("split_rate", "Split orders"),
    Column("shipping_cost", "Shipping cost"),
    Column("cost_per_order", "Cost per order"),
    Column("currency", "Currency", numeric=False),
)


@dataclass(slots=True)
class _Group:
    orders: set[str] = field(default_factory=set)
    split: set[str] = field(default_factory=set)
    shipments: int = 0
    hours: list[float] = field(default_factory=list)
    on_time: int = 0
    late: int = 0
    cost: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    costed: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    def add(
        self,
        s: Shipment,
        placed: datetime,
        promise: date | None,
        split: bool,
        label: tuple[int, str] | None,
        today: date,
    ) -> None:
        self.orders.add(s.order_id)
        if split:
            self.split.add(s.order_id)
        self.shipments += 1
        if s.shipped_at is not None:
            shipped = as_utc(s.shipped_at)
            self.hours.append((shipped - as_utc(placed)).total_seconds() / 3600)
            if promise is not None:
                if shipped.date() <= promise:
                    self.on_time += 1
                else:
                    self.late += 1
        elif promise is not None and promise < today:
            self.late += 1  # still open after the day it was promised
        if label is not None:
            self.cost[label[1]] += label[0]
            self.costed[label[1]].add(s.order_id)

    def row(self, warehouse: str) -> dict[str, str | int | float | None]:
        p50, p90 = percentile(self.hours, 0.5), percentile(self.hours, 0.9)
        currencies = sorted(self.cost)
        return {
            "warehouse": warehouse,
            "orders": len(self.orders),
            "shipments": self.shipments,
            "shipped": len(self.hours),
            "hours_to_ship_p50": None if p50 is None else round(p50, 1),
            "hours_to_ship_p90": None if p90 is None else round(p90, 1),
            "on_time_rate": rate(self.on_time, self.on_time + self.late),
            "late": self.late,
            "split_rate": rate(len(self.split), len(self.orders)),
            "shipping_cost": "; ".join(format_amount(self.cost[c], c) for c in currencies) or None,
            "cost_per_order": "; ".join(
                format_amount(_per(self.cost[c], len(self.costed[c])), c) for c in currencies
            )
            or None,
            "currency": "; ".join(currencies) or None,
        }


def _per(total: int, n: int) -> int:
    """total ÷ n in minor units, half away from zero (exact integers, never float)."""
    return (2 * total + n) // (2 * n) if n else 0


def fulfilment_report(db: Database, q: ReportQuery) -> Report:
    start, end = window(q)
    with db.read() as conn:
        lines = orders.sales_lines(conn, start, end, q.channel)
        ships = live_shipments(conn, [ln.order_id for ln in lines])
    head = {ln.order_id: (ln.placed_at, ln.promised_date) for ln in lines}
    labels: dict[str, tuple[int, str]] = {}
    for part in chunks([s.id for s in ships]):
        for sid, view in carriers.current_labels(db, part).items():
            labels[sid] = (parse_amount(view.rate.amount, view.rate.currency), view.rate.currency)
    per_order: dict[str, int] = defaultdict(int)
    for s in ships:
        per_order[s.order_id] += 1
    today = utcnow().date()
    groups: dict[str, _Group] = defaultdict(_Group)
    for s in ships:
        placed, promised = head[s.order_id]
        promise = s.promised_by or promised
        split = per_order[s.order_id] > 1
        for name in (ALL, s.warehouse):
            if q.warehouse is None or s.warehouse == q.warehouse:
                groups[name].add(s, placed, promise, split, labels.get(s.id), today)
    names = sorted(n for n in groups if n != ALL)
    rows = [groups[ALL].row(ALL)] + [groups[n].row(n) for n in names] if groups else []
    if q.warehouse is not None:
        rows = [r for r in rows if r["warehouse"] != ALL]
    bars = [
        (
            str(r["warehouse"]),
            (float(r["hours_to_ship_p50"] or 0), float(r["hours_to_ship_p90"] or 0)),
        )
        for r in rows
    ]
    return Report(
        name="fulfilment",
        title=REPORTS["fulfilment"],
        query=q,
        columns=COLUMNS,
        rows=rows,
        series=("p50 hours", "p90 hours"),
        bars=bars,
        note="Live shipments of the orders placed in the range. Hours from placing to "
        "shipping; on time = shipped on or before the promised day (the shipment's, else the "
        "order's), late also counts open shipments past it; split = orders in more than one "
        "shipment; cost = the labels bought, per order with a label.",
    )
