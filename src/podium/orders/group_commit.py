"""Group commit for a hot SKU: concurrent placements of one SKU share one transaction.

When a launch sends thousands of buyers at one SKU, every placement locks the same stock row
and holds it until its commit: the SKU then sells no faster than one commit at a time. Here,
when more than ``threshold`` placements of the same single-SKU demand are in flight in this
process, the newcomers queue instead; one of them (the leader) takes up to ``max_batch``
queued placements and runs them in ONE write transaction, each inside its own savepoint, so a
placement that fails (the last unit gone, an idempotency conflict) is undone alone and the
others go on. Each caller then gets its own outcome, after the single commit: a 2xx is never
answered for an order that is not committed. Each placement is the whole normal placement
(idempotency check, lines, reservation, ledger rows, outbox events), so nothing downstream
can tell a grouped order from a lone one.

If the shared transaction itself fails (a unique index at the commit, a deadlock, a lost
connection), nothing of it is committed and every member is placed again alone by the normal
path, which also settles idempotency races exactly as before. The queue empties itself: with
fewer than ``threshold`` placements in flight, a SKU takes the normal path again.

Two members of one group never share an idempotency identity (channel + external id, or
key): a repeat waits for the next group and finds the first order there.
"""

from __future__ import annotations

import os
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from sqlalchemy import Connection, Engine

from podium.db.database import Database, savepoint

__all__ = ["GroupCommit", "group_commit"]

T = TypeVar("T")

THRESHOLD = int(os.environ.get("PODIUM_HOT_SKU_THRESHOLD", "2"))
MAX_BATCH = 64


@dataclass(eq=False, slots=True)
class _Job(Generic[T]):
    work: Callable[[Connection], T]
    identities: frozenset[tuple[str, ...]]
    done: threading.Event = field(default_factory=threading.Event)
    lead: bool = False
    finished: bool = False
    alone: bool = False
    result: T | None = None
    error: BaseException | None = None


class GroupCommit:
    """The placement queues of one database in this process, one per hot SKU."""

    def __init__(self, *, threshold: int = THRESHOLD, max_batch: int = MAX_BATCH) -> None:
        self.threshold = threshold
        self.max_batch = max_batch
        self.enabled = os.environ.get("PODIUM_GROUP_COMMIT", "off") == "on"
        self._lock = threading.Lock()
        self._in_flight: dict[str, int] = {}
        self._queues: dict[str, list[_Job[object]]] = {}
        self._leading: set[str] = set()
        self.groups = 0  # shared transactions committed (benchmarks and tests read these)
        self.grouped = 0  # placements that went through them

    def place(
        self,
        db: Database,
        sku: str,
        identities: frozenset[tuple[str, ...]],
        work: Callable[[Connection], T],
        alone: Callable[[], T],
    ) -> T:
        """Run ``work`` in a shared transaction if ``sku`` is hot here, else ``alone()``."""
        with self._lock:
            n = self._in_flight[sku] = self._in_flight.get(sku, 0) + 1
        try:
            if not self.enabled or n <= self.threshold:
                return alone()
            job: _Job[T] = _Job(work, identities)
            self._join(db, sku, job)
            if job.error is not None:
                raise job.error
            if job.alone or job.result is None:  # the group failed, or was cut short
                return alone()
            return job.result
        finally:
            with self._lock:
                left = self._in_flight[sku] - 1
                if left:
                    self._in_flight[sku] = left
                else:
                    del self._in_flight[sku]

    def _join(self, db: Database, sku: str, job: _Job[T]) -> None:
        with self._lock:
            self._queues.setdefault(sku, []).append(job)  # type: ignore[arg-type]
            job.lead = sku not in self._leading
            if job.lead:
                self._leading.add(sku)
        while True:
            if job.lead:
                self._lead(db, sku)
            if job.finished:
                return
            job.done.wait()
            job.done.clear()

    def _lead(self, db: Database, sku: str) -> None:
        with self._lock:
            queue = self._queues[sku]
            taken: list[_Job[object]] = []
            seen: set[tuple[str, ...]] = set()
            for j in queue:
                if len(taken) >= self.max_batch:
                    break
                if seen.isdisjoint(j.identities):
                    taken.append(j)
                    seen |= j.identities
            rest = [j for j in queue if j not in taken]
            self._queues[sku] = rest
        try:
            self._run(db, taken)
        finally:
            with self._lock:
                rest = self._queues[sku]
                if rest:
                    rest[0].lead = True
                    rest[0].done.set()
                else:
                    del self._queues[sku]
                    self._leading.discard(sku)
            for j in taken:
                j.finished = True
                j.lead = False
                j.done.set()

    def _run(self, db: Database, jobs: list[_Job[object]]) -> None:
        try:
            with db.write(batch_inserts=True) as conn:
                for j in jobs:
                    try:
                        with savepoint(conn):
                            j.result = j.work(conn)
                    except Exception as e:  # this placement's own outcome (409, 422...)
                        j.error = e
            self.groups += 1
            self.grouped += len(jobs)
        except Exception:
            # Nothing committed: each member is placed again on its own.
            for j in jobs:
                j.alone, j.result, j.error = True, None, None


_GROUPS: weakref.WeakKeyDictionary[Engine, GroupCommit] = weakref.WeakKeyDictionary()
_GROUPS_LOCK = threading.Lock()


def group_commit(db: Database) -> GroupCommit:
    """The group-commit queues of ``db`` in this process."""
    found = _GROUPS.get(db.engine)
    if found is None:
        with _GROUPS_LOCK:
            found = _GROUPS.get(db.engine)
            if found is None:
                found = _GROUPS[db.engine] = GroupCommit()
    return found
