"""Traces (issue 19): one trace follows an order from the platform's webhook through the
order, the outbox relay and the stock push back to the platform, across threads and the
outbox table (``outbox.traceparent``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from channel_support import add_shopify_channel, drain, post_webhook, shopify_order
from fakes.channels.shopify import FakeShopify
from podium import traces
from podium.bootstrap import Podium
from podium.db.tables import outbox
from support import Api, seed_store


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    """Traces on, into memory; requested before ``api``/``podium`` so their engine and app
    are instrumented."""
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    traces.use(provider)
    try:
        yield exporter
    finally:
        traces.reset()


@pytest.fixture
def shop(api: Api, podium: Podium) -> Iterator[FakeShopify]:
    with FakeShopify(token="tok-a") as fake:
        seed_store(api, {("TEE-M", "EAST"): 10})
        add_shopify_channel(api, "a", fake)
        r = api.client.put(
            "/api/v1/channels/a/listings/TEE-M",
            json={"remote_id": "501", "remote_location_id": "1001"},
            headers=api.headers("operator"),
        )
        assert r.status_code == 200, r.text
        drain(podium)
        yield fake


def _trace_of(found: Any, name: str) -> Any:
    matching = [s for s in found if s.name == name]
    assert matching, f"no span {name!r} in {sorted({s.name for s in found})}"
    return matching[-1]


def test_one_trace_runs_from_the_webhook_through_the_relay_to_the_platform_push(
    spans: InMemorySpanExporter, api: Api, podium: Podium, shop: FakeShopify
) -> None:
    spans.clear()
    r = post_webhook(api, "a", "orders/create", shopify_order(31, [("TEE-M", 2, "10.00")]))
    assert r.status_code in (200, 201), r.text
    drain(podium)
    assert shop.level("501", "1001") == 8

    found = spans.get_finished_spans()
    webhook = _trace_of(found, "POST /api/v1/channels/{code}/webhooks")
    trace_id = webhook.context.trace_id
    in_trace = [s for s in found if s.context.trace_id == trace_id]
    names = {s.name for s in in_trace}
    assert "relay channel-sync" in names
    push = _trace_of(in_trace, "channel push a")
    # The push's call to the platform (httpx) is a child of the push span.
    calls = [s.parent for s in in_trace if s.kind == SpanKind.CLIENT]
    assert any(p is not None and p.span_id == push.context.span_id for p in calls), names
    # SQL statements of the request are in it too (SQLAlchemy instrumentation).
    assert any((s.attributes or {}).get("db.system") for s in in_trace)
    with podium.db.read() as conn:
        stored = conn.execute(outbox.select().order_by(outbox.c.id.desc())).mappings().first()
    assert stored is not None and stored["traceparent"].split("-")[1] == f"{trace_id:032x}"


def test_with_traces_off_nothing_is_recorded_and_events_carry_no_trace(
    api: Api, podium: Podium
) -> None:
    assert not traces.enabled() and traces.traceparent() is None
    seed_store(api, {("TEE-M", "EAST"): 1})
    with podium.db.read() as conn:
        stored = conn.execute(outbox.select()).mappings().all()
    assert stored and all(r["traceparent"] is None for r in stored)
