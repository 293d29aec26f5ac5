"""Every HTTP request's id, metrics and access line (issue 19): a plain ASGI middleware, so
it costs a few microseconds a request (docs/operations.md "Metrics" has the figures)."""

from __future__ import annotations

import logging
import time

from prometheus_client import Counter, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from podium import logs, metrics

__all__ = ["REQUEST_ID_HEADER", "Observe"]

REQUEST_ID_HEADER = "X-Request-ID"
_HEADER = REQUEST_ID_HEADER.lower().encode()
_UNMATCHED = "unmatched"  # 404s: raw paths would give every scanner its own series
_PROBES = frozenset({"/api/v1/health", "/api/v1/ready", "/metrics"})

access = logging.getLogger("podium.access")


def _route(scope: Scope) -> str:
    """The template of the route that answered (``/api/v1/orders/{order_id}``), which the
    router leaves in the scope it shares with this middleware. FastAPI keeps the included
    router's route (``/orders/{order_id}``) in ``route`` and the full template in its effective
    route context; a mount (``/static``) leaves its prefix as the root path."""
    extra = scope.get("fastapi")
    effective = extra.get("effective_route_context") if isinstance(extra, dict) else None
    path = getattr(effective, "path_format", None) or getattr(
        scope.get("route"), "path_format", None
    )
    if isinstance(path, str):
        return path
    if "endpoint" in scope and scope.get("root_path"):
        return f"{scope['root_path']}/{{path}}"
    return _UNMATCHED


class Observe:
    """Takes the caller's ``X-Request-ID`` (when sane) or makes one, binds it to every log line
    of the request and returns it; counts the request by route template and status, times it,
    and writes one access line (PODIUM_ACCESS_LOG)."""

    def __init__(self, app: ASGIApp, *, access_log: bool = True) -> None:
        self.app = app
        self.access_log = access_log
        self._counters: dict[tuple[str, str, int], Counter] = {}
        self._timers: dict[tuple[str, str], Histogram] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = next((v for k, v in scope.get("headers", ()) if k == _HEADER), None)
        request_id = logs.request_id_from(given)
        encoded = request_id.encode()
        status = 500
        var = logs.context()
        token = var.set({"request_id": request_id})
        start = time.perf_counter()

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", ()), (_HEADER, encoded)]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - start
            method = scope.get("method", "GET")
            route = _route(scope)
            counted = self._counters.get((method, route, status))
            if counted is None:  # labels() takes a lock and builds a key: once per series
                counted = metrics.HTTP_REQUESTS.labels(method, route, str(status))
                self._counters[(method, route, status)] = counted
            timed = self._timers.get((method, route))
            if timed is None:
                timed = self._timers[(method, route)] = metrics.HTTP_SECONDS.labels(method, route)
            counted.inc()
            timed.observe(elapsed)
            # Probes and scrapes come every few seconds: their lines only at debug level.
            level = logging.DEBUG if route in _PROBES and status < 400 else logging.INFO
            if self.access_log and access.isEnabledFor(level):
                access.log(
                    level,
                    "%s %s %s %.1fms",
                    method,
                    scope.get("path", ""),
                    status,
                    elapsed * 1000,
                    extra={
                        "method": method,
                        "route": route,
                        "status": status,
                        "duration_ms": round(elapsed * 1000, 2),
                    },
                )
            var.reset(token)
