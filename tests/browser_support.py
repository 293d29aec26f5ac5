"""What the browser tests share: Debian's chromium driven by Playwright, dashboard users made
straight in the server's database, signing in, and README screenshots on request."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher

from podium.db.database import Database
from podium.db.engine import build_engine
from podium.users.service import create_user

__all__ = ["ARGS", "CHROMIUM", "PASSWORD", "add_users", "needs_chromium", "screenshot", "sign_in"]

CHROMIUM = Path("/usr/bin/chromium")
PASSWORD = "correct horse battery"
SCREENSHOTS = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
# Cheap argon2 costs for users made by tests (the server re-hashes on sign-in).
_CHEAP = PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

needs_chromium = pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium")


def add_users(server: Any, **roles: str) -> None:
    """Dashboard users (role=e-mail) straight into the server's database."""
    db = Database(build_engine(server.database_url, pool_size=1))
    try:
        for role, email in roles.items():
            create_user(db, email, role, PASSWORD, hasher=_CHEAP)
    finally:
        db.dispose()


def sign_in(page: Any, url: str, email: str) -> None:
    page.goto(f"{url}/")
    assert "/login" in page.url  # signed out, every page leads to the sign-in
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{url}/")


def screenshot(page: Any, name: str) -> None:
    """A README screenshot under docs/screenshots, only when asked (PODIUM_SCREENSHOTS=1), so
    a test run leaves the tree as it found it."""
    if os.environ.get("PODIUM_SCREENSHOTS") == "1":
        page.screenshot(path=str(SCREENSHOTS / name), full_page=True)
