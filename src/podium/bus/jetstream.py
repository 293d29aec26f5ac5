"""Publishing to NATS JetStream (nats-py): each message awaits its PubAck, so the relay
counts an event delivered only once the stream has stored it. ``Nats-Msg-Id`` carries the
event id: JetStream drops a re-published event within the stream's duplicate window."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import nats
from nats.aio.client import Client
from nats.errors import MaxPayloadError
from nats.js import JetStreamContext
from nats.js.errors import BadRequestError, NotFoundError

from podium.bus.model import Message, redact

__all__ = ["NatsPublisher"]

log = logging.getLogger("podium.bus")


class NatsPublisher:
    def __init__(self, url: str, *, stream: str, prefix: str, timeout: float) -> None:
        self.url = url
        self.stream = stream
        self.prefix = prefix
        self.timeout = timeout
        self._nc: Client | None = None
        self._js: JetStreamContext | None = None
        self._stream_ok = False

    @property
    def connected(self) -> bool:
        return self._nc is not None and self._nc.is_connected

    async def connect(self) -> None:
        """Connect (unless connected) and make the stream if missing: ``<stream>`` over the
        subjects ``<prefix>.>``."""
        if self._nc is None or self._nc.is_closed:
            try:
                nc = await self._connect()
            except TimeoutError:
                raise ConnectionError(
                    f"no NATS server answered at {redact(self.url)} within {self.timeout:g} s"
                ) from None
            self._nc, self._js = nc, nc.jetstream(timeout=self.timeout)
            self._stream_ok = False
        if not self._stream_ok and self._js is not None:
            try:
                await self._js.stream_info(self.stream)
            except NotFoundError:
                try:
                    await self._js.add_stream(name=self.stream, subjects=[f"{self.prefix}.>"])
                    log.info("made JetStream stream %s over %s.>", self.stream, self.prefix)
                except BadRequestError:  # another process made it meanwhile?
                    await self._js.stream_info(self.stream)
            self._stream_ok = True

    async def _connect(self) -> Client:
        return await asyncio.wait_for(
            nats.connect(
                self.url,
                name="podium",
                connect_timeout=self.timeout,
                # A lost connection fails the pass (the relay retries its events) and the
                # next pass connects again: nothing waits in the client's own buffer.
                allow_reconnect=False,
                error_cb=_log_error,
                disconnected_cb=_log_disconnected,
            ),
            self.timeout,
        )

    async def send(self, m: Message) -> None:
        if self._js is None:
            raise RuntimeError("not connected")
        headers = {**m.headers(), "Nats-Msg-Id": m.event_id, "Content-Type": "application/json"}
        await self._js.publish(m.subject, m.body, timeout=self.timeout, headers=headers)

    async def reset(self) -> None:
        """After a failure: a closed connection is opened again next time, and the stream is
        looked for again (made again if someone deleted it)."""
        self._stream_ok = False
        if self._nc is not None and self._nc.is_closed:
            self._nc = self._js = None

    def refused(self, exc: BaseException) -> bool:
        """The server refused the message itself (too large, a bad request): not an outage."""
        return isinstance(exc, MaxPayloadError | BadRequestError)

    async def close(self) -> None:
        nc, self._nc, self._js = self._nc, None, None
        if nc is not None and not nc.is_closed:
            await nc.drain()


async def _log_error(exc: Exception) -> None:
    log.debug("NATS: %s", exc)


async def _log_disconnected(*_: Any) -> None:
    log.info("NATS: disconnected")
