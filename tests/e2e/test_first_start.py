"""`podium serve` on an empty database prints everything a newcomer needs, and it works."""

from __future__ import annotations

import re

import httpx

from conftest import Server
from podium.cli import FIRST_ADMIN_EMAIL


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
