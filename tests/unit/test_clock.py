"""The clock services stamp with: the wall clock, unless a caller tells a story in the past."""

from __future__ import annotations

from datetime import UTC, datetime

from podium.db.clock import clock_set, utcnow


def test_stamps_follow_the_clock_set_and_return_to_the_wall_clock_after() -> None:
    story = datetime(2026, 3, 1, 2, 15, tzinfo=UTC)
    with clock_set(lambda: story):
        assert utcnow() == story
        with clock_set(lambda: story.replace(hour=5)):
            assert utcnow().hour == 5
        assert utcnow() == story
    assert abs((utcnow() - datetime.now(UTC)).total_seconds()) < 5
