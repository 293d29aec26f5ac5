"""The reports' figures, pure: percentiles, forecast error, days of cover, rates, sums in
exact minor units; the query's defaults and limits; the table as formula-safe CSV."""

from __future__ import annotations

import math
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from podium.errors import ValidationFailed
from podium.reports import Column, Report, report_csv, report_query
from podium.reports.maths import Sales, accuracy, days_of_cover, percentile, rate

floats = st.floats(min_value=0, max_value=1e6, allow_nan=False)


@given(st.lists(floats, min_size=1, max_size=50), st.floats(min_value=0, max_value=1))
def test_a_percentile_lies_between_the_smallest_and_largest_value(
    values: list[float], q: float
) -> None:
    found = percentile(values, q)
    assert found is not None
    assert min(values) - 1e-6 <= found <= max(values) + 1e-6
    assert percentile(values, 0) == min(values) and percentile(values, 1) == max(values)


@given(st.lists(floats, min_size=1, max_size=50))
def test_percentiles_never_decrease_with_the_quantile(values: list[float]) -> None:
    p50, p90 = percentile(values, 0.5), percentile(values, 0.9)
    assert p50 is not None and p90 is not None and p50 <= p90 + 1e-9


def test_percentiles_interpolate_between_ranks_like_numpy() -> None:
    assert percentile([30, 6, 2], 0.5) == 6
    assert percentile([30, 6, 2], 0.9) == pytest.approx(25.2)
    assert percentile([], 0.5) is None


@given(st.lists(st.tuples(floats, st.integers(0, 10_000)), max_size=60))
def test_forecast_error_sums_and_signs(pairs: list[tuple[float, int]]) -> None:
    acc = accuracy(pairs)
    total_f, total_a = sum(f for f, _ in pairs), sum(a for _, a in pairs)
    assert acc.days == len(pairs) and acc.actual == total_a
    assert acc.forecast == pytest.approx(total_f, abs=0.01)
    if total_a == 0:
        assert acc.bias is None
    else:
        assert acc.bias is not None and math.copysign(1, acc.bias) == math.copysign(
            1, round((total_f - total_a) / total_a, 4)
        )
    assert acc.mape is None if all(a == 0 for _, a in pairs) else acc.mape is not None
    assert acc.mape is None or acc.mape >= 0


def test_a_perfect_forecast_has_no_error_and_mape_skips_days_that_sold_nothing() -> None:
    perfect = accuracy([(3.0, 3), (0.0, 0), (5.0, 5)])
    assert (perfect.mape, perfect.bias, perfect.mae) == (0.0, 0.0, 0.0)
    high = accuracy([(6.0, 4), (2.0, 0)])
    assert (high.mape, high.bias, high.mae) == (0.5, 1.0, 2.0)


@given(st.integers(-100, 10_000), st.floats(min_value=0, max_value=1000, allow_nan=False))
def test_days_of_cover_is_available_over_daily_demand(available: int, daily: float) -> None:
    cover = days_of_cover(available, daily)
    if available <= 0:
        assert cover == 0
    elif daily <= 0:
        assert cover is None
    else:
        assert cover == pytest.approx(available / daily, abs=0.051)


@given(st.lists(st.tuples(st.integers(1, 1000), st.integers(0, 10**9)), max_size=30))
def test_sales_revenue_is_exact_in_minor_units(lines: list[tuple[int, int]]) -> None:
    sales = Sales()
    for i, (units, price) in enumerate(lines):
        sales.add(f"ord_{i % 3}", units, price)
    assert sales.revenue == sum(u * p for u, p in lines) and isinstance(sales.revenue, int)
    assert sales.units == sum(u for u, _ in lines)
    assert len(sales.orders) == min(len(lines), 3)


def test_a_rate_has_four_places_and_none_over_nothing() -> None:
    assert (rate(1, 3), rate(0, 5), rate(3, 0)) == (0.3333, 0.0, None)


def test_the_query_defaults_to_the_last_28_days_and_refuses_bad_ranges() -> None:
    today = date(2026, 3, 10)
    q = report_query(today)
    assert (q.first, q.last, len(q.days)) == (date(2026, 2, 11), today, 28)
    assert report_query(today, first=date(2026, 3, 1)).last == today
    assert report_query(today, last=date(2026, 1, 28)).first == date(2026, 1, 1)
    assert report_query(today, channel="", warehouse="").channel is None
    with pytest.raises(ValidationFailed) as backwards:
        report_query(today, first=today, last=today - timedelta(days=1))
    assert (backwards.value.code, backwards.value.details) == ("invalid_range", {"field": "to"})
    with pytest.raises(ValidationFailed) as long:
        report_query(today, first=today - timedelta(days=366))
    assert long.value.code == "range_too_long" and long.value.details["field"] == "from"


def test_the_csv_has_the_column_keys_and_cannot_carry_a_formula() -> None:
    table = Report(
        name="returns-by-reason",
        title="Returns by reason",
        query=report_query(date(2026, 3, 10)),
        columns=(Column("reason", "Reason", numeric=False), Column("units", "Units")),
        rows=[{"reason": "=HYPERLINK(1)", "units": 2}, {"reason": "other", "units": None}],
    )
    assert report_csv(table) == "reason,units\n'=HYPERLINK(1),2\nother,\n"
    assert table.as_json()["from"] == "2026-02-11"
