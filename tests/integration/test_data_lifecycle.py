"""Data lifecycle (issue 19 item 7), both engines: the prune pass deletes only settled rows past
their retention (never a pending, held or dead event, a retrying or failed webhook, a live
session, nor the outbox's newest row), one node prunes at a time under a lease, and
``podium db archive`` moves old months of the timeline and ledger out while the order's
timeline stays whole and ``podium doctor`` stays clean."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from dashboard_support import add_user
from typer.testing import CliRunner

from podium.bootstrap import Podium
from podium.cli import app
from podium.db.tables import (
    order_events,
    order_events_archive,
    outbox,
    stock_movements,
    stock_movements_archive,
    user_sessions,
    users,
    webhook_attempts,
    webhook_deliveries,
    webhook_subscriptions,
)
from podium.inventory import CARRIED_FORWARD, examine
from podium.lifecycle import Pruner, Retention, archive, last_prune, prune
from support import Api, order_body, seed_store

NOW = datetime.now(UTC)
OLD = NOW - timedelta(days=40)
RECENT = NOW - timedelta(days=1)


def _event(status: str, delivered_at: datetime | None, created_at: datetime) -> dict[str, Any]:
    return {
        "aggregate_type": "order",
        "aggregate_id": "ord_1",
        "event_type": "order.placed",
        "payload": {},
        "created_at": created_at,
        "status": status,
        "attempts": 0,
        "next_attempt_at": created_at,
        "delivered_to": [],
        "delivered_at": delivered_at,
    }


def _delivery(n: int, status: str, at: datetime) -> dict[str, Any]:
    return {
        "id": f"whd_{n}",
        "subscription_id": "whs_1",
        "event_id": n,
        "event_type": "order.placed",
        "body": {},
        "status": status,
        "attempts": 1,
        "next_attempt_at": at,
        "created_at": at,
        "delivered_at": at if status == "succeeded" else None,
    }


def _seed_settled_and_unsettled(podium: Podium) -> None:
    add_user(podium, "ops@example.com", "operator")
    with podium.db.write() as conn:
        conn.execute(
            outbox.insert(),
            [
                _event("delivered", OLD, OLD),  # 1: goes
                _event("delivered", OLD, OLD),  # 2: goes
                _event("delivered", OLD, OLD),  # 3: goes
                _event("pending", None, OLD),  # 4: waits: kept
                _event("dead", None, OLD),  # 5: dead letter: kept
                _event("delivered", RECENT, RECENT),  # 6: within retention: kept
                _event("delivered", OLD, OLD),  # 7: the newest row: kept (its id)
            ],
        )
        conn.execute(
            webhook_subscriptions.insert().values(
                id="whs_1",
                url="https://example.com/hook",
                event_types=["order.placed"],
                secret="s3cret",
                status="active",
                consecutive_failures=0,
                created_at=OLD,
                updated_at=OLD,
            )
        )
        conn.execute(
            webhook_deliveries.insert(),
            [
                _delivery(1, "succeeded", OLD),  # goes, with its two attempts
                _delivery(2, "pending", OLD),  # still retrying: kept
                _delivery(3, "failed", OLD),  # given up: kept for the operator
                _delivery(4, "succeeded", RECENT),  # within retention: kept
            ],
        )
        conn.execute(
            webhook_attempts.insert(),
            [
                {
                    "delivery_id": f"whd_{d}",
                    "attempted_at": OLD,
                    "succeeded": d == 1,
                    "duration_ms": 5,
                }
                for d in (1, 1, 2, 3, 4)
            ],
        )
        user_id = conn.execute(sa.select(users.c.id)).scalar_one()
        conn.execute(
            user_sessions.insert(),
            [
                {
                    "id": f"ses_{n}",
                    "user_id": user_id,
                    "token_hash": f"{n:064d}",
                    "created_at": OLD,
                    "last_seen_at": OLD,
                    "expires_at": expires,
                }
                for n, expires in ((1, NOW - timedelta(hours=1)), (2, NOW + timedelta(hours=1)))
            ],
        )


def _ids(podium: Podium, column: sa.ColumnElement[Any]) -> list[Any]:
    with podium.db.read() as conn:
        return sorted(conn.execute(sa.select(column)).scalars())


def test_prune_deletes_only_settled_rows_past_retention(podium: Podium) -> None:
    _seed_settled_and_unsettled(podium)
    retention = Retention(delivered_events_days=7, webhook_attempts_days=30, batch_size=2)

    counted = prune(podium.db, retention, dry_run=True, now=NOW)
    done = prune(podium.db, retention, now=NOW)

    expected = {"outbox": 3, "webhook_attempts": 2, "webhook_deliveries": 1, "user_sessions": 1}
    assert counted.deleted == expected
    assert done.deleted == expected and done.complete
    assert _ids(podium, outbox.c.id) == [4, 5, 6, 7]
    assert _ids(podium, webhook_deliveries.c.id) == ["whd_2", "whd_3", "whd_4"]
    assert _ids(podium, webhook_attempts.c.delivery_id) == ["whd_2", "whd_3", "whd_4"]
    assert _ids(podium, user_sessions.c.id) == ["ses_2"]
    assert prune(podium.db, retention, now=NOW).total == 0


def test_a_pass_stops_after_its_batches_and_the_next_finishes(podium: Podium) -> None:
    _seed_settled_and_unsettled(podium)
    retention = Retention(batch_size=1, max_batches=2)

    first = prune(podium.db, retention, now=NOW)
    second = prune(podium.db, retention, now=NOW)

    assert first.deleted["outbox"] == 2 and not first.complete
    assert second.deleted["outbox"] == 1
    assert _ids(podium, outbox.c.id) == [4, 5, 6, 7]


def test_one_node_prunes_at_a_time_and_the_last_pass_is_recorded(podium: Podium) -> None:
    _seed_settled_and_unsettled(podium)
    retention = Retention()
    one = Pruner(podium.db, retention, interval=60, holder="node-1")
    two = Pruner(podium.db, retention, interval=60, holder="node-2")

    assert last_prune(podium.db) is None
    first = one.run_once(now=NOW)
    assert first is not None and first.deleted["outbox"] == 3
    assert two.run_once(now=NOW) is None  # node-1 holds the lease
    assert two.run_once(now=NOW + timedelta(seconds=121)) is not None  # it ran out

    last = last_prune(podium.db)
    assert last is not None and last.complete
    assert last.deleted == dict.fromkeys(last.deleted, 0)  # node-2 found nothing left


def _backdate(podium: Podium, when: datetime) -> None:
    with podium.db.write() as conn:
        conn.execute(order_events.update().values(at=when))
        conn.execute(stock_movements.update().values(at=when))


def test_archive_moves_old_months_and_doctor_and_timeline_hold(api: Api, podium: Podium) -> None:
    seed_store(api, {("TEE", "EAST"): 50, ("MUG", "EAST"): 20})
    first = api.ok("post", "/orders", order_body([("TEE", 2), ("MUG", 1)], external_id="1"))
    api.ok("post", "/orders", order_body([("TEE", 1)], external_id="2"))
    _backdate(podium, datetime(2026, 1, 15, tzinfo=UTC))
    api.ok("post", f"/orders/{first['id']}/cancel", {})  # this month: stays live
    timeline = api.ok("get", f"/orders/{first['id']}/timeline")["items"]
    with podium.db.read() as conn:
        live_before = conn.execute(
            sa.select(sa.func.count()).select_from(order_events)
        ).scalar_one()

    counted = archive(podium.db, datetime(2026, 2, 1, tzinfo=UTC), dry_run=True)
    result = archive(podium.db, datetime(2026, 2, 1, tzinfo=UTC), batch_size=2)

    assert result.moved == counted.moved
    assert result.moved["stock_movements"] > 0
    assert result.carried_forward == 2  # TEE and MUG at EAST
    assert examine(podium.db).ok
    assert api.ok("get", f"/orders/{first['id']}/timeline")["items"] == timeline
    with podium.db.read() as conn:
        archived = conn.execute(
            sa.select(sa.func.count()).select_from(order_events_archive)
        ).scalar_one()
        live = conn.execute(sa.select(sa.func.count()).select_from(order_events)).scalar_one()
        in_archive = conn.execute(
            sa.select(sa.func.count()).select_from(stock_movements_archive)
        ).scalar_one()
        carried = conn.execute(
            sa.select(stock_movements.c.sku, stock_movements.c.on_hand_delta)
            .where(stock_movements.c.kind == CARRIED_FORWARD)
            .order_by(stock_movements.c.sku)
        ).all()
    assert archived == result.moved["order_events"] and archived + live == live_before
    assert in_archive == result.moved["stock_movements"]
    assert [tuple(r) for r in carried] == [("MUG", 20), ("TEE", 50)]


def test_a_second_archive_folds_the_carried_forward_movement(api: Api, podium: Podium) -> None:
    seed_store(api, {("TEE", "EAST"): 50})
    _backdate(podium, datetime(2026, 1, 15, tzinfo=UTC))
    archive(podium.db, datetime(2026, 2, 1, tzinfo=UTC))
    api.ok("post", "/orders", order_body([("TEE", 3)], external_id="1"))
    api.ok(
        "post",
        "/inventory/adjustments",
        {"sku": "TEE", "warehouse": "EAST", "quantity": 5, "reason": "receipt"},
    )
    with podium.db.write() as conn:  # the order and the receipt happened in March
        conn.execute(
            stock_movements.update()
            .where(stock_movements.c.kind != CARRIED_FORWARD)
            .values(at=datetime(2026, 3, 10, tzinfo=UTC))
        )

    result = archive(podium.db, datetime(2026, 4, 1, tzinfo=UTC))

    assert result.carried_forward == 1
    assert examine(podium.db).ok
    with podium.db.read() as conn:
        live = conn.execute(
            sa.select(stock_movements.c.kind, stock_movements.c.on_hand_delta)
        ).all()
        archived = conn.execute(
            sa.select(sa.func.sum(stock_movements_archive.c.on_hand_delta))
        ).scalar()
    assert [tuple(r) for r in live] == [(CARRIED_FORWARD, 55)]
    assert archived == 55  # real movements only: the first carried-forward one is not kept
    assert api.ok("get", "/inventory/TEE")["on_hand"] == 55


def test_ready_and_metrics_show_the_last_prune(api: Api, podium: Podium) -> None:
    assert api.ok("get", "/ready")["last_prune"] is None
    _seed_settled_and_unsettled(podium)
    Pruner(podium.db, Retention(), interval=60, holder="node-1").run_once(now=NOW)

    last = api.ok("get", "/ready")["last_prune"]
    scraped = api.client.get("/metrics", headers=api.headers("readonly")).text

    assert last["deleted"]["outbox"] == 3 and last["complete"] is True
    assert 'podium_prune_last_deleted_rows{table="outbox"} 3.0' in scraped
    assert "podium_prune_last_run_timestamp_seconds 0.0" not in scraped


def test_an_operator_prunes_and_archives_from_the_command_line(
    podium: Podium, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PODIUM_DATABASE_URL", database_url)
    _seed_settled_and_unsettled(podium)
    runner = CliRunner()

    counted = runner.invoke(app, ["db", "prune", "--dry-run"])
    pruned = runner.invoke(app, ["db", "prune"])
    archived = runner.invoke(app, ["db", "archive", "--before", "2026-01", "--dry-run"])
    refused = runner.invoke(app, ["db", "archive", "--before", "2026-13"])

    assert counted.exit_code == 0 and "would delete" in counted.output, counted.output
    assert pruned.exit_code == 0 and "deleted" in pruned.output, pruned.output
    assert _ids(podium, outbox.c.id) == [4, 5, 6, 7]
    assert archived.exit_code == 0 and "would move" in archived.output, archived.output
    assert refused.exit_code == 2 and "such as 2026-01" in refused.output
