"""Demand planning's pure pieces: the history file, stock-out days from a ledger, series with
lost sales filled in, forecasts summed over warehouses, and the engine's choice per series."""

from __future__ import annotations

import math
import random
from datetime import UTC, date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from podium.planning.engine import COMBINATIONS, METHODS, run_engine
from podium.planning.history_file import parse_history
from podium.planning.model import (
    Series,
    build_series,
    combine_forecasts,
    stockout_days,
)

TODAY = date(2026, 6, 1)


def _rejects(text: str) -> list[tuple[int, str, str]]:
    return [(r.line, r.field, r.code) for r in parse_history(text.encode(), TODAY).rejects]


def test_a_history_file_reads_optional_columns_in_any_order_and_any_delimiter() -> None:
    parsed = parse_history(
        b"\xef\xbb\xbfSKU;Quantity;Date;Channel;Stockout;Notes\nTEE;3;2026-01-01;web;;x\n"
        b"TEE;0;2026-01-02;;;\n",
        TODAY,
    )
    assert parsed.rejects == [] and parsed.ignored_columns == ["Notes"]
    assert [(r.day, r.sku, r.quantity, r.warehouse, r.channel) for r in parsed.rows] == [
        (date(2026, 1, 1), "TEE", 3, "", "web"),
        (date(2026, 1, 2), "TEE", 0, "", ""),
    ]


def test_history_rows_are_rejected_by_line_and_column() -> None:
    assert _rejects("date,sku\n2026-01-01,TEE\n") == [(1, "quantity", "missing_column")]
    text = (
        "date,sku,quantity,warehouse,stockout\n"
        "2026-13-01,TEE,1,,\n"
        "2026-01-01,TEE,1.5,,\n"
        "2026-01-01,,1,,\n"
        "2026-07-01,TEE,1,,\n"
        "2026-01-02,TEE,1,,1\n"
        "2026-01-03,TEE,1,EAST,maybe\n"
        "2026-01-04,TEE,1,EAST,\n"
        "2026-01-04,TEE,2,EAST,\n"
    )
    assert _rejects(text) == [
        (2, "date", "invalid_date"),
        (3, "quantity", "invalid_quantity"),
        (4, "sku", "missing_value"),
        (5, "date", "future_date"),
        (6, "warehouse", "missing_value"),
        (7, "stockout", "invalid_stockout"),
        (9, "date", "duplicate_row"),
    ]


def _at(day: int, hour: int = 12) -> datetime:
    return datetime(2026, 1, day, hour, tzinfo=UTC)


def test_stock_out_days_are_the_days_nothing_was_available_at_the_close() -> None:
    moves = [
        (_at(1), "TEE", "EAST", 2, 0),  # received 2
        (_at(2), "TEE", "EAST", 0, 2),  # both reserved: nothing available from the 2nd
        (_at(4), "TEE", "EAST", 5, 0),  # restocked on the 4th
        (_at(5, 9), "MUG", "EAST", 1, 0),
        (_at(5, 10), "MUG", "EAST", -1, 0),
    ]
    assert sorted(stockout_days(moves, date(2026, 1, 6))) == [
        ("MUG", "EAST", date(2026, 1, 5)),
        ("MUG", "EAST", date(2026, 1, 6)),
        ("TEE", "EAST", date(2026, 1, 2)),
        ("TEE", "EAST", date(2026, 1, 3)),
    ]


def test_series_start_at_the_first_sale_and_lost_days_are_raised_to_the_typical_day() -> None:
    start = date(2026, 1, 1)
    weekly = {5: 9}  # one weekday sells 9, the others 4
    demand = [
        ("TEE", "EAST", start + timedelta(days=i), weekly.get(i % 7, 4))
        for i in range(3, 40)
        if i not in (33, 34)
    ]
    demand.append(("TEE", "EAST", start, 0))
    lost = [("TEE", "EAST", start + timedelta(days=d)) for d in (33, 34)]
    (s,) = build_series(demand, lost, date(2026, 2, 11))
    assert s.start == date(2026, 1, 4) and len(s.values) == 39
    # The stock-out days are not zeros: each takes its own weekday's level.
    assert (s.values[30], s.values[31]) == (9.0, 4.0) and s.stockouts == 2
    assert s.values[-1] == 0.0  # an ordinary day without sales stays zero


@given(st.lists(st.tuples(st.floats(0, 100), st.floats(0, 10), st.floats(0, 10)), max_size=5))
def test_summed_forecasts_add_means_and_keep_the_interval_around_them(
    parts: list[tuple[float, float, float]],
) -> None:
    day = date(2026, 1, 1)
    rows = [[(day, q, max(0.0, q - a), q + b)] for q, a, b in parts]
    combined = combine_forecasts(rows)
    if not parts:
        assert combined == []
        return
    ((d, q, lo, hi),) = combined
    assert d == day and math.isclose(q, sum(p[0] for p in parts), abs_tol=1e-9)
    assert 0 <= lo <= q + 1e-9 and hi >= q - 1e-9
    assert hi - q <= sum(p[2] for p in parts) + 1e-9  # quadrature is never wider than a sum


def test_the_engine_picks_per_series_and_forecasts_from_the_day_after_the_history() -> None:
    rng = random.Random(7)
    last = date(2026, 3, 31)
    weekly = [float(10 + 8 * (i % 7 == 5) + rng.randint(-1, 1)) for i in range(140)]
    sparse = [float(rng.random() < 0.08) * rng.randint(1, 3) for _ in range(140)]
    short = [3.0, 0.0, 2.0, 4.0, 1.0]
    series = [
        Series(sku, "EAST", last - timedelta(days=len(values) - 1), values)
        for sku, values in (("WEEKLY", weekly), ("SPARSE", sparse), ("NEW", short))
    ]
    seen: list[tuple[int, int]] = []
    result = run_engine(series, 10, progress=lambda done, total: seen.append((done, total)))
    by_sku = {r.sku: r for r in result.results}
    assert seen[-1] == (3, 3)
    assert by_sku["NEW"].method == "historic_average" and by_sku["NEW"].rmsse is None
    assert {by_sku["WEEKLY"].method, by_sku["SPARSE"].method} <= {*METHODS, *COMBINATIONS}
    assert by_sku["WEEKLY"].rmsse is not None and by_sku["WEEKLY"].naive_rmsse is not None
    assert by_sku["WEEKLY"].rmsse <= by_sku["WEEKLY"].naive_rmsse + 1e-9
    for r in result.results:
        assert [d[0] for d in r.daily] == [last + timedelta(days=i) for i in range(1, 11)]
        assert all(0 <= lo <= q <= hi for _, q, lo, hi in r.daily)
    saturday = next(d for d in by_sku["WEEKLY"].daily if d[0].weekday() == (last.weekday() + 6) % 7)
    assert saturday[1] > 13  # the weekly peak carries into the forecast


def test_a_file_that_is_not_text_or_not_a_table_is_rejected_not_an_error() -> None:
    nul = _rejects("date,sku,quantity\n2026-01-01,TEE,1\x00\n")
    assert nul == [(1, "file", "invalid_encoding")]
    assert parse_history(b"\xff\xfe\x00", TODAY).rejects[0].code == "invalid_encoding"
    assert _rejects("") == [(1, "file", "empty_file")]
    unclosed = _rejects('date,sku,quantity\n"2026-01-01,TEE,1')
    assert unclosed[0] == (2, "date", "invalid_date")
