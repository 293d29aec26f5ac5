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

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from fakes.channels.shopify import shopify_webhook

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
    client: httpx.AsyncClient,
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
            except httpx.TransportError as exc:
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
    limits = httpx.Limits(  # idle connections dropped before the server's 5 s keep-alive ends
        max_connections=int(plan["concurrency"]),
        max_keepalive_connections=int(plan["concurrency"]),
        keepalive_expiry=2.0,
    )
    async with httpx.AsyncClient(
        base_url=plan["url"], timeout=float(plan.get("timeout", 30.0)), limits=limits
    ) as client:
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
