"""The end of the demo's day: returns and refunds, and the exceptions operations meet.

After the orders and the shipping waves (:mod:`podium.demo`), the last hours of the day bring
what makes every dashboard page worth opening: returns at each stage (requested, approved,
received, refunded, rejected), refunds to the card and as store credit, a short pick that
back-orders a unit, parcels that missed their promised date, and an ERP webhook whose address
does not resolve, so its deliveries fail and retry once ``podium serve`` runs. Each goes through
the same use case the API and the dashboard call, under the demo's simulated clock.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from random import Random

from podium import orders
from podium.bootstrap import Podium
from podium.errors import DomainError
from podium.fulfillment import (
    PromiseIn,
    ShortLineIn,
    ShortPickIn,
    get_shipment,
    set_promise,
    short_pick,
)
from podium.notify import WebhookIn, create_subscription, list_subscriptions
from podium.returns import (
    ReceiveIn,
    ReceiveLineIn,
    RefundIn,
    ReturnIn,
    ReturnLineIn,
    create_return,
    receive_return,
    refund_return,
    reject_return,
)

__all__ = ["ERP_WEBHOOK", "FollowUps", "follow_up"]

# A name under .invalid never resolves (RFC 2606), so the deliveries fail the same way on
# every machine, online or not, and never reach anyone.
ERP_WEBHOOK = "https://erp.demo-store.invalid/podium/returns"
RETURN_SHARE = 0.05  # of the day's shipped orders
SHORT_PICKS = 2
LATE = 3
_REASONS = (("size_fit", 40), ("changed_mind", 25), ("damaged", 10), ("defective", 10),
            ("wrong_item", 10), ("not_as_described", 5))  # fmt: skip
# How far each return gets before the day ends, and how likely: requested only, approved (the
# parcel is on its way back), received, refunded, rejected.
_STAGES = (("requested", 20), ("approved", 20), ("received", 15), ("refunded", 40),
           ("rejected", 5))  # fmt: skip
# The first returns of the day, one at each stage (a refund first: a small demo has few returns).
_FIRST_STAGES = ("refunded", "received", "approved", "requested", "rejected")


@dataclass
class FollowUps:
    returns: int = 0
    refunds: int = 0
    refunded_cents: int = 0
    store_credit_refunds: int = 0
    rejected: int = 0
    short_picked: int = 0
    late: int = 0
    webhooks: int = 0
    stages: dict[str, int] = field(default_factory=dict)


def follow_up(
    podium: Podium,
    rng: Random,
    set_clock: Callable[[datetime], None],
    *,
    shipped: list[tuple[str, datetime]],
    unshipped: list[str],
    end: datetime,
) -> FollowUps:
    """``shipped``: (order id, when it left), oldest first; ``unshipped``: open shipment ids."""
    done = FollowUps()
    start = end - timedelta(hours=3)  # the follow-ups fill the day's last hours

    def at(minutes: float) -> None:
        set_clock(start + timedelta(minutes=minutes))

    at(0)
    if all(w.url != ERP_WEBHOOK for w in list_subscriptions(podium.db)):  # once per store
        create_subscription(podium.db, WebhookIn(
            url=ERP_WEBHOOK, event_types=["return.*"],
            description="The ERP's returns feed (demo: its address never resolves, so it fails)",
        ), allow_private=False)  # fmt: skip
        done.webhooks = 1
    count = max(3, round(len(shipped) * RETURN_SHARE)) if shipped else 0
    chosen = sorted(rng.sample(range(len(shipped)), min(count, len(shipped))))
    for i, index in enumerate(chosen):
        order_id, left = shipped[index]
        set_clock(max(left + timedelta(minutes=30), start + timedelta(minutes=2 * i)))
        _return(podium, rng, order_id, done, set_clock)
    at(150)
    for shipment_id in unshipped[:SHORT_PICKS]:
        sku = _first_open_sku(podium, shipment_id)
        if sku is None:
            continue
        short_pick(podium.db, shipment_id, ShortPickIn(lines=[ShortLineIn(sku=sku, quantity=1)]),
                   "warehouse")  # fmt: skip
        done.short_picked += 1
    at(160)
    promised = (end - timedelta(days=1)).date()
    for shipment_id in unshipped[SHORT_PICKS : SHORT_PICKS + LATE]:
        set_promise(podium.db, shipment_id, PromiseIn(promised_by=promised), "support")
        done.late += 1
    return done


def _first_open_sku(podium: Podium, shipment_id: str) -> str | None:
    """The first SKU of an open shipment (None once it has left or gone)."""
    view = get_shipment(podium.db, shipment_id)
    if view.status not in ("pending", "released", "picking", "packed") or not view.lines:
        return None
    return view.lines[0].sku


def _return(
    podium: Podium,
    rng: Random,
    order_id: str,
    done: FollowUps,
    set_clock: Callable[[datetime], None],
) -> None:
    db = podium.db
    order = orders.get_order(db, order_id)
    line = next((ln for ln in order.lines if ln.quantity_shipped > 0), None)
    if line is None:
        return
    reason = rng.choices([r for r, _ in _REASONS], weights=[w for _, w in _REASONS])[0]
    stage = rng.choices([s for s, _ in _STAGES], weights=[w for _, w in _STAGES])[0]
    if done.returns < len(_FIRST_STAGES):  # the first returns show every stage, whatever the dice
        stage = _FIRST_STAGES[done.returns]
    at_till = order.channel == "pos"  # brought back to the store: approved and received at once
    if at_till and stage in ("requested", "approved"):
        stage = "refunded"
    try:
        rma = create_return(db, order_id, ReturnIn(
            lines=[ReturnLineIn(sku=line.sku, quantity=1, reason=reason)],
            approve=stage != "requested" and stage != "rejected",
        ), "store" if at_till else "support")  # fmt: skip
    except DomainError:
        return  # not returnable (already returned, say): the story moves on
    done.returns += 1
    done.stages[stage] = done.stages.get(stage, 0) + 1
    now = rma.created_at
    if stage == "rejected":
        set_clock(now + timedelta(minutes=20))
        reject_return(db, rma.id, "support", "Worn and washed; outside the return policy.")
        done.rejected += 1
        return
    if stage in ("requested", "approved"):
        return
    set_clock(now + (timedelta(minutes=1) if at_till else timedelta(minutes=40)))
    disposition = "damaged" if reason in ("damaged", "defective") else "restock"
    receive_return(db, rma.id, ReceiveIn(
        lines=[ReceiveLineIn(sku=line.sku, quantity=1, disposition=disposition)],
    ), "store" if at_till else "warehouse")  # fmt: skip
    if stage == "received":
        return
    set_clock(now + (timedelta(minutes=2) if at_till else timedelta(minutes=55)))
    credit = reason == "changed_mind" and not at_till and rng.random() < 0.5
    refund = refund_return(
        db,
        rma.id,
        RefundIn(method="store_credit" if credit else "original_payment"),
        podium.gateways,
        "ops",
    )
    done.refunds += 1
    done.store_credit_refunds += credit
    done.refunded_cents += _cents(refund.amount)


def _cents(amount: str) -> int:
    whole, _, frac = amount.partition(".")
    return int(whole) * 100 + int(frac.ljust(2, "0")[:2])
