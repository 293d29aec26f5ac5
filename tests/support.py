"""Helpers shared by the integration and end-to-end tests."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

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
        "shipping_address": {
            "line1": "1 Pike St",
            "city": "Seattle",
            "region": "WA",
            "postal_code": postal_code,
            "country": "US",
        },
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
