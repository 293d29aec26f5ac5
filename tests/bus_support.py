"""The real local brokers for the bus tests: NATS JetStream (PODIUM_TEST_NATS_URL) and
RabbitMQ (PODIUM_TEST_AMQP_URL), set by ``make test`` when the port answers (.ci/run requires
both). Each test publishes under a prefix and stream of its own and reads back what the broker
stored: the JetStream stream's messages, or a queue bound to the exchange before publishing."""

from __future__ import annotations

import asyncio
import json
import os
import uuid
from contextlib import suppress
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlsplit

import aio_pika
import nats
import pytest

from podium.bootstrap import Podium, bootstrap
from podium.config import Settings
from podium.geo.geocoder import default_geocoder

URLS = {
    "nats": os.environ.get("PODIUM_TEST_NATS_URL", "").strip(),
    "amqp": os.environ.get("PODIUM_TEST_AMQP_URL", "").strip(),
}
BROKERS = [
    pytest.param(
        kind,
        marks=pytest.mark.skipif(not url, reason=f"PODIUM_TEST_{kind.upper()}_URL is not set"),
    )
    for kind, url in URLS.items()
]


def target(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    return parts.hostname or "127.0.0.1", parts.port or (4222 if parts.scheme == "nats" else 5672)


def via(url: str, port: int) -> str:
    """The broker URL with its host and port replaced by 127.0.0.1:<port> (a TcpProxy)."""
    parts = urlsplit(url)
    auth = parts.netloc.rpartition("@")[0]
    return parts._replace(
        netloc=f"{auth}@127.0.0.1:{port}" if auth else f"127.0.0.1:{port}"
    ).geturl()


@dataclass
class Received:
    """One message as the broker stored it: its dedupe id, event id header, body."""

    dedupe_id: str | None
    headers: dict[str, Any]
    body: dict[str, Any]
    persistent: bool = True


class Sink:
    """What a consumer of one test's prefix gets. Make it before publishing (RabbitMQ drops
    what no queue is bound for); ``close`` removes the stream or queue and exchange."""

    def __init__(self, kind: str, url: str) -> None:
        self.kind = kind
        self.url = url
        tag = uuid.uuid4().hex[:10]
        self.prefix = f"podiumtest{tag}.events"
        self.stream = f"PODIUM_TEST_{tag}"
        self.queue = f"podium-test-{tag}"
        if kind == "amqp":
            asyncio.run(self._amqp_bind())

    def settings(self, base: Settings, url: str | None = None) -> Settings:
        return replace(
            base,
            bus_url=url or self.url,
            bus_prefix=self.prefix,
            bus_stream=self.stream,
            bus_timeout_seconds=1.0,
        )

    def read(self) -> list[Received]:
        return asyncio.run(self._nats_read() if self.kind == "nats" else self._amqp_read())

    def close(self) -> None:
        asyncio.run(self._nats_delete() if self.kind == "nats" else self._amqp_delete())

    async def _nats_read(self) -> list[Received]:
        nc = await nats.connect(self.url)
        try:
            js = nc.jetstream()
            try:
                state = (await js.stream_info(self.stream)).state
            except nats.js.errors.NotFoundError:
                return []
            out = []
            for seq in range(state.first_seq, state.last_seq + 1):
                m = await js.get_msg(self.stream, seq)
                headers = dict(m.headers or {})
                out.append(Received(headers.get("Nats-Msg-Id"), headers, json.loads(m.data or b"")))
            return out
        finally:
            await nc.close()

    async def _nats_delete(self) -> None:
        nc = await nats.connect(self.url)
        try:
            with suppress(nats.js.errors.NotFoundError):
                await nc.jetstream().delete_stream(self.stream)
        finally:
            await nc.close()

    async def _amqp_bind(self) -> None:
        async with await aio_pika.connect(self.url) as conn:
            channel = await conn.channel()
            exchange = await channel.declare_exchange(
                self.prefix, aio_pika.ExchangeType.TOPIC, durable=True
            )
            queue = await channel.declare_queue(self.queue, durable=True)
            await queue.bind(exchange, "#")

    async def _amqp_read(self) -> list[Received]:
        out = []
        async with await aio_pika.connect(self.url) as conn:
            queue = await (await conn.channel()).get_queue(self.queue)
            while (m := await queue.get(no_ack=True, fail=False)) is not None:
                out.append(
                    Received(
                        m.message_id,
                        {**m.headers, "type": m.type, "routing_key": m.routing_key},
                        json.loads(m.body),
                        m.delivery_mode == aio_pika.DeliveryMode.PERSISTENT,
                    )
                )
        return out

    async def _amqp_delete(self) -> None:
        async with await aio_pika.connect(self.url) as conn:
            channel = await conn.channel()
            await channel.queue_delete(self.queue)
            await channel.exchange_delete(self.prefix)


def bus_podium(database_url: str, sink: Sink, url: str | None = None) -> Podium:
    """A Podium publishing to the sink's prefix (through ``url``, a proxy, when given), its
    relay run by the test (``podium.relay.run_once()``); failed events are due again soon."""
    base = Settings(database_url=database_url, relay_backoff_seconds=0.01)
    return bootstrap(sink.settings(base, url), geocoder=default_geocoder())
