"""Screening an order at placement (issue 15): its fraud risk and its shipping address.

Split from placement: :func:`prepare` runs before the placement transaction (list look-ups and
the offline postal data, which may load once), :func:`screen` inside it (earlier and recent
orders, through indexed queries), and :func:`hold_for` puts the order on hold with reason
``risk`` (a high level) and/or ``address`` (what is wrong, on the timeline and the hold's note).
Scoring itself is ``podium.risk`` (pure).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import Connection

from podium.db.database import utcnow
from podium.orders import _risk_store as risk_store
from podium.orders import _store as store
from podium.orders.holds import Hold, open_holds, put_on_hold, release_holds
from podium.orders.journal import Batch
from podium.orders.model import OrderIntake
from podium.orders.status import HoldReason, OrderStatus, change_status
from podium.orders.timeline import TimelineRow, add_timeline
from podium.risk import (
    AddressProblem,
    Assessment,
    PostalData,
    RiskFacts,
    RiskSettings,
    assess,
    check_address,
    disposable_domain,
    forwarder_of,
    postal_problem,
)

__all__ = [
    "Prepared",
    "Screened",
    "address_hold_note",
    "address_key",
    "hold_for",
    "prepare",
    "recheck_address",
    "screen",
]

_NON_WORD = re.compile(r"[\W_]+")


@dataclass(frozen=True, slots=True)
class Prepared:
    """What is known about an intake before the transaction."""

    address_problems: tuple[AddressProblem, ...] = ()
    postal_problem: str | None = None
    disposable_domain: str | None = None
    forwarder: str | None = None
    address_key: str | None = None


@dataclass(frozen=True, slots=True)
class Screened:
    assessment: Assessment
    address_problems: tuple[AddressProblem, ...] = field(default_factory=tuple)
    address_key: str | None = None

    def holds_risk(self) -> bool:
        return self.assessment.level == "high"

    @property
    def holds(self) -> bool:
        return self.holds_risk() or bool(self.address_problems)


def address_key(address: Mapping[str, Any]) -> str | None:
    """The shipping address folded to one key (street lines, postal code, country): the same
    door written with other case or punctuation is the same key."""
    parts = [str(address.get(k) or "") for k in ("line1", "line2", "postal_code", "country")]
    text = " ".join(_NON_WORD.sub(" ", " ".join(parts).casefold()).split())
    if not str(address.get("line1") or "").strip():
        return None
    return hashlib.sha256(text.encode()).hexdigest()[:40]


def prepare(intake: OrderIntake, settings: RiskSettings, postal: PostalData) -> Prepared:
    """The look-ups that need no database: address checks, disposable domain, forwarder."""
    address = intake.shipping_address.model_dump(exclude_none=True)
    problems = check_address(
        address,
        postal,
        service_level=intake.service_level,
        po_box_refused_by=settings.po_box_refused_by,
    )
    mismatch = postal_problem(address, postal)
    return Prepared(
        address_problems=tuple(problems),
        postal_problem=mismatch.detail if mismatch is not None else None,
        disposable_domain=disposable_domain(intake.customer.email),
        forwarder=forwarder_of(address, settings.extra_forwarders),
        address_key=address_key(address),
    )


def screen(
    conn: Connection,
    intake: OrderIntake,
    total: int,
    prepared: Prepared,
    settings: RiskSettings,
) -> Screened:
    """The order's risk (earlier and recent orders read here, in the placement transaction)."""
    if not settings.enabled:
        return Screened(Assessment(0, "low"), prepared.address_problems, prepared.address_key)
    email = intake.customer.email
    seen = risk_store.history(
        conn,
        email=email,
        address=prepared.address_key,
        ip=intake.client_ip,
        since=utcnow() - timedelta(minutes=settings.velocity_window_minutes),
        cap=settings.velocity_limit,
    )
    billing = intake.billing_address
    facts = RiskFacts(
        total=total,
        currency=intake.currency,
        shipping_country=intake.shipping_address.country,
        shipping_postal=intake.shipping_address.postal_code,
        billing_country=billing.country if billing else None,
        billing_postal=billing.postal_code if billing else None,
        earlier_orders_by_email=None if email is None else int(seen.earlier_by_email),
        recent_by_email=seen.recent_by_email,
        recent_by_address=seen.recent_by_address,
        recent_by_ip=seen.recent_by_ip,
        disposable_domain=prepared.disposable_domain,
        forwarder=prepared.forwarder,
        postal_problem=prepared.postal_problem,
        channel_risk=intake.channel_risk,
        channel_risk_detail=intake.channel_risk_detail,
    )
    return Screened(assess(facts, settings), prepared.address_problems, prepared.address_key)


def address_hold_note(problems: tuple[AddressProblem, ...] | list[AddressProblem]) -> str:
    return "; ".join(p.detail for p in problems)


def hold_for(
    conn: Connection,
    order: Mapping[str, Any],
    screened: Screened,
    *,
    actor: str,
    batch: Batch,
    hold: bool = True,
) -> list[Hold]:
    """Record the assessment (a medium or high level) and, when ``hold``, hold the order for
    what screening found: reason ``risk`` for a high level, ``address`` for a failing address
    (a handed-over sale is not held: its goods are gone)."""
    a = screened.assessment
    holds: list[Hold] = []
    if a.level != "low":
        batch.entries.append(
            TimelineRow(
                "order.risk_assessed",
                f"Risk {a.level} ({a.score}/100): "
                + ", ".join(f"{s.detail} (+{s.points})" for s in a.signals)
                + ".",
                a.as_dict(),
            )
        )
    if hold and screened.holds_risk():
        codes = ", ".join(s.code for s in a.signals)
        holds.append(
            put_on_hold(
                conn,
                order,
                HoldReason.RISK.value,
                f"score {a.score}: {codes}",
                actor=actor,
                message=f"On hold (risk): score {a.score}/100 is high; review it, then approve "
                "(release) or reject (cancel and refund).",
                data={"reason": "risk", "score": a.score, "level": a.level},
                batch=batch,
            )
        )
    if hold and screened.address_problems:
        note = address_hold_note(screened.address_problems)
        holds.append(
            put_on_hold(
                conn,
                order,
                HoldReason.ADDRESS.value,
                note,
                actor=actor,
                message=f"On hold (address): {note}; correct the shipping address (an edit that "
                "fixes it releases the hold).",
                data={
                    "reason": "address",
                    "problems": [p.as_dict() for p in screened.address_problems],
                },
                batch=batch,
            )
        )
    return holds


def recheck_address(
    conn: Connection,
    order_id: str,
    address: Mapping[str, Any],
    settings: RiskSettings,
    postal: PostalData,
    *,
    actor: str,
) -> None:
    """After an edit of the shipping address: a failing address holds the order (reason
    ``address``), a fixed one releases that hold (and the order carries on when no other hold
    remains; the edit has already re-routed it)."""
    order = store.order(conn, order_id)
    if order is None:
        raise RuntimeError(f"order {order_id} not found")
    problems = check_address(
        address,
        postal,
        service_level=order["service_level"],
        po_box_refused_by=settings.po_box_refused_by,
    )
    holds = open_holds(conn, [order_id])
    held = [h for h in holds if h.reason == HoldReason.ADDRESS]
    if problems and not held:
        note = address_hold_note(problems)
        put_on_hold(
            conn,
            order,
            HoldReason.ADDRESS.value,
            note,
            actor=actor,
            message=f"On hold (address): {note}; correct the shipping address (an edit that "
            "fixes it releases the hold).",
            data={"reason": "address", "problems": [p.as_dict() for p in problems]},
        )
    elif held and not problems:
        release_holds(conn, order_id, actor, held)
        add_timeline(
            conn,
            order_id,
            [
                TimelineRow(
                    "order.hold_released",
                    "Hold released (address): the corrected address passes the checks.",
                    {"reasons": [HoldReason.ADDRESS.value]},
                )
            ],
            actor,
        )
        if len(held) == len(holds) and order["status"] == OrderStatus.ON_HOLD:
            change_status(conn, order_id, order["status"], OrderStatus.READY)
    elif held and problems:
        add_timeline(
            conn,
            order_id,
            [
                TimelineRow(
                    "order.address_checked",
                    f"The edited address still fails the checks: {address_hold_note(problems)}.",
                    {"problems": [p.as_dict() for p in problems]},
                )
            ],
            actor,
        )
