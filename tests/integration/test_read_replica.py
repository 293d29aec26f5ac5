"""A read replica (PODIUM_DATABASE_READ_URL): the dashboard's home figures and the accounting
export read it; everything else, writes and reads that must see them, stays on the primary.
The replica here is an empty copy of the schema, standing in for one that has not caught up."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from podium.bootstrap import Podium, bootstrap
from podium.config import Settings
from podium.geo.geocoder import default_geocoder
from podium.orders import overview
from support import Api, order_body, seed_store


@pytest.fixture
def podium(database_url: str, sqlite_template: Path, tmp_path: Path) -> Iterator[Podium]:
    replica = tmp_path / "replica.db"
    shutil.copyfile(sqlite_template, replica)
    settings = Settings(database_url=database_url, database_read_url=f"sqlite:///{replica}")
    p = bootstrap(settings, geocoder=default_geocoder())
    try:
        yield p
    finally:
        p.close()


def test_figures_and_exports_come_from_the_replica_and_orders_from_the_primary(
    api: Api, podium: Podium
) -> None:
    seed_store(api, {("TEE", "EAST"): 5})
    placed = api.ok("post", "/orders", order_body([("TEE", 1)], external_id="r-1"))
    assert api.ok("get", f"/orders/{placed['id']}")["id"] == placed["id"]  # read your write
    assert podium.db.replica is not None
    assert overview(podium.db).orders_today == 0  # the replica has not seen it
    with podium.db.read() as conn, podium.db.report() as replica:
        assert conn.engine is podium.db.engine and replica.engine is podium.db.replica


def test_without_a_replica_reports_read_the_primary(database_url: str) -> None:
    p = bootstrap(Settings(database_url=database_url), geocoder=default_geocoder())
    try:
        assert p.db.replica is None
        with p.db.report() as conn:
            assert conn.engine is p.db.engine
    finally:
        p.close()
