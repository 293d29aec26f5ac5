"""Planning reports through the API on both engines (issue 16 item 5): sales net of
cancellations, fulfilment performance, returns against units sold, forecast vs actual and days
of cover, as JSON and CSV; bad parameters name the field."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from podium.db.clock import clock_set
from support import Api, order_body, seed_store

DAY1 = datetime(2026, 3, 2, 10, tzinfo=UTC)
DAY2 = datetime(2026, 3, 3, 10, tzinfo=UTC)
LATER = datetime(2026, 3, 10, 12, tzinfo=UTC)
RANGE = "from=2026-03-01&to=2026-03-03"


def at(moment: datetime) -> Any:
    return clock_set(lambda: moment)


def report(api: Api, name: str, query: str = RANGE) -> dict[str, Any]:
    with at(LATER):
        return dict(api.ok("get", f"/reports/{name}?{query}"))


def by(rows: list[dict[str, Any]], key: str) -> dict[str, dict[str, Any]]:
    return {r[key]: r for r in rows}


@pytest.fixture
def store(api: Api) -> Iterator[dict[str, Any]]:
    """Four orders over two days: A (web, EAST), B (pos, WEST), C cancelled, D split over EAST
    (MUG, left open) and WEST (SOCK); A, B and D's WEST part shipped; A has a label; returns of
    three TEE from A (size_fit) and B (damaged)."""
    seed_store(
        api,
        {("TEE", "EAST"): 20, ("TEE", "WEST"): 20, ("MUG", "EAST"): 10, ("SOCK", "WEST"): 5},
    )
    api.ok("post", "/channels", {"code": "pos", "name": "Shop counter", "type": "manual"})
    promise = {"promised_date": "2026-03-04"}
    with at(DAY1):
        a = api.ok(
            "post", "/orders", order_body([("TEE", 2), ("MUG", 1)], external_id="A", **promise)
        )
    with at(DAY2):
        b = api.ok(
            "post", "/orders", order_body([("TEE", 3)], external_id="B", channel="pos", **promise)
        )
        c = api.ok("post", "/orders", order_body([("TEE", 1)], external_id="C", **promise))
        api.ok("post", f"/orders/{c['id']}/cancel", {})
        d = api.ok(
            "post", "/orders", order_body([("MUG", 1), ("SOCK", 1)], external_id="D", **promise)
        )
    assert [s["warehouse"] for s in a["shipments"]] == ["EAST"]
    assert [s["warehouse"] for s in b["shipments"]] == ["WEST"]
    assert sorted(s["warehouse"] for s in d["shipments"]) == ["EAST", "WEST"]
    label = api.ok("post", f"/shipments/{a['shipments'][0]['id']}/label", {})
    for order, hours in ((a, 30), (b, 6)):
        with at((DAY1 if order is a else DAY2) + timedelta(hours=hours)):
            api.ok("post", f"/shipments/{order['shipments'][0]['id']}/ship", {})
    west = next(s for s in d["shipments"] if s["warehouse"] == "WEST")
    with at(DAY2 + timedelta(hours=2)):
        api.ok("post", f"/shipments/{west['id']}/ship", {})
    with at(DAY2 + timedelta(hours=10)):
        for order, units, reason in ((a, 2, "size_fit"), (b, 1, "damaged")):
            body = {"lines": [{"sku": "TEE", "quantity": units, "reason": reason}]}
            api.ok("post", f"/orders/{order['id']}/returns", body)
    yield {"label": label}


def test_sales_count_orders_units_and_revenue_net_of_cancellations_as_json_and_csv(
    api: Api, store: dict[str, Any]
) -> None:
    skus = report(api, "sales-by-sku")
    assert skus["from"] == "2026-03-01" and skus["to"] == "2026-03-03"
    assert [
        (r["sku"], r["orders"], r["units"], r["revenue"], r["currency"]) for r in skus["rows"]
    ] == [
        ("TEE", 2, 5, "99.95", "USD"),
        ("MUG", 2, 2, "39.98", "USD"),
        ("SOCK", 1, 1, "19.99", "USD"),
    ]
    channels = by(report(api, "sales-by-channel")["rows"], "channel")
    assert {k: (r["orders"], r["units"], r["revenue"]) for k, r in channels.items()} == {
        "web": (2, 5, "99.95"),
        "pos": (1, 3, "59.97"),
    }
    days = report(api, "sales-by-day")["rows"]
    assert [(r["day"], r["orders"], r["units"]) for r in days] == [
        ("2026-03-02", 1, 3),
        ("2026-03-03", 2, 5),
    ]
    west = report(api, "sales-by-sku", RANGE + "&warehouse=WEST")["rows"]
    assert [(r["sku"], r["units"]) for r in west] == [("TEE", 3), ("SOCK", 1)]
    pos = report(api, "sales-by-sku", RANGE + "&channel=pos")["rows"]
    assert [(r["sku"], r["units"]) for r in pos] == [("TEE", 3)]
    assert report(api, "sales-by-sku", "from=2026-03-04&to=2026-03-09")["rows"] == []
    # The same as CSV, by format or by the Accept header.
    with at(LATER):
        by_format = api.get(f"/reports/sales-by-channel?{RANGE}&format=csv", role="readonly")
        by_header = api.client.get(
            f"/api/v1/reports/sales-by-channel?{RANGE}",
            headers=api.headers("readonly", Accept="text/csv"),
        )
    assert by_format.status_code == 200, by_format.text
    assert by_format.headers["content-type"].startswith("text/csv")
    assert "sales-by-channel-2026-03-01-2026-03-03.csv" in by_format.headers["content-disposition"]
    assert by_header.text == by_format.text
    rows = list(csv.reader(io.StringIO(by_format.text)))
    assert rows[0] == ["channel", "orders", "units", "revenue", "currency"]
    assert sorted(rows[1:]) == [
        ["pos", "1", "3", "59.97", "USD"],
        ["web", "2", "5", "99.95", "USD"],
    ]


def test_fulfilment_reports_ship_times_on_time_and_split_rates_and_label_cost(
    api: Api, store: dict[str, Any]
) -> None:
    rows = by(report(api, "fulfilment")["rows"], "warehouse")
    rate = store["label"]["rate"]["amount"]
    everything = rows["(all)"]
    assert (everything["orders"], everything["shipments"], everything["shipped"]) == (3, 4, 3)
    # 30, 6 and 2 hours from placing to shipping.
    assert (everything["hours_to_ship_p50"], everything["hours_to_ship_p90"]) == (6.0, 25.2)
    # Three shipped by the promised day; D's EAST part is still open after it.
    assert (everything["on_time_rate"], everything["late"]) == (0.75, 1)
    assert everything["split_rate"] == 0.3333
    assert (everything["shipping_cost"], everything["cost_per_order"]) == (rate, rate)
    east = rows["EAST"]
    assert (east["orders"], east["shipped"], east["on_time_rate"], east["split_rate"]) == (
        2,
        1,
        0.5,
        0.5,
    )
    assert rows["WEST"]["shipping_cost"] is None
    only_west = report(api, "fulfilment", RANGE + "&warehouse=WEST")["rows"]
    assert [(r["warehouse"], r["orders"], r["on_time_rate"]) for r in only_west] == [
        ("WEST", 2, 1.0)
    ]


def test_returns_are_rated_against_units_sold_and_split_by_reason(
    api: Api, store: dict[str, Any]
) -> None:
    skus = by(report(api, "returns-by-sku")["rows"], "sku")
    assert skus["TEE"] == {
        "sku": "TEE",
        "units_sold": 5,
        "units_returned": 3,
        "return_rate": 0.6,
        "top_reason": "size_fit",
    }
    assert (skus["MUG"]["units_returned"], skus["MUG"]["return_rate"]) == (0, 0.0)
    reasons = report(api, "returns-by-reason")["rows"]
    assert [(r["reason"], r["units_returned"], r["share"]) for r in reasons] == [
        ("size_fit", 2, 0.6667),
        ("damaged", 1, 0.3333),
    ]
    east = by(report(api, "returns-by-sku", RANGE + "&warehouse=EAST")["rows"], "sku")
    assert (east["TEE"]["units_sold"], east["TEE"]["units_returned"]) == (2, 2)
    pos = report(api, "returns-by-reason", RANGE + "&channel=pos")["rows"]
    assert [(r["reason"], r["units_returned"]) for r in pos] == [("damaged", 1)]


def test_forecast_vs_actual_and_days_of_cover_read_the_latest_forecast_run(api: Api) -> None:
    seed_store(api, {("TEE", "WEST"): 20})
    first = DAY1.date() - timedelta(days=30)  # too short for a backtest: its mean, fast
    history = "date,sku,quantity,warehouse,channel\n" + "".join(
        f"{first + timedelta(days=i)},TEE,{2 + i % 2},WEST,web\n" for i in range(30)
    )
    r = api.client.post(
        "/api/v1/planning/history",
        content=history,
        headers={**api.headers("operator"), "Content-Type": "text/csv"},
    )
    assert r.status_code == 201, r.text
    empty = report(api, "stock-cover")
    assert empty["rows"] == [] and "No forecast has been run yet" in empty["note"]
    run = api.client.post(
        "/api/v1/planning/forecasts/run?rebuild=false&wait=true",
        json={"horizon_days": 7},
        headers=api.headers("operator"),
    )
    assert run.status_code == 201, run.text
    assert run.json()["run"]["first_day"] == "2026-03-02"
    with at(DAY2):
        api.ok("post", "/orders", order_body([("TEE", 4)], external_id="F"))
    daily = {d["date"]: d["quantity"] for d in api.ok("get", "/planning/forecasts/TEE")["daily"]}
    rows = report(api, "forecast-accuracy", "from=2026-03-01&to=2026-03-09")["rows"]
    expected = sum(daily.values())
    assert len(rows) == 1 and rows[0]["sku"] == "TEE" and rows[0]["days"] == 7
    assert rows[0]["actual_units"] == 4
    assert rows[0]["forecast_units"] == pytest.approx(expected, abs=0.01)
    assert rows[0]["bias"] == pytest.approx((expected - 4) / 4, abs=1e-3)
    assert rows[0]["mape"] == pytest.approx(abs(daily["2026-03-03"] - 4) / 4, abs=1e-3)
    cover = report(api, "stock-cover")["rows"]
    assert [(c["sku"], c["warehouse"], c["available"], c["lead_time_days"]) for c in cover] == [
        ("TEE", "WEST", 16, 14)
    ]
    assert cover[0]["days_of_cover"] == pytest.approx(16 / cover[0]["daily_demand"], abs=0.1)
    assert cover[0]["at_risk"] is (cover[0]["days_of_cover"] < 14)


def test_bad_report_parameters_are_refused_naming_the_field(api: Api) -> None:
    seed_store(api, {("TEE", "WEST"): 1})
    cases = [
        ("/reports/sales-by-sku?from=2026-03-05&to=2026-03-01", 422, "invalid_range", "to"),
        ("/reports/sales-by-sku?from=2025-01-01&to=2026-03-01", 422, "range_too_long", "from"),
        ("/reports/sales-by-sku?channel=moon", 422, "unknown_channel", "channel"),
        ("/reports/fulfilment?warehouse=MOON", 422, "unknown_warehouse", "warehouse"),
        ("/reports/sales-by-sku?chanel=web", 422, "unknown_parameter", "chanel"),
        ("/reports/sales-by-sku?format=xml", 422, None, "format"),
        ("/reports/sales-by-sku?from=yesterday", 422, None, "from"),
        ("/reports/best-sellers", 404, "report_not_found", "name"),
    ]
    for path, status, code, field in cases:
        r = api.get(path, role="readonly")
        assert r.status_code == status, (path, r.text)
        error = r.json()["error"]
        if code is not None:
            assert error["code"] == code, (path, error)
        assert field in str(error.get("details")), (path, error)
    listed = api.ok("get", "/reports")["items"]
    assert [i["name"] for i in listed][:3] == ["sales-by-day", "sales-by-channel", "sales-by-sku"]
    with at(LATER):
        default = api.ok("get", "/reports/sales-by-day")
    assert (default["from"], default["to"]) == ("2026-02-11", "2026-03-10")
