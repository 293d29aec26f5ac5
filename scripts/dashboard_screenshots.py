"""Screenshots of the dashboard's main pages for the README (docs/screenshots/*.png).

Seeds a demo day (``podium demo``) into a temporary SQLite database, serves it with
``podium serve``, signs in with Debian's chromium through Playwright and saves each page.

    .venv/bin/python scripts/dashboard_screenshots.py [--orders 400] [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from argon2 import PasswordHasher
from playwright.sync_api import sync_playwright

from podium.db.database import Database
from podium.db.engine import build_engine
from podium.users.service import create_user

ROOT = Path(__file__).resolve().parent.parent
PODIUM = Path(sys.executable).with_name("podium")
PASSWORD = "screenshots only"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--orders", type=int, default=400)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/demo.db"
        env = {**os.environ, "PODIUM_DATABASE_URL": url, "COLUMNS": "120"}
        subprocess.run([str(PODIUM), "demo", "--orders", str(args.orders)], env=env, check=True)
        db = Database(build_engine(url, pool_size=1))
        create_user(
            db,
            "ops@example.com",
            "admin",
            PASSWORD,
            hasher=PasswordHasher(time_cost=1, memory_cost=64, parallelism=1),
        )
        with db.read() as conn:
            held = conn.exec_driver_sql(
                "SELECT id FROM orders WHERE status = 'on_hold' ORDER BY placed_at DESC LIMIT 1"
            ).scalar_one_or_none()
            newest = conn.exec_driver_sql(
                "SELECT id FROM orders ORDER BY placed_at DESC LIMIT 1"
            ).scalar_one()
            sku = conn.exec_driver_sql(
                "SELECT sku FROM stock_movements GROUP BY sku ORDER BY count(*) DESC LIMIT 1"
            ).scalar_one()
        order_id = held or newest
        db.dispose()
        port = _port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [str(PODIUM), "serve", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            for _ in range(300):
                try:
                    if httpx.get(f"{base}/api/v1/health", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.1)
            with sync_playwright() as pw:
                browser = pw.chromium.launch(
                    executable_path="/usr/bin/chromium", headless=True, args=ARGS
                )
                page = browser.new_page(viewport={"width": 1280, "height": 860})
                page.goto(f"{base}/login")
                page.screenshot(path=str(args.out / "login.png"))
                page.get_by_label("E-mail").fill("ops@example.com")
                page.get_by_label("Password").fill(PASSWORD)
                page.get_by_role("button", name="Sign in").click()
                page.wait_for_url(f"{base}/")
                shots = {
                    "home": "/",
                    "orders": "/orders",
                    "order": f"/orders/{order_id}",
                    "inventory": "/inventory",
                    "sku": f"/inventory/{sku}",
                    "exceptions": "/exceptions",
                }  # warehouse.png, channels.png, settings-rules.png: the ops browser test
                for name, path in shots.items():
                    page.goto(f"{base}{path}")
                    page.screenshot(path=str(args.out / f"{name}.png"))
                    print(f"saved {name}.png")
                tablet = browser.new_page(viewport={"width": 820, "height": 1180})
                tablet.context.add_cookies(page.context.cookies())
                tablet.goto(f"{base}/warehouse")
                tablet.screenshot(path=str(args.out / "warehouse-tablet.png"))
                browser.close()
        finally:
            server.terminate()
            server.wait(15)
    return 0


if __name__ == "__main__":
    sys.exit(main())
