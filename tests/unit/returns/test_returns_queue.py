"""The returns list's query: what a user may type, and the SQL it becomes (pure)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy.dialects import postgresql

from podium.errors import ValidationFailed
from podium.paging import encode_cursor
from podium.returns.queue import ReturnsQuery, returns_select

PG = postgresql.dialect()  # type: ignore[no-untyped-call]


def _sql(query: ReturnsQuery) -> str:
    return str(returns_select(query).compile(dialect=PG))


def test_blank_means_any_and_params_round_trip() -> None:
    query = ReturnsQuery.parse({"status": "", "q": "  ", "from": "2026-11-01", "to": "2026-11-30"})
    assert (query.status, query.q) == (None, None)
    assert (query.created_from, query.created_to) == (date(2026, 11, 1), date(2026, 11, 30))
    assert ReturnsQuery.parse(query.params()) == query
    assert query.params(cursor="abc")["cursor"] == "abc"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"status": "lost"}, "status"),
        ({"from": "monday"}, "from"),
        ({"from": "2026-11-02", "to": "2026-11-01"}, "to"),
        ({"cursor": "!!"}, "cursor"),
        ({"cursor": encode_cursor(("yesterday", "rma_1"))}, "cursor"),
        ({"limit": "500"}, "limit"),
        ({"q": "x" * 400}, "q"),
    ],
)
def test_bad_filters_name_their_field(params: dict[str, str], field: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        ReturnsQuery.parse(params)
    assert caught.value.details["field"] == field


def test_newest_first_on_the_indexed_key_with_one_exact_search() -> None:
    plain = _sql(ReturnsQuery())
    assert "ORDER BY returns.created_at DESC, returns.id DESC" in plain
    assert "LIMIT" in plain and "WHERE" not in plain
    cursor = encode_cursor((datetime(2026, 11, 25, tzinfo=UTC), "rma_01"))
    paged = _sql(ReturnsQuery(cursor=cursor))
    assert "(returns.created_at, returns.id) < (" in paged
    assert "returns.id = " in _sql(ReturnsQuery(q="RMA_01abc"))
    assert "orders.number = " in _sql(ReturnsQuery(q="PD-100001"))
    assert "orders.customer_email = " in _sql(ReturnsQuery(q="Ann@Example.com"))
    by_number = returns_select(ReturnsQuery(q="#100001")).compile(dialect=PG)
    assert "PD-100001" in by_number.params.values()
    assert "lower(" not in _sql(ReturnsQuery(q="ann"))  # never a substring scan
