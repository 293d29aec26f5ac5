"""Use cases for returns (RMAs): request, approve, reject, ship back, receive with a disposition
per unit, close, read and list. Refunds are in ``returns.refunds``."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from podium import catalog, orders
from podium.db.database import Database, utcnow
from podium.db.tables import returns
from podium.errors import Conflict, NotFound, ValidationFailed
from podium.ids import new_id
from podium.orders import OrderFacts, locked_order, order_facts
from podium.paging import Page
from podium.returns import _label_store as label_store
from podium.returns import _store as store
from podium.returns.events import STATUS_EVENTS, ReturnCreated
from podium.returns.model import (
    ReturnIn,
    ReturnLineIn,
    ReturnStatus,
    ReturnView,
    ShipBackIn,
    check_return_transition,
    return_policy,
)
from podium.returns.queue import ReturnsQuery, returns_page
from podium.returns.views import return_view, return_views

__all__ = [
    "approve_return",
    "assign_lines",
    "close_return",
    "close_settled",
    "create_return",
    "get_return",
    "list_returns",
    "locked_return",
    "move",
    "open_return",
    "reject_return",
    "ship_back",
]


def locked_return(conn: Connection, return_id: str) -> tuple[sa.RowMapping, sa.RowMapping]:
    """The order row, then the return row, both locked (orders lock first, everywhere)."""
    found = store.return_row(conn, return_id)
    if found is None:
        raise NotFound(f"No return {return_id}.", code="return_not_found")
    order = locked_order(conn, found["order_id"])
    row = store.lock_return(conn, return_id)
    if row is None:
        raise RuntimeError(f"return {return_id} not found")
    return order, row


def assign_lines(
    facts: OrderFacts, wanted: Sequence[tuple[str, int, str]], returned: Mapping[int, int]
) -> list[dict[str, Any]]:
    """Map requested (sku, quantity, reason) onto order lines, refusing more than shipped minus
    already returned. Returns return-line rows (without ``return_id``)."""
    returned_by_sku: dict[str, int] = defaultdict(int)
    for ln in facts.money.lines:
        returned_by_sku[ln.sku] += returned.get(ln.line_no, 0)
    asked: dict[str, int] = defaultdict(int)
    for sku, quantity, _ in wanted:
        asked[sku] += quantity
    on_order = {ln.sku for ln in facts.money.lines}
    for i, (sku, _, _) in enumerate(wanted):
        if sku not in on_order:
            raise ValidationFailed(
                f"{sku} is not on order {facts.number}.",
                code="sku_not_on_order",
                details={"field": f"lines.{i}.sku", "sku": sku},
            )
    for sku, quantity in sorted(asked.items()):
        left = facts.shipped_by_sku.get(sku, 0) - returned_by_sku[sku]
        if quantity > left:
            raise Conflict(
                f"Only {max(0, left)} unit(s) of {sku} can be returned (shipped minus returned).",
                code="return_exceeds_shipped",
                details={"sku": sku, "requested": quantity, "returnable": max(0, left)},
            )
    room = {ln.line_no: ln.quantity - returned.get(ln.line_no, 0) for ln in facts.money.lines}
    rows: list[dict[str, Any]] = []
    for sku, quantity, reason in wanted:
        todo = quantity
        for ln in facts.money.lines:
            if ln.sku != sku or todo == 0 or room[ln.line_no] <= 0:
                continue
            take = min(todo, room[ln.line_no])
            room[ln.line_no] -= take
            todo -= take
            rows.append(
                {
                    "line_no": len(rows) + 1,
                    "order_line_no": ln.line_no,
                    "sku": sku,
                    "quantity": take,
                    "reason": reason,
                }
            )
    return rows


def open_return(
    conn: Connection,
    order: Mapping[Any, Any],
    facts: OrderFacts,
    lines: Sequence[ReturnLineIn],
    actor: str,
    *,
    status: ReturnStatus = ReturnStatus.REQUESTED,
    note: str | None = None,
    channel_refund_id: str | None = None,
    exchange_for: Mapping[str, str] | None = None,
) -> str:
    """Write a return for these lines in the caller's transaction; returns its id."""
    returned = store.returned_units(conn, order["id"])
    rows = assign_lines(facts, [(ln.sku, ln.quantity, ln.reason) for ln in lines], returned)
    return_id = new_id("rma")
    store.insert_return(
        conn,
        {
            "id": return_id,
            "order_id": order["id"],
            "status": status.value,
            "note": note,
            "carrier": None,
            "tracking_number": None,
            "exchange_order_id": None,
            "exchange_skus": dict(exchange_for) if exchange_for else None,
            "channel_refund_id": channel_refund_id,
            "created_by": actor,
        },
        [{**r, "return_id": return_id} for r in rows],
    )
    units = sum(r["quantity"] for r in rows)
    orders.record(
        conn,
        order,
        actor,
        "return.created",
        f"Return {return_id} requested: {units} unit(s).",
        {
            "return_id": return_id,
            "lines": [{k: r[k] for k in ("sku", "quantity", "reason")} for r in rows],
        },
        event=ReturnCreated(
            id=order["id"],
            number=order["number"],
            return_id=return_id,
            order_id=order["id"],
            status=status.value,
            lines=[{"sku": r["sku"], "quantity": r["quantity"]} for r in rows],
        ),
    )
    return return_id


def create_return(db: Database, order_id: str, data: ReturnIn, actor: str) -> ReturnView:
    with db.write() as conn:
        order = locked_order(conn, order_id)
        facts = order_facts(conn, order_id)
        policy = return_policy(catalog.channel_settings(conn, facts.channel) or {})
        for i, ln in enumerate(data.lines):
            if ln.reason not in policy.reasons:
                raise ValidationFailed(
                    f"Unknown return reason {ln.reason!r}; use one of {', '.join(policy.reasons)}.",
                    code="invalid_return_reason",
                    details={"field": f"lines.{i}.reason", "allowed": list(policy.reasons)},
                )
        last = facts.last_shipped_at
        if (
            last is not None
            and not data.ignore_window
            and utcnow() - last > timedelta(days=policy.window_days)
        ):
            raise Conflict(
                f"The {policy.window_days}-day return window closed "
                f"{(last + timedelta(days=policy.window_days)).date().isoformat()}.",
                code="return_window_closed",
                details={"window_days": policy.window_days},
            )
        return_id = open_return(
            conn, order, facts, data.lines, actor, note=data.note, exchange_for=data.exchange_for
        )
        if data.approve:
            move(conn, order, return_id, ReturnStatus.REQUESTED, ReturnStatus.APPROVED, actor)
        return return_view(conn, return_id)


def move(
    conn: Connection,
    order: Mapping[Any, Any],
    return_id: str,
    current: str,
    target: ReturnStatus,
    actor: str,
    values: dict[str, Any] | None = None,
    data: dict[str, Any] | None = None,
) -> None:
    if current != target:
        check_return_transition(current, target)
    store.update_return(conn, return_id, {"status": target.value, **(values or {})})
    orders.record(
        conn,
        order,
        actor,
        f"return.{target.value}",
        f"Return {return_id} is now {target.value.replace('_', ' ')}.",
        {"return_id": return_id, "from": current, **(data or {})},
        event=STATUS_EVENTS[target](
            id=order["id"],
            number=order["number"],
            return_id=return_id,
            order_id=order["id"],
            status=target.value,
            extra=data or {},
        ),
    )


def close_settled(conn: Connection, order: Mapping[Any, Any], return_id: str, actor: str) -> None:
    """Close an inspected return that an exchange or refund has settled."""
    move(conn, order, return_id, ReturnStatus.INSPECTED.value, ReturnStatus.CLOSED, actor)


def _transition(
    db: Database, return_id: str, target: ReturnStatus, actor: str, **values: Any
) -> ReturnView:
    with db.write() as conn:
        order, row = locked_return(conn, return_id)
        move(
            conn,
            order,
            return_id,
            row["status"],
            target,
            actor,
            values,
            {k: v for k, v in values.items() if v},
        )
        return return_view(conn, return_id)


def approve_return(db: Database, return_id: str, actor: str) -> ReturnView:
    return _transition(db, return_id, ReturnStatus.APPROVED, actor)


def reject_return(db: Database, return_id: str, actor: str, note: str | None = None) -> ReturnView:
    if note:
        return _transition(db, return_id, ReturnStatus.REJECTED, actor, note=note)
    return _transition(db, return_id, ReturnStatus.REJECTED, actor)


def ship_back(db: Database, return_id: str, data: ShipBackIn, actor: str) -> ReturnView:
    """The customer sent the parcel: with the tracking number they give, or the return
    label's (``returns.labels``), which counts as picked up from now on."""
    values = {
        k: v
        for k, v in (("carrier", data.carrier), ("tracking_number", data.tracking_number))
        if v is not None
    }
    with db.write() as conn:
        order, row = locked_return(conn, return_id)
        move(conn, order, return_id, row["status"], ReturnStatus.IN_TRANSIT, actor, values, values)
        label = label_store.current_label(conn, return_id)
        if (
            label is not None
            and label["picked_up_at"] is None
            and data.tracking_number in (None, label["tracking_number"])
        ):
            label_store.update_label(conn, label["id"], {"picked_up_at": utcnow()})
        return return_view(conn, return_id)


def close_return(db: Database, return_id: str, actor: str) -> ReturnView:
    return _transition(db, return_id, ReturnStatus.CLOSED, actor)


def get_return(db: Database, return_id: str) -> ReturnView:
    with db.read() as conn:
        return return_view(conn, return_id)


def list_returns(db: Database, query: ReturnsQuery) -> Page[ReturnView]:
    """One page of returns in full for the API: the dashboard list's filters and search, keyset
    pages both ways, and the page's (capped) total."""
    with db.read() as conn:
        page = returns_page(conn, query, (returns,))
        return page.map(return_views(conn, page.items))
