"""The load generator of ``sync_latency.py --scenario load|flash|crash``, in its own process.

Run by the benchmark, not by hand: it reads one JSON line on stdin (the plan), prints
``ready``, waits for a ``go`` line, then sends sale ``n`` (a signed ``orders/create`` webhook,
or with ``intake: api`` a ``POST /orders``) at
``start + n / rate`` (open loop) with at most ``concurrency`` requests in flight. A sale whose
turn comes while every slot is busy waits for one (``sent`` later than ``scheduled``: the
report counts them); with a ``deadline`` (seconds), sales that could not be sent by then are
dropped, so a server slower than the rate shortens the run rather than stretching it; a
``stop`` line on stdin ends the sending too. When
every sale has been answered (or failed), it prints one JSON line: the records and its own CPU
seconds.

Its own process keeps its event loop and JSON work off the interpreter that runs the fake
platforms, so their timestamps are not skewed by the load. Times are ``time.monotonic()``:
CLOCK_MONOTONIC is one clock for every process on Linux, so they compare with the platforms'.
"""

from __future__ import annotations

import asyncio
import json
import resource
import sys
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from fakes.channels.shopify import shopify_webhook


class _Response:
    def __init__(self, status_code: int, body: bytes) -> None:
        self.status_code = status_code
        self.text = body.decode("utf-8", "replace")

    def json(self) -> Any:
        return json.loads(self.text)


class _Client:
    """A bare HTTP/1.1 keep-alive client on asyncio streams: httpx's async client cost ~6 ms of
    CPU a request here, so the load generator took a third of the 2-core machine at 90
    orders/s and the server could not be pushed to 200/s. This one writes the request bytes
    and reads a ``Content-Length`` answer, nothing more (uvicorn answers JSON that way)."""

    def __init__(self, url: str, size: int) -> None:
        parts = urlsplit(url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.prefix = parts.path.rstrip("/")
        self.idle: asyncio.Queue[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = (
            asyncio.Queue()
        )
        self.size = size

    async def post(self, path: str, content: bytes, headers: dict[str, str]) -> _Response:
        lines = [f"POST {self.prefix}{path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        lines += [f"{k}: {v}" for k, v in headers.items()]
        lines += [f"Content-Length: {len(content)}", "", ""]
        request = "\r\n".join(lines).encode() + content
        while not self.idle.empty():  # a kept connection the server may have closed meanwhile
            reader, writer = self.idle.get_nowait()
            try:
                return await self._exchange(reader, writer, request)
            except asyncio.IncompleteReadError as exc:
                writer.close()
                if exc.partial:
                    raise ConnectionError(f"cut off: {exc}") from exc
            except OSError:
                writer.close()
        try:
            reader, writer = await asyncio.open_connection(self.host, self.port)
            return await self._exchange(reader, writer, request)
        except (OSError, asyncio.IncompleteReadError, ValueError, IndexError) as exc:
            raise ConnectionError(f"{type(exc).__name__}: {exc}") from exc

    async def _exchange(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes
    ) -> _Response:
        try:
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            length, keep = 0, True
            for line in head.decode("latin-1").split("\r\n")[1:]:
                name, _, value = line.partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value)
                elif name.strip().lower() == "connection" and "close" in value.lower():
                    keep = False
            body = await reader.readexactly(length)
        except BaseException:
            writer.close()
            raise
        if keep and self.idle.qsize() < self.size:
            self.idle.put_nowait((reader, writer))
        else:
            writer.close()
        return _Response(status, body)

    async def close(self) -> None:
        while not self.idle.empty():
            self.idle.get_nowait()[1].close()


# One record per sale: sale number, SKU index, scheduled, sent, answered (monotonic seconds),
# HTTP status (0: no answer), Podium's result status or the transport error, the order id,
# the attempts it took.
Record = list[Any]


def order_payload(n: int, sku: str) -> dict[str, Any]:
    return {
        "id": 6_000_000_000_000_000_000 + n,
        "name": f"#L{n}",
        "email": "bench@example.com",
        "currency": "USD",
        "updated_at": "2026-11-20T10:00:00Z",
        "financial_status": "paid",
        "total_price": "10.00",
        "shipping_address": {"country_code": "US", "zip": "10001", "city": "New York"},
        "line_items": [
            {"id": n, "variant_id": n, "sku": sku, "name": sku, "quantity": 1, "price": "10.00"}
        ],
    }


def api_order(n: int, sku: str) -> bytes:
    """The same sale as ``POST /orders`` (``--intake api``)."""
    return json.dumps(
        {
            "channel": "a",
            "external_id": f"L{n}",
            "currency": "USD",
            "customer": {"email": "bench@example.com", "name": "Bench"},
            "shipping_address": {
                "line1": "1 Main St",
                "city": "New York",
                "region": "NY",
                "postal_code": "10001",
                "country": "US",
            },
            "lines": [{"sku": sku, "quantity": 1, "unit_price": "10.00"}],
        }
    ).encode()


async def _send(
    client: _Client,
    path: str,
    retries: int,
    slots: asyncio.Semaphore,
    sale: tuple[int, int, float],
    body: bytes,
    headers: dict[str, str],
    records: list[Record],
) -> None:
    """Send one sale; on a transport error try again up to ``retries`` times with the same
    delivery id or external id (what a platform does: Podium takes it once)."""
    n, sku_index, scheduled = sale
    try:
        sent = time.monotonic()
        for attempt in range(1, retries + 2):
            try:
                r = await client.post(path, content=body, headers=headers)
                break
            except ConnectionError as exc:
                if attempt > retries:
                    now = time.monotonic()
                    records.append(
                        [n, sku_index, scheduled, sent, now, 0, repr(exc), None, attempt]
                    )
                    return
        answered = time.monotonic()
        try:
            data = r.json()
        except ValueError:
            data = {"status": r.text[:200]}
        if path == "/orders":  # 201 and the order (200: a replay of one taken before)
            created = r.status_code == 201 or (attempt > 1 and r.status_code == 200)
            status, order_id = ("created" if created else str(data)[:200]), data.get("id")
        else:
            status, order_id = str(data.get("status")), data.get("order_id")
            if attempt > 1 and status in ("duplicate", "unchanged"):
                status = "created"  # the first attempt went through
        records.append(
            [n, sku_index, scheduled, sent, answered, r.status_code, status, order_id, attempt]
        )
    finally:
        slots.release()


def _sale(plan: dict[str, Any], i: int) -> tuple[int, int, bytes, dict[str, str]]:
    """Sale ``i``: its number, SKU index, body and headers (signed like Shopify signs)."""
    skus: list[str] = plan["skus"]
    n, sku_index = int(plan.get("first", 0)) + i, i % len(skus)
    if plan.get("intake") == "api":
        auth = {"Authorization": f"Bearer {plan.get('key')}", "Content-Type": "application/json"}
        return n, sku_index, api_order(n, skus[sku_index]), auth
    body, headers = shopify_webhook(
        "orders/create", order_payload(n, skus[sku_index]), plan["secret"], str(uuid.uuid4())
    )
    return n, sku_index, body, headers


async def _watch_stdin(stop: asyncio.Event) -> None:
    """A ``stop`` line ends the sending early (end of input does not)."""
    loop = asyncio.get_running_loop()
    while True:
        line = await loop.run_in_executor(None, sys.stdin.readline)
        if not line:
            return
        if line.strip() == "stop":
            stop.set()
            return


async def run(plan: dict[str, Any]) -> dict[str, Any]:
    count, rate = int(plan["count"]), float(plan["rate"])
    path = "/orders" if plan.get("intake") == "api" else "/channels/a/webhooks"
    before = resource.getrusage(resource.RUSAGE_SELF)
    print("ready", flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    stop = asyncio.Event()
    watcher = asyncio.create_task(_watch_stdin(stop))
    records: list[Record] = []
    slots = asyncio.Semaphore(int(plan["concurrency"]))
    client = _Client(plan["url"], int(plan["concurrency"]))
    try:
        tasks = []
        start = time.monotonic()
        stop_at = start + float(plan["deadline"]) if plan.get("deadline") else float("inf")
        for i in range(count):
            n, sku_index, body, headers = _sale(plan, i)
            scheduled = start + i / rate
            delay = scheduled - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            await slots.acquire()
            if time.monotonic() > stop_at or stop.is_set():  # the rest are never sent
                slots.release()
                break
            tasks.append(
                asyncio.create_task(
                    _send(
                        client,
                        path,
                        int(plan.get("retries", 0)),
                        slots,
                        (n, sku_index, scheduled),
                        body,
                        headers,
                        records,
                    )
                )
            )
        await asyncio.gather(*tasks)
    finally:
        await client.close()
    watcher.cancel()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "records": records,
        "cpu_seconds": usage.ru_utime + usage.ru_stime - before.ru_utime - before.ru_stime,
        "started": start,
        "finished": time.monotonic(),
    }


def main() -> None:
    plan = json.loads(sys.stdin.readline())
    result = asyncio.run(run(plan))
    sys.stdout.write(json.dumps(result) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
