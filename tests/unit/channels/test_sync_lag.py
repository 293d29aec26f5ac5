"""Which channel home calls the furthest behind (pure)."""

from __future__ import annotations

from datetime import UTC, datetime

from podium.channels.health import SyncLag, worst_lag

AT = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def _lag(seconds: float, pending: int = 1) -> SyncLag:
    return SyncLag(pending=pending, oldest_at=AT, lag_seconds=seconds)


def test_the_worst_channel_is_the_one_whose_oldest_change_waited_longest() -> None:
    found = worst_lag({"web": _lag(5), "amazon": _lag(90, 3), "shop": _lag(12)})
    assert found is not None and found[0] == "amazon" and found[1].pending == 3


def test_ties_go_to_the_first_code_and_no_lag_is_none() -> None:
    found = worst_lag({"b": _lag(7), "a": _lag(7)})
    assert found is not None and found[0] == "a"
    assert worst_lag({}) is None
