"""The crash test's checker: after the load and the kills, once Podium has settled, prove from
the journal, the database (read-only SQL) and what the outside world received that

- every request answered 2xx took effect exactly once (an order by key or external id, a
  platform webhook's order, a cancel, a shipment, a return), and nothing took effect twice;
- every outbox event was delivered (none pending or dead), each webhook-visible one reached the
  receiver at least once, each e-mail event sent its e-mail exactly once;
- each platform shows the stock Podium publishes, every unit is accounted for, and
  ``GET /doctor`` (``podium doctor``) is clean."""

from __future__ import annotations

import email.utils
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx
import sqlalchemy as sa

from chaos_load import Entry
from chaos_procs import Outside
from chaos_shop import SHOP_LOCATION, STOCK, shop_remote, woo_remote

# Outbox events that send the customer an e-mail here (notify.model.EMAIL_TEMPLATES).
MAILED = {"order.created", "shipment.shipped", "order.cancelled"}
HOOKED = ("order.", "shipment.")  # the webhook subscription's families


def _count(conn: sa.Connection, sql: str) -> int:
    return int(conn.execute(sa.text(sql)).scalar_one())


def backlog(engine: sa.Engine) -> dict[str, int]:
    """What Podium still owes: outbox events, webhook deliveries, stock pushes."""
    with engine.connect() as conn:
        return {
            "outbox": _count(conn, "SELECT count(*) FROM outbox WHERE status = 'pending'"),
            "webhooks": _count(
                conn, "SELECT count(*) FROM webhook_deliveries WHERE status = 'pending'"
            ),
            "pushes": _count(
                conn, "SELECT count(*) FROM channel_listings WHERE wanted_seq IS NOT NULL"
            ),
        }


def settle(engine: sa.Engine, timeout: float) -> float | None:
    """Seconds until nothing is owed (twice in a row, 0.2 s apart), or None."""
    began, clear = time.monotonic(), 0
    while time.monotonic() - began < timeout:
        try:
            clear = clear + 1 if not any(backlog(engine).values()) else 0
        except sa.exc.OperationalError:  # SQLite busy under the restarted server
            clear = 0
        if clear >= 2:
            return time.monotonic() - began
        time.sleep(0.2)
    return None


@dataclass
class Result:
    cycles: list[dict[str, Any]]
    totals: dict[str, int]
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _cycle_counts(
    journal: list[Entry], lost: set[int], dup: set[int], cycles: int
) -> list[dict[str, Any]]:
    out = []
    for cycle in sorted({e.cycle for e in journal} | set(range(1, cycles + 1))):
        mine = [(i, e) for i, e in enumerate(journal) if e.cycle == cycle]
        out.append(
            {
                "cycle": cycle,
                "requests": len(mine),
                "acknowledged": sum(e.acknowledged for _, e in mine),
                "retried": sum(e.attempts > 1 for _, e in mine),
                "unanswered": sum(e.status == 0 for _, e in mine),
                "lost": sum(i in lost for i, _ in mine),
                "duplicated": sum(i in dup for i, _ in mine),
            }
        )
    return out


def check(
    journal: list[Entry],
    client: httpx.Client,
    engine: sa.Engine,
    world: Outside,
    skus: list[str],
    cycles: int,
) -> Result:
    """The properties over the journal (``cycles`` kills), the database and the fakes."""
    problems: list[str] = []
    with engine.connect() as conn:
        orders = conn.execute(
            sa.text("SELECT id, channel, external_id, idempotency_key, status FROM orders")
        ).all()
        events = conn.execute(
            sa.text("SELECT id, aggregate_id, event_type, status FROM outbox")
        ).all()
        notes = conn.execute(sa.text("SELECT event_id, message_id FROM notifications")).all()
        hooks = conn.execute(sa.text("SELECT event_id, status FROM webhook_deliveries")).all()
        returns = conn.execute(sa.text("SELECT id, order_id FROM returns")).all()
        shipped = {
            r[0] for r in conn.execute(sa.text("SELECT id FROM shipments WHERE status = 'shipped'"))
        }
        lines = conn.execute(
            sa.text("SELECT sku, sum(quantity - quantity_cancelled) FROM order_lines GROUP BY sku")
        ).all()
    by_key = Counter(o.idempotency_key for o in orders if o.idempotency_key)
    by_ext = Counter((o.channel, o.external_id) for o in orders if o.external_id)
    order_ids = {o.id: o for o in orders}
    per_event = Counter((e.aggregate_id, e.event_type) for e in events)
    returns_of = Counter(r.order_id for r in returns)
    return_ids = {r.id for r in returns}
    asked_returns = Counter(e.ref for e in journal if e.kind == "return" and e.status != 409)

    lost: set[int] = set()
    dup: set[int] = set()
    channel_of = {"order_ext": "web", "shopify": "shop", "woo": "woo"}
    for i, e in enumerate(journal):
        if e.kind == "order_key":
            found = by_key[e.ref]
        elif e.kind in channel_of:
            found = by_ext[(channel_of[e.kind], e.ref)]
        elif e.kind == "cancel":
            found = per_event[(e.ref, "order.cancelled")]
        elif e.kind == "ship":
            found = per_event[(e.ref, "shipment.shipped")]  # the order is the aggregate
        else:  # a return: at most as many as were asked for
            found = int(e.made_id in return_ids) if e.acknowledged else 0
            if returns_of[e.ref] > asked_returns[e.ref]:
                dup.add(i)
        if e.acknowledged and not found:
            lost.add(i)
            problems.append(f"lost: {e.kind} {e.ref} answered {e.status}")
        if found > 1:
            dup.add(i)
            problems.append(f"duplicated: {e.kind} {e.ref} took effect {found} times")
        if e.acknowledged and e.order_id and e.order_id not in order_ids:
            lost.add(i)
            problems.append(f"lost: {e.kind} {e.ref} answered order {e.order_id}, not found")
    for (aggregate, kind), n in per_event.items():
        if kind == "order.created" and n > 1:
            problems.append(f"duplicated: order.created {n} times for {aggregate}")

    totals: dict[str, int] = {
        "requests": len(journal),
        "acknowledged": sum(e.acknowledged for e in journal),
        "lost": len(lost),
        "duplicated": len(dup),
        "orders": len(orders),
        "committed_unacknowledged": _committed_unanswered(journal, by_key, by_ext),
    }
    totals |= _outbox(events, notes, hooks, world, problems)
    totals |= _stock(client, world, skus, dict(lines), problems)
    totals["shipments_shipped"] = len(shipped)
    return Result(_cycle_counts(journal, lost, dup, cycles), totals, problems)


def _committed_unanswered(
    journal: list[Entry], by_key: Counter[str], by_ext: Counter[tuple[str, str]]
) -> int:
    """Orders made by requests whose answer never came (allowed: not acknowledged)."""
    channel_of = {"order_ext": "web", "shopify": "shop", "woo": "woo"}
    n = 0
    for e in journal:
        if e.acknowledged:
            continue
        if e.kind == "order_key":
            n += by_key[e.ref] > 0
        elif e.kind in channel_of:
            n += by_ext[(channel_of[e.kind], e.ref)] > 0
    return n


def _outbox(
    events: Sequence[Any],
    notes: Sequence[Any],
    hooks: Sequence[Any],
    world: Outside,
    problems: list[str],
) -> dict[str, int]:
    status = Counter(e.status for e in events)
    for s in ("pending", "dead"):
        if status[s]:
            problems.append(f"{status[s]} outbox events {s} after settling")
    heard: Counter[str] = Counter(
        r.headers.get("Podium-Event-Id", "") for r in world.receiver.requests
    )
    # Each event the subscription matched is a delivery row (made by the relay's fan-out).
    hooked = list(hooks)
    unheard = [h for h in hooked if h.status != "succeeded" or heard[str(h.event_id)] == 0]
    if unheard:
        problems.append(f"{len(unheard)} webhook deliveries never made, e.g. {unheard[0]}")
    if not {str(e.id) for e in events if e.event_type.startswith(HOOKED)} <= {
        str(h.event_id) for h in hooked
    }:
        problems.append("order or shipment events the webhook subscription never got")
    noted = defaultdict(list)
    for n in notes:
        noted[str(n.event_id)].append(n.message_id)
    unmailed = [e for e in events if e.event_type in MAILED and not noted[str(e.id)]]
    if unmailed:
        problems.append(f"{len(unmailed)} e-mail events sent no e-mail, e.g. {unmailed[0]}")
    sent = Counter(
        email.utils.unquote(str(m["Message-ID"])).strip("<>") for m in world.inbox.messages
    )
    # A crash between the SMTP hand-off and the record sends an e-mail again, with the same
    # Message-ID (mail systems show it once): a resend. Another Message-ID is a duplicate.
    recorded = {str(mid).strip("<>") for ids in noted.values() for mid in ids}
    unrecorded = sum(n for mid, n in sent.items() if mid not in recorded)
    missing = sum(1 for mid in recorded if not sent[mid])
    if unrecorded:
        problems.append(f"{unrecorded} e-mails sent twice (another Message-ID)")
    if missing:
        problems.append(f"{missing} e-mails recorded as sent never reached the SMTP server")
    return {
        "outbox_events": len(events),
        "outbox_pending": status["pending"],
        "outbox_dead": status["dead"],
        "webhook_events": len(hooked),
        "webhook_deliveries": sum(heard.values()),
        "webhooks_lost": len(unheard),
        "webhook_redeliveries": sum(max(0, heard[str(h.event_id)] - 1) for h in hooked),
        "emails": len(world.inbox.messages),
        "emails_lost": len(unmailed) + missing,
        "emails_duplicated": unrecorded,
        "email_resends": sum(n - 1 for mid, n in sent.items() if mid in recorded),
    }


def _stock(
    client: httpx.Client,
    world: Outside,
    skus: list[str],
    sold: dict[str, Any],
    problems: list[str],
) -> dict[str, int]:
    mismatched = unbalanced = 0
    for i, sku in enumerate(skus):
        view = client.get(f"/inventory/{sku}").json()
        told = {c["channel"]: c["published"] for c in view["channels"]}
        shows = {
            "shop": world.shopify.level(shop_remote(i), SHOP_LOCATION),
            "woo": world.woo.stock.get(woo_remote(i)),
        }
        for code, level in shows.items():
            if level != told.get(code):
                mismatched += 1
                problems.append(f"{code} shows {level} of {sku}, Podium publishes {told[code]}")
        expected = STOCK - int(sold.get(sku) or 0)  # nothing restocked: returns not received
        if view["available"] != expected:
            unbalanced += 1
            problems.append(f"{sku}: {view['available']} available, the orders leave {expected}")
    doctor = client.get("/doctor").json()
    if not doctor["ok"]:
        problems.append(f"doctor: {doctor['violations'][:5]}")
    return {
        "platform_mismatches": mismatched,
        "stock_unbalanced": unbalanced,
        "doctor_violations": len(doctor["violations"]),
    }
