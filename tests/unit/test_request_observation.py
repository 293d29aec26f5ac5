"""The request middleware on a bare ASGI app: the request id goes back in the response and
into the log context, and a request that blows up is still counted (as a 500)."""

from __future__ import annotations

import asyncio

import pytest
from starlette.types import Message, Receive, Scope, Send

from podium import logs, metrics
from podium.api.observe import Observe

seen: list[dict[str, str]] = []


async def _ok(scope: Scope, receive: Receive, send: Send) -> None:
    seen.append(logs.current())
    logs.bind(order_id="ord_1")
    await send({"type": "http.response.start", "status": 204, "headers": [(b"a", b"b")]})
    await send({"type": "http.response.body", "body": b""})


async def _boom(scope: Scope, receive: Receive, send: Send) -> None:
    raise RuntimeError("boom")


async def _receive() -> Message:
    return {"type": "http.request", "body": b""}


def _call(app: Observe, header: bytes | None, path: str = "/x") -> list[Message]:
    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    headers = [(b"x-request-id", header)] if header is not None else []
    scope: Scope = {"type": "http", "method": "GET", "path": path, "headers": headers}
    asyncio.run(app(scope, _receive, send))
    return sent


def _count(route: str, status: str) -> float:
    value = metrics.HTTP_REQUESTS.labels("GET", route, status)._value.get()
    return float(value)


def test_the_callers_request_id_is_returned_and_bound_while_the_handler_runs() -> None:
    seen.clear()
    sent = _call(Observe(_ok, access_log=False), b"lb-42")
    assert sent[0]["headers"] == [(b"a", b"b"), (b"x-request-id", b"lb-42")]
    assert seen == [{"request_id": "lb-42"}]
    assert logs.current() == {}  # nothing outlives the request


def test_an_insane_request_id_is_replaced_by_a_new_one() -> None:
    sent = _call(Observe(_ok, access_log=False), b"a b\r\nInjected: yes")
    given = dict(sent[0]["headers"])[b"x-request-id"]
    assert len(given) == 32 and given.isalnum()


def test_a_request_that_raises_is_counted_as_a_500_without_a_route() -> None:
    before = _count("unmatched", "500")
    with pytest.raises(RuntimeError):
        _call(Observe(_boom, access_log=True), None)
    assert _count("unmatched", "500") == before + 1
    assert logs.current() == {}
