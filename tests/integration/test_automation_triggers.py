"""The shipment.late and stock.low triggers (both engines): a late shipment is announced once
and its order's rules fire once; a SKU falling to its threshold fires once per crossing."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from podium import automation, shipments
from podium.bootstrap import Podium
from podium.cli import app as cli
from podium.db.database import utcnow
from podium.db.tables import outbox
from support import Api, order_body, seed_store


def drain(podium: Podium) -> None:
    for _ in range(50):
        if podium.relay.run_once() == 0:
            return


def _save(api: Api, body: dict[str, Any]) -> None:
    r = api.client.put("/api/v1/automation/rules", json=body, headers=api.headers())
    assert r.status_code == 200, r.text


def _outbox(podium: Podium, kind: str) -> list[dict[str, Any]]:
    with podium.db.read() as conn:
        rows = conn.execute(
            sa.select(outbox.c.payload).where(outbox.c.event_type == kind).order_by(outbox.c.id)
        )
        return [dict(p) for p in rows.scalars()]


def _timeline(api: Api, order_id: str, kind: str) -> list[dict[str, Any]]:
    items = api.ok("get", f"/orders/{order_id}/timeline")["items"]
    return [e for e in items if e["type"] == kind]


LATE_RULE = {
    "name": "late and big",
    "trigger": "shipment.late",
    "when": {"field": "shipment.days_late", "op": ">=", "value": 2},
    "then": [{"action": "add_tag", "tag": "late"}, {"action": "set_priority", "priority": 9}],
}


def test_a_late_shipment_fires_its_orders_rules_once(api: Api, podium: Podium) -> None:
    seed_store(api, {("TEE", "EAST"): 10})
    _save(api, {"rules": [LATE_RULE]})
    order = api.ok("post", "/orders", order_body([("TEE", 1)], external_id="late1"))
    on_time = api.ok("post", "/orders", order_body([("TEE", 1)], external_id="late2"))
    drain(podium)
    today = date(2026, 12, 4)
    with podium.db.write() as conn:
        late_id = order["shipments"][0]["id"]
        shipments.update_shipment(conn, late_id, {"promised_by": today - timedelta(days=3)})
        ok_id = on_time["shipments"][0]["id"]
        shipments.update_shipment(conn, ok_id, {"promised_by": today})
    assert automation.check_late(podium.db, today) == 1
    assert automation.check_late(podium.db, today) == 0  # once per shipment
    drain(podium)
    found = api.ok("get", f"/orders/{order['id']}")
    assert ("late" in found["tags"], found["priority"]) == (True, 9)
    (entry,) = _timeline(api, order["id"], "shipment.late")
    assert entry["data"]["shipment_id"] == late_id
    assert entry["data"]["days_late"] == 3
    (fired,) = _timeline(api, order["id"], "automation.fired")
    assert fired["data"]["trigger"] == "shipment.late"
    (event,) = _outbox(podium, "shipment.late")
    assert (event["shipment_id"], event["days_late"]) == (late_id, 3)
    assert _timeline(api, on_time["id"], "shipment.late") == []


def test_a_delivered_shipment_is_never_late(api: Api, podium: Podium) -> None:
    seed_store(api, {("TEE", "EAST"): 10})
    order = api.ok("post", "/orders", order_body([("TEE", 1)], external_id="d1"))
    today = date(2026, 12, 4)
    with podium.db.write() as conn:
        shipments.update_shipment(
            conn,
            order["shipments"][0]["id"],
            {"promised_by": today - timedelta(days=1), "status": "delivered"},
        )
    assert automation.check_late(podium.db, today) == 0


LOW_RULE = {
    "name": "reorder tees",
    "trigger": "stock.low",
    "when": {"field": "sku", "op": "==", "value": "TEE"},
    "then": [{"action": "notify", "event": "stock.reorder"}],
}


def test_stock_low_fires_once_per_crossing_of_the_skus_threshold(api: Api, podium: Podium) -> None:
    seed_store(api, {("TEE", "EAST"): 10})
    _save(api, {"rules": [LOW_RULE], "stock_thresholds": {"default": 1, "skus": {"TEE": 4}}})
    drain(podium)
    for i, quantity in enumerate([3, 3, 2]):  # available 10 → 7 → 4 (crosses) → 2
        api.ok("post", "/orders", order_body([("TEE", quantity)], external_id=f"s{i}"))
        drain(podium)
    (low,) = _outbox(podium, "automation.stock_notify")
    assert {k: low[k] for k in ("sku", "warehouse", "available", "threshold", "event")} == {
        "sku": "TEE",
        "warehouse": "EAST",
        "available": 4,
        "threshold": 4,
        "event": "stock.reorder",
    }
    assert (low["rule"], low["version"]) == ("reorder tees", 1)
    adjust = {"sku": "TEE", "warehouse": "EAST", "quantity": 10, "reason": "restock"}
    api.ok("post", "/inventory/adjustments", adjust)  # 2 → 12: above again
    drain(podium)
    api.ok("post", "/orders", order_body([("TEE", 9)], external_id="s9"))  # 12 → 3: again
    drain(podium)
    assert [e["available"] for e in _outbox(podium, "automation.stock_notify")] == [4, 3]


def test_order_actions_on_a_stock_low_rule_are_a_422_naming_the_rule_and_field(
    api: Api,
) -> None:
    bad = {**LOW_RULE, "then": [{"action": "hold", "reason": "manual"}]}
    r = api.client.put(
        "/api/v1/automation/rules", json={"rules": [LATE_RULE, bad]}, headers=api.headers()
    )
    assert r.status_code == 422
    assert r.json()["error"]["details"] == {
        "field": "rules.1.then.0.action",
        "rule": 1,
        "name": "reorder tees",
    }
    assert api.ok("get", "/automation/rules")["version"] == 0


def test_the_cli_runs_the_late_check_now(
    api: Api, podium: Podium, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed_store(api, {("TEE", "EAST"): 10})
    order = api.ok("post", "/orders", order_body([("TEE", 1)], external_id="c1"))
    with podium.db.write() as conn:
        yesterday = utcnow().date() - timedelta(days=1)
        shipments.update_shipment(conn, order["shipments"][0]["id"], {"promised_by": yesterday})
    monkeypatch.setenv("PODIUM_DATABASE_URL", database_url)
    first = CliRunner().invoke(cli, ["automation", "late-check"])
    assert first.exit_code == 0, first.output
    assert "1 shipment(s) newly late." in first.output
    again = CliRunner().invoke(cli, ["automation", "late-check"])
    assert "0 shipment(s) newly late." in again.output
