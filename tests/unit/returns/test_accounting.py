"""The accounting export's figures: exact sums per day, channel and currency."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from podium.money import parse_amount
from podium.returns.accounting import COLUMNS, MONEY, aggregate, render


def test_rows_per_day_channel_and_currency_with_totals_per_currency() -> None:
    d1, d2 = date(2026, 11, 24), date(2026, 11, 25)
    text = render(
        aggregate(
            [
                (d1, "web", "USD", 3998, 400, 599, 288, 4485),
                (d1, "web", "USD", 1000, 0, 0, 0, 1000),
                (d2, "pos", "JPY", 1200, 0, 0, 120, 1320),
            ],
            [(d2, "web", "USD", 1959, 160, 0)],
        )
    )
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == list(COLUMNS)
    web1 = rows[0]
    assert (web1["date"], web1["channel"], web1["currency"], web1["orders"]) == (
        "2026-11-24",
        "web",
        "USD",
        "2",
    )
    assert (web1["gross_sales"], web1["total_sales"], web1["net"]) == ("49.98", "54.85", "54.85")
    jpy = next(r for r in rows if r["currency"] == "JPY" and r["date"] != "TOTAL")
    assert jpy["total_sales"] == "1320"
    totals = {r["currency"]: r for r in rows if r["date"] == "TOTAL"}
    assert totals["USD"]["refunds"] == "19.59"
    assert totals["USD"]["net"] == "35.26"
    assert totals["JPY"]["net"] == "1320"


sales = st.lists(
    st.tuples(
        st.dates(date(2026, 1, 1), date(2026, 1, 5)),
        st.sampled_from(["web", "pos"]),
        st.sampled_from(["USD", "JPY", "KWD"]),
        *[st.integers(0, 10**9)] * 5,
    ),
    max_size=30,
)
refunds = st.lists(
    st.tuples(
        st.dates(date(2026, 1, 1), date(2026, 1, 5)),
        st.sampled_from(["web", "pos"]),
        st.sampled_from(["USD", "JPY", "KWD"]),
        *[st.integers(0, 10**8)] * 3,
    ),
    max_size=30,
)


@given(sales, refunds)
def test_rows_add_up_exactly_to_the_totals(s: Any, r: Any) -> None:
    rows = list(csv.DictReader(io.StringIO(render(aggregate(s, r)))))
    for cur in {row["currency"] for row in rows}:
        body = [x for x in rows if x["currency"] == cur and x["date"] != "TOTAL"]
        total = next(x for x in rows if x["currency"] == cur and x["date"] == "TOTAL")
        for column in MONEY:
            assert sum(parse_amount(x[column], cur, allow_negative=True) for x in body) == (
                parse_amount(total[column], cur, allow_negative=True)
            )
        expected_total = sum(t[7] for t in s if t[2] == cur)
        assert parse_amount(total["total_sales"], cur) == expected_total
        assert parse_amount(total["refunds"], cur) == sum(t[3] for t in r if t[2] == cur)
