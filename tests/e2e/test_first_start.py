"""`podium serve` on an empty database prints everything a newcomer needs, and it works."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import httpx

from conftest import PODIUM, Server, _free_port
from podium.cli import FIRST_ADMIN_EMAIL
from support import stop, wait_until_serving


def test_first_start_prints_a_dashboard_sign_in_that_works(server: Server) -> None:
    assert server.admin_password, "serve printed no dashboard password on first start"
    with httpx.Client(base_url=server.url, timeout=30) as browser:
        page = browser.get("/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert token is not None
        signed_in = browser.post(
            "/login",
            data={
                "email": FIRST_ADMIN_EMAIL,
                "password": server.admin_password,
                "csrf_token": token.group(1),
            },
        )
        assert signed_in.status_code in (200, 303), signed_in.text
        home = browser.get("/")
        assert home.status_code == 200
        assert FIRST_ADMIN_EMAIL in home.text


def test_serve_with_database_and_port_options_serves_that_file_there(tmp_path: Path) -> None:
    port = _free_port()
    environ = {k: v for k, v in os.environ.items() if not k.startswith("PODIUM_")}
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [str(PODIUM), "serve", "--database", "shop.db", "--port", str(port)],
            cwd=tmp_path,
            env=environ,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        url = f"http://127.0.0.1:{port}"
        output = wait_until_serving(proc, url, log, ready=lambda text: "pdm_" in text)
        key = next(ln.strip() for ln in output.splitlines() if ln.startswith("pdm_"))
        assert f"Podium is serving on http://127.0.0.1:{port}/" in output
        # The key was made in shop.db; the server answering with it proves it serves shop.db.
        answer = httpx.get(
            f"{url}/api/v1/orders", headers={"Authorization": f"Bearer {key}"}, timeout=30
        )
        assert answer.status_code == 200
        assert (tmp_path / "shop.db").exists() and not (tmp_path / "podium.db").exists()
    finally:
        stop(proc)
