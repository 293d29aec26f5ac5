"""Data lifecycle (issue 19 item 7): retention of settled rows and the archive of old months
of the timeline and the stock ledger (docs/operations.md "Data lifecycle")."""

from podium.lifecycle.model import (
    ArchiveResult,
    PruneResult,
    Retention,
    archive_month,
)
from podium.lifecycle.service import (
    LastPrune,
    Pruner,
    archive,
    last_prune,
    prune,
    retention_of,
)

__all__ = [
    "ArchiveResult",
    "LastPrune",
    "PruneResult",
    "Pruner",
    "Retention",
    "archive",
    "archive_month",
    "last_prune",
    "prune",
    "retention_of",
]
