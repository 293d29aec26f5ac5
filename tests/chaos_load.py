"""The crash test's mixed load and its journal (the shop it runs on: chaos_shop.py): threads
sending API orders with and without an Idempotency-Key,
signed Shopify and WooCommerce order webhooks, cancels, shipments and returns, and noting every
request and its answer in memory.

Requests a client may repeat (orders by key or external id, platform webhooks by delivery id)
are repeated on a transport error or a 5xx until answered, as a storefront or a platform would;
the others (cancel, ship, return) are sent once, and a lost answer is noted as unknown."""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass, field

import httpx

from chaos_shop import SECRET, shopify_order, woo_order
from fakes.channels.shopify import shopify_webhook
from fakes.channels.woocommerce import woo_webhook
from support import order_body

KINDS = {  # kind -> weight
    "order_key": 3,
    "order_ext": 3,
    "shopify": 3,
    "woo": 3,
    "cancel": 1,
    "ship": 2,
    "return": 1,
}
REPEATABLE = {"order_key", "order_ext", "shopify", "woo"}


@dataclass
class Entry:
    """One logical request: what it was, its last answer (status 0: none) and what it made."""

    cycle: int
    kind: str
    ref: str  # idempotency key, external id, platform order id, or the order acted on
    sku: str
    status: int = 0
    attempts: int = 0
    order_id: str | None = None
    made_id: str | None = None  # the shipment shipped or the return created
    error: str | None = None
    answered: float = 0.0  # time.monotonic() of the last answer

    @property
    def acknowledged(self) -> bool:
        return 200 <= self.status < 300


@dataclass
class Load:
    """``threads`` senders against ``base``; ``cycle`` is the number noted on new entries."""

    base: str
    key: str
    skus: list[str]
    threads: int = 4
    seed: int = 1
    pause: float = 0.0  # between one sender's requests
    cycle: int = 0
    journal: list[Entry] = field(default_factory=list)
    _placed: list[tuple[str, str]] = field(default_factory=list)  # (order id, sku) to act on
    _shipped: list[tuple[str, str]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _stop: threading.Event = field(default_factory=threading.Event)
    _running: list[threading.Thread] = field(default_factory=list)
    _count: int = 0

    def start(self) -> None:
        self._stop.clear()
        self._running = [
            threading.Thread(target=self._sender, args=(self.seed * 100 + i,), daemon=True)
            for i in range(self.threads)
        ]
        for t in self._running:
            t.start()

    def stop(self, wait: float = 60.0) -> None:
        """Stop sending; repeatable requests still owed an answer keep trying meanwhile."""
        self._stop.set()
        for t in self._running:
            t.join(wait)

    def flowing(self, since: float, count: int, timeout: float) -> bool:
        """Wait until ``count`` requests were acknowledged after ``since`` (monotonic)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                done = sum(e.acknowledged and e.answered > since for e in self.journal)
            if done >= count:
                return True
            time.sleep(0.05)
        return False

    def first_answer(self, since: float) -> float | None:
        """Seconds from ``since`` to the first acknowledgement after it."""
        with self._lock:
            times = [e.answered for e in self.journal if e.acknowledged and e.answered > since]
        return min(times) - since if times else None

    def _next(self) -> int:
        with self._lock:
            self._count += 1
            return self._count

    def _sender(self, seed: int) -> None:
        rng = random.Random(seed)
        kinds, weights = list(KINDS), list(KINDS.values())
        with httpx.Client(
            base_url=f"{self.base}/api/v1",
            headers={"Authorization": f"Bearer {self.key}"},
            timeout=10.0,
        ) as client:
            while not self._stop.is_set():
                kind = rng.choices(kinds, weights)[0]
                entry = self._one(client, rng, kind)
                if entry is not None:
                    entry.answered = time.monotonic()
                    with self._lock:
                        self.journal.append(entry)
                if self.pause:
                    time.sleep(self.pause)

    def _one(self, client: httpx.Client, rng: random.Random, kind: str) -> Entry | None:
        if kind in REPEATABLE:
            n, sku = self._next(), rng.choice(self.skus)
            return self._repeatable(client, kind, n, sku)
        pool = self._shipped if kind == "return" else self._placed
        with self._lock:
            if not pool:
                return None
            order_id, sku = pool.pop(rng.randrange(len(pool)))
        entry = Entry(self.cycle, kind, order_id, sku, order_id=order_id)
        try:
            if kind == "cancel":
                r = client.post(f"/orders/{order_id}/cancel", json={"reason": "chaos"})
            elif kind == "ship":
                got = client.get(f"/orders/{order_id}")
                if got.status_code != 200:
                    entry.status, entry.error = got.status_code, "order not readable"
                    return entry
                entry.made_id = got.json()["shipments"][0]["id"]
                tracking = {"tracking_number": f"CH{self._next()}"}
                r = client.post(f"/shipments/{entry.made_id}/ship", json=tracking)
            else:
                rma = {"lines": [{"sku": sku, "quantity": 1}], "approve": True}
                r = client.post(f"/orders/{order_id}/returns", json=rma)
        except httpx.TransportError as exc:
            entry.attempts, entry.error = 1, f"{type(exc).__name__}"
            return entry
        entry.attempts, entry.status = 1, r.status_code
        if entry.acknowledged:
            if kind == "return":
                entry.made_id = r.json()["id"]
            elif kind == "ship":
                with self._lock:
                    self._shipped.append((order_id, sku))
        else:
            entry.error = r.text[:200]
        return entry

    def _repeatable(self, client: httpx.Client, kind: str, n: int, sku: str) -> Entry:
        headers: dict[str, str] = {}
        if kind == "order_key":
            ref, path = f"chaos-key-{n}", "/orders"
            content = httpx.Request("POST", "/", json=order_body([(sku, 1)])).content
            headers = {"Idempotency-Key": ref, "Content-Type": "application/json"}
        elif kind == "order_ext":
            ref, path = f"chaos-ext-{n}", "/orders"
            body = order_body([(sku, 1)], external_id=ref)
            content = httpx.Request("POST", "/", json=body).content
            headers = {"Content-Type": "application/json"}
        elif kind == "shopify":
            payload = shopify_order(n, sku)
            ref, path = str(payload["id"]), "/channels/shop/webhooks"
            content, headers = shopify_webhook("orders/create", payload, SECRET)
        else:
            payload = woo_order(n, sku)
            ref, path = str(payload["id"]), "/channels/woo/webhooks"
            content, headers = woo_webhook("order.created", payload, SECRET)
        entry = Entry(self.cycle, kind, ref, sku)
        give_up = None
        while True:
            entry.attempts += 1
            try:
                r = client.post(path, content=content, headers=headers)
                entry.status, entry.error = r.status_code, None
                if r.status_code < 500:
                    break
                entry.error = r.text[:200]
            except httpx.TransportError as exc:
                entry.status, entry.error = 0, type(exc).__name__
            # Not answered: try again (with the same key, external id or delivery id) for a
            # while after the load stops, as a platform retries a delivery.
            if self._stop.is_set():
                give_up = give_up or time.monotonic() + 30
                if time.monotonic() > give_up:
                    return entry
            time.sleep(0.2)
        if entry.acknowledged:
            data = r.json()
            entry.order_id = data.get("id") if path == "/orders" else data.get("order_id")
            if path == "/orders" and entry.order_id:
                with self._lock:
                    self._placed.append((entry.order_id, sku))
        else:
            entry.error = r.text[:200]
        return entry
