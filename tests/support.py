"""Helpers shared by the integration and end-to-end tests."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient


@dataclass
class Api:
    """A test client holding one key per role."""

    client: TestClient
    keys: dict[str, str]

    def headers(self, role: str = "admin", **extra: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.keys[role]}", **extra}

    def get(self, path: str, role: str = "admin", **kw: Any) -> Any:
        return self.client.get(f"/api/v1{path}", headers=self.headers(role), **kw)

    def post(
        self,
        path: str,
        body: Any = None,
        role: str = "admin",
        headers: dict[str, str] | None = None,
        **kw: Any,
    ) -> Any:
        h = {**self.headers(role), **(headers or {})}
        return self.client.post(f"/api/v1{path}", json=body, headers=h, **kw)

    def patch(self, path: str, body: Any, role: str = "admin") -> Any:
        return self.client.patch(f"/api/v1{path}", json=body, headers=self.headers(role))

    def ok(self, method: str, path: str, body: Any = None, role: str = "admin") -> Any:
        response = (
            getattr(self, method)(path, body, role)
            if body is not None or method in ("post",)
            else getattr(self, method)(path, role)
        )
        assert response.status_code < 300, response.text
        return response.json()


def order_body(
    lines: list[tuple[str, int]],
    *,
    external_id: str | None = None,
    channel: str = "web",
    postal_code: str = "98101",
    **extra: Any,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "channel": channel,
        "currency": "USD",
        "customer": {"email": "ann@example.com", "name": "Ann Example"},
        # Seattle's own ZIP code names the city; another ZIP code goes alone (a ZIP code in
        # another state under "Seattle, WA" is an address Podium holds, issue 15).
        "shipping_address": {"line1": "1 Pike St", "postal_code": postal_code, "country": "US"}
        | ({"city": "Seattle", "region": "WA"} if postal_code.startswith("981") else {}),
        "lines": [{"sku": s, "quantity": q, "unit_price": "19.99"} for s, q in lines],
    }
    if external_id is not None:
        body["external_id"] = external_id
    body.update(extra)
    return body


WAREHOUSES = {
    # code: (city, region, postal code, latitude, longitude)
    "EAST": ("Newark", "NJ", "07102", 40.7357, -74.1724),
    "WEST": ("Oakland", "CA", "94607", 37.8044, -122.2712),
    "SOUTH": ("Dallas", "TX", "75201", 32.7767, -96.7970),
}


def seed_store(
    api: Api,
    stock: dict[tuple[str, str], int],
    *,
    skus: list[str] | None = None,
    warehouses: tuple[str, ...] = ("EAST", "WEST"),
) -> None:
    """A `web` channel, the named warehouses, products, and on-hand stock per (sku, warehouse)."""
    _seed(lambda path, body: api.ok("post", path, body), stock, skus, warehouses)


def seed_http(
    client: Any,
    stock: dict[tuple[str, str], int],
    *,
    warehouses: tuple[str, ...] = ("EAST", "WEST"),
) -> None:
    """The same through an httpx client whose base URL ends in /api/v1."""

    def post(path: str, body: dict[str, Any]) -> Any:
        r = client.post(path, json=body)
        assert r.status_code < 300, r.text
        return r.json()

    _seed(post, stock, None, warehouses)


def _seed(
    post: Callable[[str, dict[str, Any]], Any],
    stock: dict[tuple[str, str], int],
    skus: list[str] | None,
    warehouses: tuple[str, ...],
) -> None:
    post("/channels", {"code": "web", "name": "Web store", "type": "manual"})
    for code in warehouses:
        city, region, postal, lat, lon = WAREHOUSES[code]
        post(
            "/warehouses",
            {
                "code": code,
                "name": f"{city} DC",
                "address": {"city": city, "region": region, "postal_code": postal, "country": "US"},
                "latitude": lat,
                "longitude": lon,
            },
        )
    for sku in sorted(set(skus or []) | {s for s, _ in stock}):
        post("/products", {"sku": sku, "name": f"Product {sku}", "weight_grams": 250})
    for (sku, wh), qty in stock.items():
        if qty:
            post(
                "/inventory/adjustments",
                {"sku": sku, "warehouse": wh, "quantity": qty, "reason": "receipt"},
            )


# --- starting real servers ----------------------------------------------------------------

# Start-up on a loaded machine (2 cores, a dozen xdist workers, migrations on a fresh database)
# has taken over a minute; a slow start is not a failure, so the wait is generous and can be
# raised without touching code.
SERVER_START_SECONDS = float(os.environ.get("PODIUM_TEST_SERVER_START_SECONDS", "180"))


def _tail(path: Path, lines: int = 40) -> str:
    text = path.read_text(errors="replace") if path.exists() else ""
    return "\n".join(text.splitlines()[-lines:]) or "(no output)"


def wait_until_serving(
    proc: subprocess.Popen[Any],
    url: str,
    log: Path,
    *,
    ready: Callable[[str], bool] = lambda output: True,
    seconds: float | None = None,
    what: str = "podium serve",
) -> str:
    """Wait until ``url``/api/v1/health answers 200 and ``ready(output)`` holds; returns the
    output so far. Fails the test saying why: the exit code or the time waited, what was
    missing, and the tail of the server's own output."""
    limit = SERVER_START_SECONDS if seconds is None else seconds
    started = time.monotonic()
    last_error = "no answer yet"
    while True:
        output = log.read_text(errors="replace") if log.exists() else ""
        code = proc.poll()
        if code is not None:
            pytest.fail(
                f"{what} exited with code {code} before it answered {url}; its output "
                f"ends:\n{_tail(log)}",
                pytrace=False,
            )
        if ready(output):
            try:
                answer = httpx.get(f"{url}/api/v1/health", timeout=2)
                if answer.status_code == 200:
                    return output
                last_error = f"health answered {answer.status_code}"
            except httpx.TransportError as exc:
                last_error = f"{type(exc).__name__}: {exc}"
        else:
            last_error = "the server has not printed what the test waits for"
        waited = time.monotonic() - started
        if waited > limit:
            pytest.fail(
                f"{what} did not answer {url} within {limit:g} s (last: {last_error}; "
                f"PODIUM_TEST_SERVER_START_SECONDS raises the wait); its output ends:\n"
                f"{_tail(log)}",
                pytrace=False,
            )
        time.sleep(0.1)


def stop(proc: subprocess.Popen[Any], grace: float = 15) -> None:
    proc.terminate()
    try:
        proc.wait(grace)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(grace)
