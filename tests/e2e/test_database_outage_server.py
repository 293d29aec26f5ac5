"""A real `podium serve` (uvicorn, relay running) whose database goes away and comes back:
writes answer 503 with Retry-After during the outage, and the same server takes them again
afterwards without a restart (both engines; PostgreSQL through a proxy the test controls, so
the shared server is never stopped)."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path

import httpx

from outage_support import TcpProxy, postgres_target, proxied_url, sqlite_locked
from support import order_body, seed_http, stop, wait_until_serving

PODIUM = Path(sys.executable).with_name("podium")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_a_running_server_answers_503_while_the_database_is_away_and_recovers_alone(
    database_url: str, tmp_path: Path
) -> None:
    proxy: TcpProxy | None = None
    url = database_url
    outage: Callable[[], AbstractContextManager[None]]
    if database_url.startswith("sqlite"):

        def outage() -> AbstractContextManager[None]:
            return sqlite_locked(database_url)
    else:
        proxy = TcpProxy(*postgres_target(database_url))
        proxy.up()
        url = proxied_url(database_url, proxy)
        outage = proxy.cut
    port = _free_port()
    env = {
        **os.environ,
        "PODIUM_DATABASE_URL": url,
        "PODIUM_PORT": str(port),
        "PODIUM_DB_BUSY_TIMEOUT_SECONDS": "1",
    }
    log_path = tmp_path / "serve.log"
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            [str(PODIUM), "serve"], env=env, stdout=log, stderr=subprocess.STDOUT, text=True
        )
    base = f"http://127.0.0.1:{port}"
    try:
        output = wait_until_serving(proc, base, log_path, ready=lambda out: "pdm_" in out)
        key = re.search(r"^(pdm_\S+)$", output, re.M)
        assert key, output
        headers = {"Authorization": f"Bearer {key.group(1)}"}
        with httpx.Client(base_url=f"{base}/api/v1", headers=headers, timeout=30) as client:
            seed_http(client, {("TEE", "EAST"): 100})
            with outage():
                started = time.monotonic()
                during = client.post("/orders", json=order_body([("TEE", 1)], external_id="o1"))
                answered_in = time.monotonic() - started
                assert during.status_code == 503, during.text
                assert during.headers["Retry-After"] == "5"
                assert during.json()["error"]["code"] == "database_unavailable"
                assert answered_in < 15  # bounded by the busy timeout, not hanging
            started = time.monotonic()
            back = client.post("/orders", json=order_body([("TEE", 1)], external_id="o1"))
            recovered_in = time.monotonic() - started
            print(f"503 after {answered_in:.2f} s; first write back in {recovered_in:.2f} s")
            assert back.status_code == 201, back.text
            orders = client.get("/orders").json()["items"]
            assert len(orders) == 1  # the refused attempt left nothing behind
            assert proc.poll() is None  # the same process, never restarted
    finally:
        stop(proc)
        if proxy is not None:
            proxy.down()
