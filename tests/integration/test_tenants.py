"""One PostgreSQL database serving several brands, each in its own schema
(PODIUM_DATABASE_SCHEMA, docs/multi-tenant.md): nothing of one brand is seen by another."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import sqlalchemy as sa
from fastapi.testclient import TestClient

from podium.access.service import create_key
from podium.api.app import create_app
from podium.bootstrap import bootstrap
from podium.config import Settings
from podium.geo.geocoder import default_geocoder
from support import Api, order_body, seed_store


@contextmanager
def _brand(url: str, schema: str) -> Iterator[Api]:
    env = {"PODIUM_DATABASE_URL": url, "PODIUM_DATABASE_SCHEMA": schema}
    podium = bootstrap(Settings.from_env(env), geocoder=default_geocoder())  # migrates
    try:
        key = create_key(podium.db, f"{schema} admin", "admin")[1]
        with TestClient(create_app(podium, run_relay=False)) as client:
            yield Api(client, {"admin": key})
    finally:
        podium.close()


def test_two_brands_in_one_database_see_only_their_own_orders_stock_and_keys(
    postgres_url: str,
) -> None:
    a, b = (f"brand_{name}_{uuid.uuid4().hex[:8]}" for name in ("a", "b"))
    try:
        with _brand(postgres_url, a) as brand_a, _brand(postgres_url, b) as brand_b:
            seed_store(brand_a, {("MUG", "EAST"): 5})
            seed_store(brand_b, {("TEE", "EAST"): 7})
            first_a = brand_a.ok("post", "/orders", order_body([("MUG", 2)]))
            first_b = brand_b.ok("post", "/orders", order_body([("TEE", 1)]))
            # Each brand numbers its own orders from the start, in its own sequence.
            assert first_a["number"] == first_b["number"]
            assert [o["id"] for o in brand_b.ok("get", "/orders")["items"]] == [first_b["id"]]
            assert (
                brand_b.client.get("/api/v1/products/MUG", headers=brand_b.headers()).status_code
                == 404
            )
            assert brand_a.ok("get", "/inventory/MUG")["available"] == 3
            # A key is its own brand's: the other brand does not know it.
            foreign = brand_b.client.get("/api/v1/orders", headers=brand_a.headers())
            assert foreign.status_code == 401
    finally:
        engine = sa.create_engine(postgres_url.replace("postgresql://", "postgresql+psycopg://"))
        with engine.begin() as conn:
            for schema in (a, b):
                conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        engine.dispose()
