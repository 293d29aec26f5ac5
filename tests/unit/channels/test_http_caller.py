"""Calling platforms politely, over real HTTP against a tiny local server."""

from __future__ import annotations

from typing import Any

import pytest

from fakes.channels.base import FakeServer, Reply
from podium.channels.connector import PlatformError
from podium.channels.http import Bucket, Caller


class Flaky(FakeServer):
    def __init__(self, answers: list[int]) -> None:
        super().__init__()
        self.answers = answers

    def route(self, method: str, path: str, query: Any, headers: Any, body: bytes) -> Reply:
        status = self.answers.pop(0) if self.answers else 200
        extra = {"Retry-After": "0.01"} if status == 429 else None
        return Reply(status, {"status": status}, extra)


def test_429_with_retry_after_and_5xx_are_retried_until_success() -> None:
    waits: list[float] = []
    with Flaky([429, 503, 429]) as server:
        caller = Caller(sleep=waits.append)
        assert caller.send("GET", f"{server.url}/x").json() == {"status": 200}
        assert server.requests == 4
    assert waits[0] == pytest.approx(0.01) and caller.throttled == 2


def test_throttles_are_kept_per_channel_until_its_health_row_takes_them() -> None:
    with Flaky([429, 200, 429, 200, 429]) as server:
        caller = Caller(sleep=lambda _: None)
        caller.send("GET", f"{server.url}/x", channel="shop")
        caller.send("GET", f"{server.url}/x", channel="woo")
        caller.send("GET", f"{server.url}/x")  # a call for no channel in particular
    caller.note_throttled("shop")  # Shopify's THROTTLED answer, with a 200
    assert caller.throttled == 4
    assert caller.take_throttled("shop") == 2
    assert caller.take_throttled("shop") == 0  # taken once, recorded once
    assert caller.take_throttled("woo") == 1 and caller.take_throttled("amazon") == 0


def test_a_4xx_is_not_retried() -> None:
    with Flaky([401]) as server:
        with pytest.raises(PlatformError) as err:
            Caller(sleep=lambda _: None).send("GET", f"{server.url}/x")
        assert err.value.details["status"] == 401
        assert server.requests == 1


def test_the_caller_gives_up_when_waiting_would_exceed_its_budget() -> None:
    with Flaky([503] * 10) as server:
        with pytest.raises(PlatformError):
            Caller(attempts=10, max_wait=0.25, sleep=lambda _: None).send("GET", f"{server.url}/x")
        assert server.requests < 10


def test_a_bucket_makes_the_caller_wait_for_tokens() -> None:
    waits: list[float] = []
    bucket = Bucket(rate=10.0, burst=2.0)
    for _ in range(3):
        bucket.take(1, waits.append)
    assert waits and waits[0] == pytest.approx(0.1, abs=0.02)
