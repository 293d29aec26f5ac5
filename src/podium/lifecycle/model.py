"""What may be deleted or archived, and when (pure: no database).

Retention deletes only rows nobody needs any more: outbox events delivered more than
``delivered_events_days`` ago, webhook deliveries that succeeded more than
``webhook_attempts_days`` ago (with their attempts), and dashboard sessions that have expired.
A pending, held or dead-lettered event, a webhook delivery still retrying or given up, and
every timeline entry and ledger movement are kept: the timeline and the ledger are the record,
and old months of them are archived (moved, never deleted) by ``podium db archive``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

__all__ = [
    "ARCHIVED_KINDS",
    "PRUNED_TABLES",
    "ArchiveResult",
    "Cutoffs",
    "PruneResult",
    "Retention",
    "archive_month",
]

# The tables a prune pass deletes from, in the order it works.
PRUNED_TABLES = ("outbox", "webhook_attempts", "webhook_deliveries", "user_sessions")

ARCHIVED_KINDS = ("order_events", "stock_movements")


@dataclass(frozen=True, slots=True)
class Cutoffs:
    """Rows settled before these moments may go."""

    delivered_events: datetime
    webhook_deliveries: datetime
    sessions: datetime


@dataclass(frozen=True, slots=True)
class Retention:
    """How long settled rows are kept, and how many go per transaction (short locks)."""

    delivered_events_days: float = 7
    webhook_attempts_days: float = 30
    batch_size: int = 1000
    # Batches per pass: a pass ends in bounded time; what is left waits for the next pass.
    max_batches: int = 200

    def __post_init__(self) -> None:
        for name in ("delivered_events_days", "webhook_attempts_days"):
            if not getattr(self, name) > 0:
                raise ValueError(f"{name} must be positive")
        if self.batch_size < 1 or self.max_batches < 1:
            raise ValueError("batch_size and max_batches must be at least 1")

    def cutoffs(self, now: datetime) -> Cutoffs:
        return Cutoffs(
            delivered_events=now - timedelta(days=self.delivered_events_days),
            webhook_deliveries=now - timedelta(days=self.webhook_attempts_days),
            sessions=now,
        )


@dataclass(slots=True)
class PruneResult:
    """Rows deleted (or, in a dry run, that would be) per table; ``complete`` is False when
    the pass stopped at ``max_batches`` with more left."""

    deleted: dict[str, int] = field(default_factory=lambda: dict.fromkeys(PRUNED_TABLES, 0))
    dry_run: bool = False
    complete: bool = True

    @property
    def total(self) -> int:
        return sum(self.deleted.values())

    def as_json(self) -> dict[str, object]:
        return {"deleted": dict(self.deleted), "dry_run": self.dry_run, "complete": self.complete}


@dataclass(slots=True)
class ArchiveResult:
    before: datetime
    moved: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ARCHIVED_KINDS, 0))
    carried_forward: int = 0  # carried-forward ledger movements written
    dry_run: bool = False


_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def archive_month(text: str, now: datetime) -> datetime:
    """The first moment (UTC) of the month ``YYYY-MM``: rows before it are archived. Only a
    month that has begun may be named (an archive never reaches into the future), and the
    current month stays live."""
    match = _MONTH.match(text.strip())
    if match is None or not 1 <= int(match.group(2)) <= 12:
        raise ValueError(f"--before must be a month such as 2026-01, got {text!r}")
    start = datetime(int(match.group(1)), int(match.group(2)), 1, tzinfo=UTC)
    this_month = datetime(now.year, now.month, 1, tzinfo=UTC)
    if start > this_month:
        raise ValueError(
            f"--before {text} is after the current month: only months that have ended "
            "can be archived"
        )
    return start
