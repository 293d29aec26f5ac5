"""What observing a request costs: CPU per request of the ``Observe`` middleware (request id,
counter, histogram), of its JSON access line, and of one JSON log line with context.

    .venv/bin/python benchmarks/observe.py [--requests 20000]

Process time, not wall time, so a busy machine inflates the figures less; the best of three
runs is shown. docs/operations.md "Metrics" quotes the result.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import logging
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from podium import logs
from podium.api.observe import Observe


async def _app(scope: Scope, receive: Receive, send: Send) -> None:
    await send({"type": "http.response.start", "status": 201, "headers": []})
    await send({"type": "http.response.body", "body": b""})


async def _sink(message: Message) -> None:
    return None


async def _receive() -> Message:
    return {"type": "http.request", "body": b""}


_SCOPE: Scope = {
    "type": "http",
    "method": "POST",
    "path": "/api/v1/orders",
    "headers": [(b"x-request-id", b"lb-7f3a")],
}


def _cpu_us(app: ASGIApp, n: int) -> float:
    async def run() -> float:
        started = time.process_time()
        for _ in range(n):
            await app(dict(_SCOPE), _receive, _sink)
        return (time.process_time() - started) / n * 1e6

    return min(asyncio.run(run()) for _ in range(3))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20000)
    n = parser.parse_args().requests
    logs.configure("json", "INFO", io.StringIO())
    bare = _cpu_us(_app, n)
    observed = _cpu_us(Observe(_app, access_log=False), n)
    logged = _cpu_us(Observe(_app, access_log=True), n)
    log = logging.getLogger("podium.orders")
    best = float("inf")
    with logs.scope(request_id="lb-7f3a", order_id="ord_01JEX", channel="web"):
        for _ in range(3):
            started = time.process_time()
            for _ in range(n):
                log.info("order %s placed: %s", "PD-100001", "allocated")
            best = min(best, (time.process_time() - started) / n * 1e6)
    print(f"middleware (id, counter, histogram): {observed - bare:6.1f} us CPU a request")
    print(f"+ JSON access line:                  {logged - observed:6.1f} us")
    print(f"one JSON log line with context:      {best:6.1f} us")


if __name__ == "__main__":
    main()
