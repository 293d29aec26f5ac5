"""The retention policy and the archive month, without a database."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from podium.config import Settings
from podium.db.storage import storage_full
from podium.lifecycle import PruneResult, Retention, archive_month, retention_of

NOW = datetime(2026, 12, 4, 18, 0, tzinfo=UTC)


def test_cutoffs_keep_delivered_events_a_week_webhooks_a_month_and_no_expired_session() -> None:
    cut = Retention().cutoffs(NOW)

    assert cut.delivered_events == NOW - timedelta(days=7)
    assert cut.webhook_deliveries == NOW - timedelta(days=30)
    assert cut.sessions == NOW


def test_retention_may_be_a_fraction_of_a_day_but_not_nothing() -> None:
    assert Retention(delivered_events_days=0.5).cutoffs(NOW).delivered_events == NOW - timedelta(
        hours=12
    )
    with pytest.raises(ValueError, match="delivered_events_days"):
        Retention(delivered_events_days=0)
    with pytest.raises(ValueError, match="batch_size"):
        Retention(batch_size=0)


def test_retention_comes_from_the_environment() -> None:
    settings = Settings.from_env(
        {
            "PODIUM_RETAIN_DELIVERED_EVENTS_DAYS": "3",
            "PODIUM_RETAIN_WEBHOOK_ATTEMPTS_DAYS": "14",
            "PODIUM_PRUNE_BATCH_SIZE": "250",
        }
    )
    policy = retention_of(settings)

    assert (policy.delivered_events_days, policy.webhook_attempts_days) == (3, 14)
    assert policy.batch_size == 250 and Settings().prune_interval_seconds == 300
    with pytest.raises(ValueError, match="PODIUM_RETAIN_DELIVERED_EVENTS_DAYS"):
        Settings.from_env({"PODIUM_RETAIN_DELIVERED_EVENTS_DAYS": "0"})


def test_a_prune_result_counts_every_table_it_works_on() -> None:
    result = PruneResult()
    result.deleted["outbox"] += 5
    result.deleted["user_sessions"] += 1

    assert result.total == 6
    assert result.as_json() == {
        "deleted": {
            "outbox": 5,
            "webhook_attempts": 0,
            "webhook_deliveries": 0,
            "user_sessions": 1,
        },
        "dry_run": False,
        "complete": True,
    }


def test_archive_month_is_the_first_moment_of_a_month_that_has_begun() -> None:
    assert archive_month("2026-06", NOW) == datetime(2026, 6, 1, tzinfo=UTC)
    assert archive_month(" 2026-12 ", NOW) == datetime(2026, 12, 1, tzinfo=UTC)
    with pytest.raises(ValueError, match="after the current month"):
        archive_month("2027-01", NOW)
    for bad in ("2026-13", "2026-1", "June", ""):
        with pytest.raises(ValueError, match="such as 2026-01"):
            archive_month(bad, NOW)


def test_a_full_disk_is_told_from_other_database_errors() -> None:
    full = sqlite3.OperationalError("database or disk is full")

    assert storage_full(sa.exc.OperationalError("INSERT", {}, full))
    assert storage_full(OSError(28, "No space left on device"))
    assert not storage_full(
        sa.exc.OperationalError("INSERT", {}, sqlite3.OperationalError("database is locked"))
    )
