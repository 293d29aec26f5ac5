"""The order queue's query: parsing what a user typed and the SQL it builds (pure)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.dialects import postgresql, sqlite

from podium.errors import ValidationFailed
from podium.orders.queue import QueueQuery, queue_select
from podium.paging import encode_cursor


def _sql(query: QueueQuery, dialect: str) -> str:
    d = postgresql.dialect() if dialect == "postgresql" else sqlite.dialect()  # type: ignore[no-untyped-call]
    return str(queue_select(query, dialect).compile(dialect=d))


def test_blank_fields_mean_any() -> None:
    query = QueueQuery.parse({"status": "", "q": "  ", "sort": ""})
    assert query == QueueQuery()


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"status": "lost"}, "status"),
        ({"hold_reason": "bored"}, "hold_reason"),
        ({"sort": "random"}, "sort"),
        ({"limit": "0"}, "limit"),
        ({"limit": "many"}, "limit"),
        ({"from": "25/11/2026"}, "from"),
        ({"from": "2026-11-25", "to": "2026-11-01"}, "to"),
        ({"cursor": "not-ours"}, "cursor"),
        ({"q": "x" * 400}, "q"),
    ],
)
def test_bad_filters_name_the_field(params: dict[str, str], field: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        QueueQuery.parse(params)
    assert refused.value.details["field"] == field


def test_params_round_trip_through_the_query_string() -> None:
    query = QueueQuery.parse(
        {"status": "on_hold", "tag": "vip", "from": "2026-11-01", "sort": "oldest", "q": "ann"}
    )
    assert QueueQuery.parse(query.params()) == query
    assert "cursor" not in query.params(cursor=None)


@given(
    st.datetimes(timezones=st.just(UTC)),
    st.text(st.characters(exclude_categories=["Cc", "Cs"]), min_size=1, max_size=40),
)
def test_cursors_round_trip(at: datetime, order_id: str) -> None:
    query = QueueQuery.parse({"cursor": encode_cursor((at, order_id))})
    position = query.position()
    assert position is not None and position.key == (at, order_id)


def test_a_cursor_must_fit_the_sort() -> None:
    by_total = encode_cursor((1999, "ord_B"))
    assert QueueQuery.parse({"sort": "total_desc", "cursor": by_total}).cursor == by_total
    with pytest.raises(ValidationFailed) as refused:
        QueueQuery.parse({"cursor": by_total})  # newest first pages on placed_at
    assert refused.value.code == "invalid_cursor"


def test_newest_first_pages_by_placed_at_then_id() -> None:
    cursor = encode_cursor((datetime(2026, 11, 25, 10, tzinfo=UTC), "ord_B"))
    sql = _sql(QueueQuery(cursor=cursor), "postgresql")
    assert "(orders.placed_at, orders.id) < (" in sql
    assert "ORDER BY orders.placed_at DESC, orders.id DESC" in sql


def test_filters_become_conditions_on_each_engine() -> None:
    query = QueueQuery(
        status="on_hold",
        channel="web",
        warehouse="EAST",
        tag="vip",
        hold_reason="fraud_review",
        placed_from=date(2026, 11, 1),
        q="ann@example.com",
    )
    pg = _sql(query, "postgresql")
    lite = _sql(query, "sqlite")
    assert "tags @> jsonb_build_array" in pg
    assert "json_each(orders.tags)" in lite
    for sql in (pg, lite):
        assert "orders.status =" in sql and "orders.channel =" in sql
        assert "shipments.warehouse =" in sql and "order_holds.reason =" in sql
        assert "orders.customer_email =" in sql  # an e-mail is matched exactly (indexed)
        assert "lower(orders.customer_name)" not in sql


def test_a_name_search_escapes_like_wildcards() -> None:
    stmt = queue_select(QueueQuery(q="50%_off"), "sqlite")
    params = stmt.compile(dialect=sqlite.dialect()).params
    assert "%50\\%\\_off%" in params.values()


def test_the_page_asks_for_one_row_more_than_it_shows() -> None:
    stmt = queue_select(QueueQuery(limit=25), "sqlite")
    assert isinstance(stmt, sa.Select)
    assert stmt.compile(dialect=sqlite.dialect()).params["param_1"] == 26
