"""Traces asked for without the ``otel`` extra stop Podium with a message naming it; off, the
tracing functions do nothing."""

from __future__ import annotations

import sys

import pytest

from podium import traces


def test_traces_configured_without_opentelemetry_say_which_extra_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "opentelemetry.sdk.trace", None)  # as if not installed
    with pytest.raises(ValueError, match=r"pip install 'podium\[otel\]'"):
        traces.configure("otlp")
    assert not traces.enabled()


def test_off_means_no_provider_no_traceparent_and_spans_that_only_run_the_block() -> None:
    assert traces.configure("off") is False
    ran = []
    with traces.span("relay x", ["00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"]):
        ran.append(1)
    assert ran == [1] and traces.traceparent() is None
