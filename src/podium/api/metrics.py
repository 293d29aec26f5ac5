"""``GET /metrics`` (Prometheus text format, any valid API key) and the scrape-time collector
of the figures that live in the database (issue 19; docs/operations.md "Metrics")."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import Response
from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    disable_created_metrics,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import Engine, event

from podium import events, lifecycle, metrics, orders
from podium.access import Permission
from podium.api.deps import Caller, require
from podium.bootstrap import Podium

__all__ = ["DatabaseCollector", "install_metrics", "instrument_pool", "scrape"]

log = logging.getLogger("podium.metrics")

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


class DatabaseCollector(Collector):
    """Outbox depth and age per subscriber, dead letters and open holds by reason, read with
    three cheap statements when Prometheus scrapes (never on a request's path). A subscriber's
    depth counts the pending events of the types it hears; one whose siblings failed may have
    had some of them already."""

    def __init__(self, podium: Podium) -> None:
        self.podium = podium

    def collect(self) -> Iterator[Metric]:
        up = GaugeMetricFamily(
            "podium_database_up", "1 when the scrape could read the database, else 0."
        )
        try:
            backlog = events.outbox_backlog(self.podium.db)
            holds = orders.open_hold_counts(self.podium.db)
            pruned = lifecycle.last_prune(self.podium.db)
        except Exception as exc:  # a scrape must answer even when the database does not
            log.warning("metrics could not read the database: %s", exc)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        now = datetime.now(UTC)
        depth = GaugeMetricFamily(
            "podium_outbox_pending_events",
            "Events waiting in the outbox for a subscriber.",
            labels=["subscriber"],
        )
        age = GaugeMetricFamily(
            "podium_outbox_oldest_pending_seconds",
            "Age of the oldest event waiting for a subscriber (0 when none waits).",
            labels=["subscriber"],
        )
        for sub in self.podium.registry.subscriptions:
            mine = [v for t, v in backlog.pending.items() if sub.wants(t)]
            depth.add_metric([sub.name], sum(n for n, _ in mine))
            oldest = min((at for _, at in mine), default=None)
            age.add_metric([sub.name], (now - oldest).total_seconds() if oldest else 0.0)
        yield depth
        yield age
        dead = GaugeMetricFamily(
            "podium_outbox_dead_letters", "Dead-lettered events waiting for a retry or a fix."
        )
        dead.add_metric([], backlog.dead)
        yield dead
        held = GaugeMetricFamily(
            "podium_orders_on_hold", "Open order holds, by reason.", labels=["reason"]
        )
        for reason, n in holds.items():
            held.add_metric([reason], n)
        yield held
        yield from _last_prune(pruned)


def _last_prune(pruned: lifecycle.LastPrune | None) -> Iterator[Metric]:
    """When any node last pruned, and what it deleted (docs/operations.md "Data lifecycle")."""
    at = GaugeMetricFamily(
        "podium_prune_last_run_timestamp_seconds",
        "When the last retention pass finished (Unix time; 0 before the first).",
    )
    at.add_metric([], pruned.at.timestamp() if pruned else 0.0)
    yield at
    deleted = GaugeMetricFamily(
        "podium_prune_last_deleted_rows",
        "Rows the last retention pass deleted, by table.",
        labels=["table"],
    )
    for table, n in (pruned.deleted if pruned else {}).items():
        deleted.add_metric([table], n)
    yield deleted


def scrape(podium: Podium) -> bytes:
    """Every process's counters (summed over the multiprocess directory when there is one)
    and the database's figures."""
    database = CollectorRegistry(auto_describe=False)
    database.register(DatabaseCollector(podium))
    path = metrics.multiprocess_dir()
    if path is not None:
        here = CollectorRegistry(auto_describe=False)
        multiprocess.MultiProcessCollector(here, path=path)  # type: ignore[no-untyped-call]
        return generate_latest(here) + generate_latest(database)
    return generate_latest(REGISTRY) + generate_latest(database)


def instrument_pool(engine: Engine, size: int) -> None:
    """Count connections in use as they leave and return to the pool: two additions each,
    far below a statement's cost."""
    metrics.DB_POOL_SIZE.set(size)
    event.listen(engine, "checkout", lambda *_: metrics.DB_POOL_IN_USE.inc())
    event.listen(engine, "checkin", lambda *_: metrics.DB_POOL_IN_USE.dec())


router = APIRouter()


@router.get(
    "/metrics",
    tags=["system"],
    summary="Prometheus metrics (text exposition format)",
    response_class=Response,
    responses={200: {"content": {CONTENT_TYPE: {}}}},
)
def get_metrics(request: Request, _: Caller = Depends(require(Permission.READ))) -> Response:
    """Counters from every process and gauges read from the database now. Any API key may
    read it; give Prometheus a `readonly` one."""
    return Response(scrape(request.app.state.podium), media_type=CONTENT_TYPE)


def install_metrics(app: FastAPI, podium: Podium) -> None:
    # No `_created` twin of every counter and histogram series: half the series, no use here.
    disable_created_metrics()  # type: ignore[no-untyped-call]
    instrument_pool(podium.db.engine, podium.settings.db_pool_size)
    app.include_router(router)
