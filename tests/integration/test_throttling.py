"""Rate limits kept in the database: sign-in failures (per e-mail+address and per address) and
customer return requests (per address and per order number); forwarded addresses count only
from trusted proxies; every process sees the same counts."""

from __future__ import annotations

import time

import pytest
import sqlalchemy as sa
from dashboard_support import add_user, cheap_passwords, login
from fastapi import FastAPI
from fastapi.testclient import TestClient

from podium.api.app import create_app
from podium.bootstrap import Podium, bootstrap
from podium.config import Settings
from podium.db.tables import throttle_counters
from podium.geo.geocoder import default_geocoder
from podium.throttle.model import (
    LOGIN_PER_ACCOUNT,
    LOGIN_PER_ADDRESS,
    RETURNS_PER_ADDRESS,
    RETURNS_PER_ORDER,
)
from podium.throttle.service import KEEP_SECONDS, Throttle
from support import Api

WRONG = "not the password!"


@pytest.fixture
def app(api: Api) -> FastAPI:
    assert isinstance(api.client.app, FastAPI)
    return cheap_passwords(api.client.app)


def _client(app: FastAPI, address: str = "198.51.100.7") -> TestClient:
    return TestClient(app, client=(address, 40000))


def test_one_address_guessing_many_accounts_is_stopped(app: FastAPI, podium: Podium) -> None:
    add_user(podium, "ops@example.com", "operator")
    client = _client(app)
    codes = [
        login(client, f"user{i}@example.com", WRONG).status_code
        for i in range(LOGIN_PER_ADDRESS.limit)
    ]
    assert codes == [401] * LOGIN_PER_ADDRESS.limit
    refused = login(client, "ops@example.com")  # a new e-mail, even with the right password
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
    assert login(_client(app, "198.51.100.8"), "ops@example.com").status_code == 303


def test_every_process_counts_the_same_failures(app: FastAPI, podium: Podium) -> None:
    add_user(podium, "ops@example.com", "operator")
    other = cheap_passwords(create_app(podium, run_relay=False))  # a second process
    # The sliding-window estimate weighs the last window down as the next one goes on: start
    # early in a window, so a slow machine's failures all count in full (it flaked at :59).
    window = LOGIN_PER_ACCOUNT.window
    into = time.time() % window
    if into > window / 3:
        time.sleep(window - into)
    for i in range(LOGIN_PER_ACCOUNT.limit):
        target = app if i % 2 else other
        assert login(_client(target), "ops@example.com", WRONG).status_code == 401
    assert login(_client(app), "ops@example.com").status_code == 429
    assert login(_client(other), "ops@example.com").status_code == 429


def test_forwarded_for_counts_only_from_a_trusted_proxy(database_url: str) -> None:
    settings = Settings(database_url=database_url, trusted_proxies=("10.0.0.0/8",))
    podium = bootstrap(settings, geocoder=default_geocoder())
    try:
        app = cheap_passwords(create_app(podium, run_relay=False))
        add_user(podium, "ops@example.com", "operator")
        spoofer = _client(app, "203.0.113.5")
        for i in range(LOGIN_PER_ACCOUNT.limit):  # a new "address" each time: not believed
            spoofer.headers["X-Forwarded-For"] = f"192.0.2.{i}"
            assert login(spoofer, "ops@example.com", WRONG).status_code == 401
        spoofer.headers["X-Forwarded-For"] = "192.0.2.99"
        assert login(spoofer, "ops@example.com").status_code == 429
        proxy = _client(app, "10.1.2.3")  # a trusted proxy: what it forwards is the client
        proxy.headers["X-Forwarded-For"] = "203.0.113.5"
        assert login(proxy, "ops@example.com").status_code == 429
        proxy.headers["X-Forwarded-For"] = "192.0.2.200"
        assert login(proxy, "ops@example.com").status_code == 303
    finally:
        podium.close()


def test_old_windows_are_deleted_so_counters_do_not_pile_up(podium: Podium) -> None:
    now = [1_000_000.0]
    throttle = Throttle(podium.db, clock=lambda: now[0])
    for i in range(50):
        throttle.hit([(LOGIN_PER_ACCOUNT, f"user{i}|1.2.3.4")])
    now[0] += KEEP_SECONDS + 120
    throttle.hit([(LOGIN_PER_ACCOUNT, "fresh|1.2.3.4")])
    with podium.db.read() as conn:
        left = conn.execute(sa.select(sa.func.count()).select_from(throttle_counters)).scalar()
    assert left == 1


def test_a_successful_sign_in_clears_only_that_accounts_failures(
    app: FastAPI, podium: Podium
) -> None:
    add_user(podium, "ops@example.com", "operator")
    client = _client(app)
    for _ in range(LOGIN_PER_ACCOUNT.limit - 1):
        assert login(client, "ops@example.com", WRONG).status_code == 401
    assert login(client, "ops@example.com").status_code == 303
    for _ in range(LOGIN_PER_ACCOUNT.limit - 1):
        assert login(_client(app), "ops@example.com", WRONG).status_code == 401


def _return_body(number: str) -> dict[str, object]:
    return {
        "order_number": number,
        "email": "ann@example.com",
        "lines": [{"sku": "TEE", "quantity": 1, "reason": "other"}],
    }


def test_return_requests_for_one_order_number_are_limited_with_429(app: FastAPI) -> None:
    codes = []
    for i in range(RETURNS_PER_ORDER.limit + 1):  # each from another address
        r = _client(app, f"198.51.100.{i + 10}").post(
            "/api/v1/returns/request", json=_return_body("PD-100001")
        )
        codes.append(r.status_code)
    assert codes == [404] * RETURNS_PER_ORDER.limit + [429]
    error = r.json()["error"]
    assert error["code"] == "rate_limited" and error["details"]["retry_after"] >= 1
    assert int(r.headers["Retry-After"]) == error["details"]["retry_after"]
    other = _client(app).post("/api/v1/returns/request", json=_return_body("PD-100002"))
    assert other.status_code == 404


def test_return_requests_from_one_address_are_limited_across_order_numbers(
    app: FastAPI,
) -> None:
    client = _client(app, "198.51.100.99")
    codes = [
        client.post("/api/v1/returns/request", json=_return_body(f"PD-{100001 + i}")).status_code
        for i in range(RETURNS_PER_ADDRESS.limit + 1)
    ]
    assert codes == [404] * RETURNS_PER_ADDRESS.limit + [429]
    assert (
        _client(app, "198.51.100.98")
        .post("/api/v1/returns/request", json=_return_body("PD-200001"))
        .status_code
        == 404
    )
