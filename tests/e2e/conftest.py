"""A real ``podium serve`` process per test, on the test's own database."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

PODIUM = Path(sys.executable).with_name("podium")


@dataclass
class Server:
    url: str
    key: str
    database_url: str

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
    log = (tmp_path / "serve.log").open("w+")
    proc = subprocess.Popen(
        [str(PODIUM), "serve"], env=env, stdout=log, stderr=subprocess.STDOUT, text=True
    )
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        key = ""
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                log.seek(0)
                pytest.fail(f"podium serve exited: {log.read()}")
            log.seek(0)
            key = next((ln.strip() for ln in log if ln.startswith("pdm_")), "")
            try:
                if key and httpx.get(f"{url}/api/v1/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        else:
            pytest.fail("podium serve did not start in time")
        yield Server(url, key, database_url)
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
