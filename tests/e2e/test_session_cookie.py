"""Against a real `podium serve`: signing out ends the session, so a copy of the old cookie
opens nothing (it used to work for 12 hours)."""

from __future__ import annotations

import re

import httpx

from conftest import Server
from podium.cli import FIRST_ADMIN_EMAIL


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


def test_a_signed_out_cookie_no_longer_opens_the_dashboard(server: Server) -> None:
    with httpx.Client(base_url=server.url, timeout=30) as browser:
        page = browser.get("/login")
        signed_in = browser.post(
            "/login",
            data={
                "email": FIRST_ADMIN_EMAIL,
                "password": server.admin_password,
                "csrf_token": _csrf(page.text),
            },
        )
        assert signed_in.status_code == 303, signed_in.text
        cookie = browser.cookies["podium_session"]
        home = browser.get("/")
        assert home.status_code == 200
        out = browser.post("/logout", data={"csrf_token": _csrf(home.text)})
        assert out.status_code == 303
    with httpx.Client(base_url=server.url, timeout=30) as thief:
        thief.cookies.set("podium_session", cookie)
        replayed = thief.get("/")
        assert replayed.status_code == 303 and replayed.headers["location"] == "/login"
