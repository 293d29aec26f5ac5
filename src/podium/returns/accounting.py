"""The accounting export: sales, discounts, shipping, tax and refunds per day, channel and
currency, as CSV in exact decimal strings.

Sales are orders placed that day (not cancelled), by their placement day in UTC; refunds are
counted on the day they were issued, on the channel of their order. Every money column is an
integer sum of minor units before it is rendered, so the rows add up exactly to the per-currency
``TOTAL`` rows at the end. Amounts in different currencies are never added together.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from podium.csvsafe import SafeWriter
from podium.db.database import Database, as_utc
from podium.errors import ValidationFailed
from podium.money import format_amount
from podium.orders import order_channels, orders_placed
from podium.returns.refunds import refunds_issued

__all__ = ["COLUMNS", "Figures", "accounting_csv", "aggregate", "render"]

MONEY = (
    "gross_sales",
    "discounts",
    "shipping",
    "tax",
    "total_sales",
    "refunds",
    "refunded_tax",
    "refunded_shipping",
    "net",
)
COLUMNS = ("date", "channel", "currency", "orders", "refund_count", *MONEY)
MAX_DAYS = 3660


@dataclass
class Figures:
    orders: int = 0
    refund_count: int = 0
    money: dict[str, int] = field(default_factory=lambda: dict.fromkeys(MONEY, 0))


Key = tuple[str, str, str]  # (day, channel, currency)


def aggregate(
    sales: Iterable[tuple[date, str, str, int, int, int, int, int]],
    refunds: Iterable[tuple[date, str, str, int, int, int]],
) -> dict[Key, Figures]:
    """Pure: sales as (day, channel, currency, gross, discount, shipping, tax, total);
    refunds as (day, channel, currency, amount, tax, shipping)."""
    out: dict[Key, Figures] = {}
    for day, channel, cur, gross, discount, shipping, tax, total in sales:
        f = out.setdefault((day.isoformat(), channel, cur), Figures())
        f.orders += 1
        for name, value in (
            ("gross_sales", gross),
            ("discounts", discount),
            ("shipping", shipping),
            ("tax", tax),
            ("total_sales", total),
            ("net", total),
        ):
            f.money[name] += value
    for day, channel, cur, amount, tax, shipping in refunds:
        f = out.setdefault((day.isoformat(), channel, cur), Figures())
        f.refund_count += 1
        f.money["refunds"] += amount
        f.money["refunded_tax"] += tax
        f.money["refunded_shipping"] += shipping
        f.money["net"] -= amount
    return out


def render(figures: dict[Key, Figures]) -> str:
    buffer = io.StringIO()
    writer = SafeWriter(buffer)
    writer.writerow(COLUMNS)
    totals: dict[str, Figures] = {}
    for (day, channel, cur), f in sorted(figures.items()):
        writer.writerow(
            [day, channel, cur, f.orders, f.refund_count]
            + [format_amount(f.money[m], cur) for m in MONEY]
        )
        t = totals.setdefault(cur, Figures())
        t.orders += f.orders
        t.refund_count += f.refund_count
        for m in MONEY:
            t.money[m] += f.money[m]
    for cur, t in sorted(totals.items()):
        writer.writerow(
            ["TOTAL", "", cur, t.orders, t.refund_count]
            + [format_amount(t.money[m], cur) for m in MONEY]
        )
    return buffer.getvalue()


def accounting_csv(db: Database, start: date, end: date) -> str:
    """The export for the days ``start`` … ``end`` (both included, UTC)."""
    if end < start:
        raise ValidationFailed(
            "to must not be before from.", code="invalid_range", details={"field": "to"}
        )
    if (end - start).days > MAX_DAYS:
        raise ValidationFailed(
            f"Export at most {MAX_DAYS} days at once.",
            code="invalid_range",
            details={"field": "to"},
        )
    lo = datetime.combine(start, time(), tzinfo=UTC)
    hi = datetime.combine(end + timedelta(days=1), time(), tzinfo=UTC)
    with db.report() as conn:  # an export: the read replica may serve it
        sold = orders_placed(conn, lo, hi)
        refunded = refunds_issued(conn, lo, hi)
        channel_of = order_channels(conn, [r["order_id"] for r in refunded])
    return render(
        aggregate(
            (
                (
                    as_utc(r["placed_at"]).date(),
                    r["channel"],
                    r["currency"],
                    r["subtotal"],
                    r["discount_total"],
                    r["shipping_total"],
                    r["tax_total"],
                    r["total"],
                )
                for r in sold
            ),
            (
                (
                    as_utc(r["created_at"]).date(),
                    channel_of.get(r["order_id"], ""),
                    r["currency"],
                    r["amount"],
                    r["tax_amount"],
                    r["shipping_amount"],
                )
                for r in refunded
            ),
        )
    )
