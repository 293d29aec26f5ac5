"""Signing in to the dashboard from a TestClient, and reading its pages."""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from typing import Any

from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient

from podium.bootstrap import Podium
from podium.errors import Conflict
from podium.users.service import create_user

PASSWORD = "correct horse battery"
# Real argon2id, with costs low enough for tests (production uses RFC 9106's 64 MiB).
CHEAP = PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)


def cheap_passwords(app: FastAPI) -> FastAPI:
    app.state.dashboard.hasher = CHEAP
    return app


def add_user(podium: Podium, email: str, role: str) -> None:
    """Make the user unless it exists already."""
    with contextlib.suppress(Conflict):
        create_user(podium.db, email, role, PASSWORD, hasher=CHEAP)


_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    found = _CSRF.search(html)
    assert found, "no CSRF token on the page"
    return found.group(1)


@dataclass
class Browser:
    client: TestClient
    csrf: str

    def get(self, path: str, **kw: Any) -> Any:
        return self.client.get(path, follow_redirects=False, **kw)

    def post(
        self, path: str, data: dict[str, Any] | None = None, *, csrf: str | None = None, **kw: Any
    ) -> Any:
        body = {"csrf_token": self.csrf if csrf is None else csrf, **(data or {})}
        return self.client.post(path, data=body, follow_redirects=False, **kw)


def login(client: TestClient, email: str, password: str = PASSWORD) -> Any:
    page = client.get("/login")
    return client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )


def sign_in(app: FastAPI, podium: Podium, role: str) -> Browser:
    email = f"{role}@example.com"
    add_user(podium, email, role)
    client = TestClient(app, raise_server_exceptions=False)
    done = login(client, email)
    assert done.status_code == 303, done.text
    home = client.get("/")
    assert home.status_code == 200, home.text
    return Browser(client, csrf_of(home.text))
