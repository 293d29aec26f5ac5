"""SQLite on a full disk (issue 18 item 4): a write that finds no room answers 507
``storage_full`` (never a 500), nothing is half-written, the file passes
``PRAGMA integrity_check``, reads go on, and writes work again once room returns.

The disk fills for real on a tiny tmpfs where the tests may mount one (root); everywhere, the
same SQLITE_FULL comes from ``PRAGMA max_page_count`` held at the file's size."""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from podium.access import create_key
from podium.api.app import create_app
from podium.bootstrap import Podium, bootstrap
from podium.config import Settings
from podium.geo.geocoder import default_geocoder
from podium.inventory import examine
from support import Api, order_body, seed_store

pytestmark = pytest.mark.sqlite_only


@contextlib.contextmanager
def _tmpfs(path: Path, size: str) -> Iterator[bool]:
    path.mkdir()
    mounted = False
    if os.geteuid() == 0 and shutil.which("mount"):
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
            capture_output=True,
            check=False,
        )
        mounted = done.returncode == 0
    try:
        yield mounted
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(path)], capture_output=True, check=False)


def _place_until_full(api: Api, first: int) -> tuple[int, Any]:
    for n in range(first, first + 2000):
        response = api.post("/orders", order_body([("TEE", 1)], external_id=str(n)))
        if response.status_code != 201:
            return n, response
    raise AssertionError("the disk never filled")


def _orders(url: str) -> int:
    with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        return int(conn.execute("SELECT count(*) FROM orders").fetchone()[0])


def _check_full_then_recover(
    url: str, fill: Callable[[Podium], None], free: Callable[[Podium], None]
) -> None:
    podium = bootstrap(Settings(database_url=url), geocoder=default_geocoder())
    key = create_key(podium.db, "test admin", "admin")[1]
    try:
        with TestClient(create_app(podium, run_relay=False), raise_server_exceptions=False) as c:
            api = Api(c, {"admin": key})
            seed_store(api, {("TEE", "EAST"): 5000})
            fill(podium)
            n, refused = _place_until_full(api, 1)
            assert refused.status_code == 507, refused.text
            assert refused.json()["error"]["code"] == "storage_full"
            assert refused.headers["Retry-After"] == "60"
            placed = _orders(url)
            assert placed == n - 1  # the refused order left nothing behind
            assert api.get("/inventory/TEE").status_code == 200  # reads go on

            free(podium)
            assert (
                api.post("/orders", order_body([("TEE", 1)], external_id=str(n))).status_code == 201
            )
            assert _orders(url) == placed + 1
            assert examine(podium.db).ok
    finally:
        podium.close()


def test_a_full_disk_answers_storage_full_and_recovers_when_room_returns(
    database_url: str, tmp_path: Path
) -> None:
    with _tmpfs(tmp_path / "small", "4m") as mounted:
        if not mounted:
            pytest.skip("no tmpfs here (needs root); the page-limit test covers SQLITE_FULL")
        url = f"sqlite:///{tmp_path / 'small' / 'podium.db'}"
        shutil.copyfile(database_url.removeprefix("sqlite:///"), url.removeprefix("sqlite:///"))
        ballast = tmp_path / "small" / "ballast"

        def fill(_: Podium) -> None:  # leave ~64 KiB: a few orders' worth
            room = shutil.disk_usage(ballast.parent).free - 64 * 1024
            with open(ballast, "wb") as f:
                f.write(b"\0" * max(0, room))

        _check_full_then_recover(url, fill, lambda _: ballast.unlink())


def test_a_page_limit_answers_storage_full_and_recovers_when_raised(database_url: str) -> None:
    limit: dict[str, int | None] = {"pages": None}

    def on_connect(dbapi_conn: Any, _: Any) -> None:
        if limit["pages"] is not None:
            dbapi_conn.execute(f"PRAGMA max_page_count = {limit['pages']}")

    def fill(podium: Podium) -> None:
        sa.event.listen(podium.db.engine, "connect", on_connect)
        with sqlite3.connect(database_url.removeprefix("sqlite:///")) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            limit["pages"] = int(conn.execute("PRAGMA page_count").fetchone()[0]) + 4
        podium.db.engine.dispose()  # pooled connections would keep no limit

    def free(podium: Podium) -> None:
        limit["pages"] = None
        podium.db.engine.dispose()

    _check_full_then_recover(database_url, fill, free)
