"""Demand planning through the API on both engines (issue 16): history import all or nothing,
history from orders net of cancellations, forecast runs kept and read back."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta
from typing import Any

from podium import planning
from podium.bootstrap import Podium
from podium.db.clock import clock_set
from podium.planning import ForecastRunIn
from support import Api, order_body, seed_store


def post_csv(api: Api, data: str, query: str = "") -> Any:
    headers = {**api.headers("operator"), "Content-Type": "text/csv"}
    return api.client.post(f"/api/v1/planning/history{query}", content=data, headers=headers)


def history_csv(days: int, end: date, sku: str = "TEE", warehouse: str = "WEST") -> str:
    rows = ["date,sku,quantity,warehouse,channel"]
    for i in range(days):
        day = end - timedelta(days=days - 1 - i)
        units = 5 + (3 if day.weekday() == 5 else 0) + i % 3
        rows.append(f"{day},{sku},{units},{warehouse},web")
    return "\n".join(rows) + "\n"


def test_a_history_file_with_a_bad_row_writes_nothing_and_names_line_and_field(
    api: Api,
) -> None:
    seed_store(api, {("TEE", "WEST"): 1})
    bad = "date,sku,quantity,warehouse\n2026-01-01,TEE,3,WEST\n2026-01-02,TEE,-1,WEST\n"
    bad += "2026-01-03,NOPE,1,WEST\n2026-01-04,TEE,1,MOON\n"
    r = post_csv(api, bad)
    assert r.status_code == 422, r.text
    error = r.json()["error"]
    assert error["code"] == "import_rejected"
    assert [(x["line"], x["field"], x["code"]) for x in error["details"]["rejects"]] == [
        (3, "quantity", "invalid_quantity")
    ]
    assert api.ok("get", "/planning/history") == []
    unknown = post_csv(
        api, "date,sku,quantity,warehouse\n2026-01-03,NOPE,1,WEST\n2026-01-04,TEE,1,MOON\n"
    )
    assert unknown.status_code == 422
    assert [(x["line"], x["code"]) for x in unknown.json()["error"]["details"]["rejects"]] == [
        (2, "unknown_sku"),
        (3, "unknown_warehouse"),
    ]
    assert api.ok("get", "/planning/history") == []


def test_a_good_history_file_imports_and_importing_it_again_changes_nothing(api: Api) -> None:
    seed_store(api, {("TEE", "WEST"): 1})
    data = "date,sku,quantity,warehouse,channel,stockout\n2026-01-01,TEE,3,WEST,web,\n"
    data += "2026-01-02,TEE,0,WEST,web,1\n2026-01-03,TEE,4,,,\n"
    for _ in range(2):
        r = post_csv(api, data)
        assert r.status_code == 201, r.text
        assert (r.json()["rows"], r.json()["stockout_days"]) == (3, 1)
    by_warehouse = api.ok("get", "/planning/history?sku=TEE")
    assert [(d["date"], d["warehouse"], d["quantity"]) for d in by_warehouse] == [
        ("2026-01-03", None, 4),
        ("2026-01-01", "WEST", 3),
    ]
    by_channel = api.ok("get", "/planning/history?by=channel")
    assert [(d["channel"], d["quantity"]) for d in by_channel] == [(None, 4), ("web", 3)]


def test_history_from_orders_is_net_of_cancellations_per_warehouse_and_channel(
    api: Api,
) -> None:
    seed_store(api, {("TEE", "WEST"): 20, ("MUG", "WEST"): 20})
    day = datetime(2026, 3, 2, 15, tzinfo=UTC)
    with clock_set(lambda: day):
        api.ok("post", "/orders", order_body([("TEE", 3), ("MUG", 1)], external_id="1"))
        gone = api.ok("post", "/orders", order_body([("TEE", 5)], external_id="2"))
        api.ok("post", f"/orders/{gone['id']}/cancel", {})
    r = api.client.post("/api/v1/planning/history/rebuild", headers=api.headers("operator"))
    assert r.status_code == 200, r.text
    assert r.json()["order_lines"] == 2
    rows = api.ok("get", "/planning/history")
    assert sorted((d["date"], d["sku"], d["warehouse"], d["quantity"]) for d in rows) == [
        ("2026-03-02", "MUG", "WEST", 1),
        ("2026-03-02", "TEE", "WEST", 3),
    ]
    channels = api.ok("get", "/planning/history?by=channel&sku=TEE")
    assert [(d["channel"], d["quantity"]) for d in channels] == [("web", 3)]


def test_a_forecast_run_is_stored_and_starts_the_day_after_the_last_day_of_history(
    api: Api,
) -> None:
    seed_store(api, {("TEE", "WEST"): 1, ("TEE", "EAST"): 1, ("MUG", "WEST"): 1})
    end = date(2026, 6, 30)
    data = history_csv(120, end) + history_csv(120, end, warehouse="EAST").split("\n", 1)[1]
    data += "".join(
        f"{end - timedelta(days=i)},MUG,{1 if i % 9 == 0 else 0},WEST,web\n" for i in range(120)
    )
    assert post_csv(api, data).status_code == 201
    run = api.client.post(
        "/api/v1/planning/forecasts/run?rebuild=false&wait=true",
        json={"horizon_days": 14},
        headers=api.headers("operator"),
    )
    assert run.status_code == 201, run.text
    summary = run.json()["run"]
    assert run.json()["status"] == "done" and run.json()["done"] == run.json()["total"] == 3
    assert summary["series"] == 3 and summary["first_day"] == "2026-07-01"
    both = api.ok("get", "/planning/forecasts/TEE")
    one = api.ok("get", "/planning/forecasts/TEE?warehouse=WEST")
    assert both["sku"] == "TEE" and both["method"] in both["methods"].values()
    assert [d["date"] for d in both["daily"]][:2] == ["2026-07-01", "2026-07-02"]
    assert len(both["daily"]) == 14
    for total, west in zip(both["daily"], one["daily"], strict=True):
        assert 0 <= total["lo"] <= total["quantity"] <= total["hi"]
        assert abs(total["quantity"] - 2 * west["quantity"]) < 0.01
    backtest = api.ok("get", "/planning/backtest")
    assert {s["sku"] for s in backtest["skus"]} == {"TEE", "MUG"}
    assert backtest["overall"]["naive_rmsse"] is not None
    assert set(backtest["overall"]) >= {"rmsse", "mase", "naive_rmsse", "naive_mase"}


def test_a_forecast_run_answers_202_at_once_reports_progress_and_splits_by_channel(
    api: Api,
) -> None:
    seed_store(api, {("TEE", "WEST"): 1})
    end = date(2026, 5, 31)
    no_channel = "".join(f"{end - timedelta(days=i)},TEE,5,WEST,\n" for i in range(28))
    assert post_csv(api, history_csv(90, end) + no_channel).status_code == 201
    started = api.client.post(
        "/api/v1/planning/forecasts/run?rebuild=false",
        json={"horizon_days": 7},
        headers=api.headers("operator"),
    )
    assert started.status_code == 202, started.text
    body = started.json()
    assert body["total"] == 1 and body["status"] in {"running", "done"}
    assert started.headers["Location"] == f"/api/v1/planning/forecasts/runs/{body['id']}"
    deadline = time.monotonic() + 20
    while (status := api.ok("get", f"/planning/forecasts/runs/{body['id']}"))[
        "status"
    ] == "running":
        assert time.monotonic() < deadline
        time.sleep(0.02)
    assert status["status"] == "done" and status["done"] == 1 and status["error"] is None
    assert status["run"]["id"] == body["id"] == api.ok("get", "/planning/forecasts/TEE")["run_id"]
    both = api.ok("get", "/planning/forecasts/TEE")
    web = api.ok("get", "/planning/forecasts/TEE?channel=web")
    assert both["channel_share"] is None and web["channel"] == "web"
    assert 0.5 < web["channel_share"] < 1
    for total, part in zip(both["daily"], web["daily"], strict=True):
        assert abs(part["quantity"] - total["quantity"] * web["channel_share"]) < 0.01
    none = api.get("/planning/forecasts/TEE?channel=phone")
    assert none.status_code == 404 and none.json()["error"]["details"]["field"] == "channel"
    missing = api.get("/planning/forecasts/runs/fcr_nope")
    assert (
        missing.status_code == 404 and missing.json()["error"]["code"] == "forecast_run_not_found"
    )


def test_bad_forecast_requests_name_the_field(api: Api) -> None:
    for body, field in (({"horizon_days": 0}, "horizon_days"), ({"horizon": 3}, "horizon")):
        r = api.client.post(
            "/api/v1/planning/forecasts/run", json=body, headers=api.headers("operator")
        )
        assert r.status_code == 422, r.text
        assert field in r.text
    nothing = api.client.post(
        "/api/v1/planning/forecasts/run", json={"horizon_days": 7}, headers=api.headers("operator")
    )
    assert nothing.status_code == 422 and nothing.json()["error"]["code"] == "no_history"
    assert api.get("/planning/forecasts/TEE").status_code == 404
    assert api.get("/planning/backtest").status_code == 404


def test_days_nothing_was_available_are_marked_as_stock_outs_from_the_ledger(api: Api) -> None:
    def on(day: int) -> Any:
        return clock_set(lambda: datetime(2026, 4, day, 12, tzinfo=UTC))

    with on(1):
        seed_store(api, {("TEE", "WEST"): 2}, warehouses=("WEST",))
    with on(2):
        api.ok("post", "/orders", order_body([("TEE", 2)], external_id="1"))  # none left
    with on(4):
        adjustment = {"sku": "TEE", "warehouse": "WEST", "quantity": 5, "reason": "receipt"}
        api.ok("post", "/inventory/adjustments", adjustment)
    with on(5):
        r = api.client.post("/api/v1/planning/history/rebuild", headers=api.headers("operator"))
    assert r.status_code == 200, r.text
    assert r.json()["stockout_days"] == 2
    marked = api.ok("get", "/planning/stockouts?sku=TEE")
    assert [(d["date"], d["warehouse"], d["source"]) for d in marked] == [
        ("2026-04-02", "WEST", "orders"),
        ("2026-04-03", "WEST", "orders"),
    ]
    sold = api.ok("get", "/planning/history?sku=TEE")
    assert [(d["date"], d["warehouse"], d["quantity"]) for d in sold] == [("2026-04-02", "WEST", 2)]


def test_two_forecast_runs_at_once_both_finish_and_one_run_s_forecasts_remain(
    api: Api, podium: Podium
) -> None:
    seed_store(api, {("TEE", "WEST"): 1})
    assert post_csv(api, history_csv(40, date(2026, 5, 31))).status_code == 201
    with ThreadPoolExecutor(2) as pool:
        runs = list(
            pool.map(
                lambda _: planning.run_forecast(
                    podium.db, ForecastRunIn(horizon_days=5), actor="test", rebuild=False
                ),
                range(2),
            )
        )
    view = api.ok("get", "/planning/forecasts/TEE")
    assert view["run_id"] in {r.id for r in runs} and len(view["daily"]) == 5
