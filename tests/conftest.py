"""Shared fixtures: a Podium on each engine, an API client with keys, seeding helpers.

Integration and end-to-end tests take the ``engine`` parameter: SQLite always, PostgreSQL when
PODIUM_TEST_POSTGRES_URL is set. Each test run gets its own PostgreSQL database (created here,
dropped at the end), and each test starts from empty tables.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from browser_support import ARGS, CHROMIUM
from podium.access.service import create_key
from podium.api.app import create_app
from podium.bootstrap import Podium, bootstrap
from podium.config import Settings
from podium.db.engine import build_engine, normalise_url
from podium.db.migrate import upgrade
from podium.db.tables import metadata
from podium.geo.geocoder import default_geocoder
from support import Api, stop, wait_until_serving

PG_URL = os.environ.get("PODIUM_TEST_POSTGRES_URL", "").strip()
SHARED = Path(__file__).resolve().parents[2] / "shared"

ENGINES = [
    "sqlite",
    pytest.param(
        "postgres",
        marks=pytest.mark.skipif(not PG_URL, reason="PODIUM_TEST_POSTGRES_URL is not set"),
    ),
]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Every test that touches a database runs on both engines, but for a command-line smoke
    test marked ``sqlite_only`` whose commands the integration tests cover on both. A browser
    test that takes a ``device`` (phone 390×844, desktop) runs each device once: the phone on
    SQLite and the desktop on PostgreSQL, or both on SQLite where no PostgreSQL server is set."""
    if "database_url" not in metafunc.fixturenames:
        return
    if metafunc.definition.get_closest_marker("sqlite_only") is not None:
        metafunc.parametrize("database_url", ["sqlite"], indirect=True)
        return
    if "device" not in metafunc.fixturenames:
        metafunc.parametrize("database_url", ENGINES, indirect=True)
        return
    pairs = (
        [("sqlite", "phone"), ("postgres", "desktop")]
        if PG_URL
        else [
            ("sqlite", "phone"),
            ("sqlite", "desktop"),
        ]
    )
    metafunc.parametrize(
        ("database_url", "device"),
        pairs,
        indirect=["database_url"],
        ids=["-".join(p) for p in pairs],
    )


def _admin_url(url: str) -> sa.URL:
    return sa.make_url(normalise_url(url))


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A database of this test run's own on the PostgreSQL server, migrated to head."""
    if not PG_URL:
        pytest.skip("PODIUM_TEST_POSTGRES_URL is not set")
    base = _admin_url(PG_URL)
    name = f"podium_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = base.set(database=name).render_as_string(hide_password=False)
    engine = build_engine(url)
    upgrade(engine)
    engine.dispose()
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def reset_postgres(url: str) -> None:
    engine = build_engine(url, pool_size=1)
    tables = ", ".join(t.name for t in metadata.sorted_tables)
    with engine.begin() as conn:
        conn.exec_driver_sql(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
        conn.exec_driver_sql("ALTER SEQUENCE order_number_seq RESTART WITH 100001")
        conn.exec_driver_sql("INSERT INTO counters (name, value) VALUES ('order_number', 100000)")
    engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An SQLite database migrated to head once per run; each test gets a copy of the file
    (migrating a fresh file costs ~0.1 s, copying one ~0.5 ms)."""
    path = tmp_path_factory.mktemp("template") / "podium.db"
    engine = build_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()  # the last connection closing checkpoints the WAL into the file
    return path


@pytest.fixture
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    engine = getattr(request, "param", "sqlite")
    if engine == "postgres":
        url: str = request.getfixturevalue("postgres_url")
        reset_postgres(url)
        return url
    target = tmp_path / "podium.db"
    shutil.copyfile(request.getfixturevalue("sqlite_template"), target)
    return f"sqlite:///{target}"


@pytest.fixture
def podium(database_url: str) -> Iterator[Podium]:
    p = bootstrap(
        Settings(database_url=database_url, relay_poll_seconds=0.05), geocoder=default_geocoder()
    )
    try:
        yield p
    finally:
        p.close()


@pytest.fixture
def api(podium: Podium) -> Iterator[Api]:
    keys = {
        role: create_key(podium.db, f"test {role}", role)[1]
        for role in ("admin", "operator", "warehouse", "support", "readonly")
    }
    with TestClient(create_app(podium, run_relay=False), raise_server_exceptions=False) as client:
        yield Api(client, keys)


# --- a real server, for the end-to-end tests ----------------------------------------------

PODIUM = Path(sys.executable).with_name("podium")


@dataclass
class Server:
    url: str
    key: str
    database_url: str
    admin_password: str = ""  # the dashboard admin's, printed on first start

    def client(self) -> httpx.Client:
        return httpx.Client(
            base_url=f"{self.url}/api/v1",
            timeout=30,
            headers={"Authorization": f"Bearer {self.key}"},
        )

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "PODIUM_DATABASE_URL": self.database_url}
        return subprocess.run(
            [str(PODIUM), *args], env=env, capture_output=True, text=True, timeout=120, check=False
        )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(database_url: str, tmp_path: Path) -> Iterator[Server]:
    port = _free_port()
    env = {**os.environ, "PODIUM_DATABASE_URL": database_url, "PODIUM_PORT": str(port)}
    log_path = tmp_path / "serve.log"
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            [str(PODIUM), "serve"], env=env, stdout=log, stderr=subprocess.STDOUT, text=True
        )
    try:
        url = f"http://127.0.0.1:{port}"
        output = wait_until_serving(proc, url, log_path, ready=lambda out: bool(_printed_key(out)))
        key = _printed_key(output)
        signed = re.search(r"sign in to the dashboard as \S+ with password (\S+)", output)
        yield Server(url, key, database_url, signed.group(1) if signed else "")
    finally:
        stop(proc)


def _printed_key(output: str) -> str:
    return next((ln.strip() for ln in output.splitlines() if ln.startswith("pdm_")), "")


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's chromium, headless, for one test module (Playwright is only the driver)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        try:
            yield launched
        finally:
            launched.close()
