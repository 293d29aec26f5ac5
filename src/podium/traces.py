"""Traces (issue 19; docs/operations.md "Traces"): OpenTelemetry spans for HTTP requests
(FastAPI), SQL statements (SQLAlchemy) and outgoing calls (httpx), off unless configured.

An order is followed across the outbox: an event is written with the W3C ``traceparent`` of
the request that made it (``outbox.traceparent``), and the relay delivers it, and a channel
pusher pushes the stock it changed, inside spans continuing that trace. So one trace runs from
a platform's webhook through the order and the relay to the push back to the platform.

OpenTelemetry is an optional extra (``pip install 'podium[otel]'``); nothing here imports it
until traces are turned on, and every function is a cheap no-op while they are off.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from opentelemetry.sdk.trace import TracerProvider

__all__ = [
    "MODES",
    "configure",
    "enabled",
    "instrument_app",
    "instrument_engine",
    "reset",
    "span",
    "traceparent",
    "use",
]

MODES = ("off", "otlp", "console")
MISSING = (
    "traces are configured (PODIUM_TRACES or OTEL_EXPORTER_OTLP_ENDPOINT) but OpenTelemetry "
    "is not installed: pip install 'podium[otel]', or unset them"
)

_provider: TracerProvider | None = None


def enabled() -> bool:
    return _provider is not None


def configure(mode: str, *, service_name: str | None = None) -> bool:
    """Turn traces on for this process (once; later calls keep the first provider). ``otlp``
    exports to the endpoint in OpenTelemetry's own ``OTEL_EXPORTER_OTLP_*`` variables,
    ``console`` prints spans to stdout. A missing extra is a configuration error (ValueError)."""
    if mode == "off" or _provider is not None:
        return _provider is not None
    if mode not in MODES:
        raise ValueError(f"PODIUM_TRACES must be one of {', '.join(MODES)}, got {mode!r}")
    try:
        from opentelemetry.sdk.resources import Resource
        from opentelemetry.sdk.trace import TracerProvider
        from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter

        if mode == "otlp":
            from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    except ImportError as exc:
        raise ValueError(MISSING) from exc
    name = service_name or os.environ.get("OTEL_SERVICE_NAME") or "podium"
    provider = TracerProvider(resource=Resource.create({"service.name": name}))
    exporter = OTLPSpanExporter() if mode == "otlp" else ConsoleSpanExporter()
    provider.add_span_processor(BatchSpanProcessor(exporter))
    use(provider)
    return True


def use(provider: TracerProvider) -> None:
    """Trace into ``provider`` (tests pass one with an in-memory exporter): also instruments
    every httpx client of the process."""
    global _provider
    from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor

    if _provider is not None:
        reset()
    _provider = provider
    HTTPXClientInstrumentor().instrument(tracer_provider=provider)


def reset() -> None:
    """Turn traces off again (tests)."""
    global _provider
    if _provider is None:
        return
    from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
    from opentelemetry.instrumentation.sqlalchemy.engine import EngineTracer

    HTTPXClientInstrumentor().uninstrument()
    EngineTracer.remove_all_event_listeners()  # type: ignore[no-untyped-call]
    _provider.shutdown()
    _provider = None


def instrument_app(app: Any) -> None:
    """Spans for the app's HTTP requests, continuing an incoming ``traceparent`` header."""
    if _provider is None:
        return
    from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor

    FastAPIInstrumentor.instrument_app(
        app, tracer_provider=_provider, excluded_urls="/metrics,/api/v1/health,/api/v1/ready"
    )


def instrument_engine(engine: Any) -> None:
    """Spans for the SQL statements ``engine`` runs."""
    if _provider is None:
        return
    from opentelemetry.instrumentation.sqlalchemy.engine import EngineTracer
    from opentelemetry.metrics import NoOpMeter

    usage = NoOpMeter("podium.db").create_up_down_counter("db.client.connections.usage")
    EngineTracer(_provider.get_tracer("podium.db"), engine, usage)  # type: ignore[no-untyped-call]


def traceparent() -> str | None:
    """The current span's W3C ``traceparent`` (None when traces are off or no span runs)."""
    if _provider is None:
        return None
    from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

    carrier: dict[str, str] = {}
    TraceContextTextMapPropagator().inject(carrier)
    return carrier.get("traceparent")


@contextmanager
def span(
    name: str,
    parents: Sequence[str | None] = (),
    attributes: Mapping[str, str | int] | None = None,
) -> Iterator[None]:
    """Run the block in a span. With ``parents`` (stored traceparents), the span continues the
    first one's trace and links to the others (a batch serving several traces); without, it
    is a child of the current span or a new trace."""
    if _provider is None:
        yield
        return
    from opentelemetry import trace
    from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

    propagator = TraceContextTextMapPropagator()
    contexts = [
        trace.get_current_span(propagator.extract({"traceparent": p})).get_span_context()
        for p in dict.fromkeys(p for p in parents if p)
    ]
    contexts = [c for c in contexts if c.is_valid]
    parent = trace.set_span_in_context(trace.NonRecordingSpan(contexts[0])) if contexts else None
    links = [trace.Link(c) for c in contexts[1:]]
    tracer = _provider.get_tracer("podium")
    with tracer.start_as_current_span(
        name, context=parent, links=links, attributes=dict(attributes or {})
    ):
        yield
