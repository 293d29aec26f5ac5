"""Publishing to RabbitMQ (aio-pika): a durable topic exchange named ``<prefix>``, persistent
messages routed by event type, publisher confirms awaited for each message so the relay counts
an event delivered only once the broker has taken it. ``message_id`` carries the event id."""

from __future__ import annotations

import asyncio
import logging

import aio_pika
from aio_pika.abc import AbstractChannel, AbstractConnection, AbstractExchange
from aio_pika.exceptions import DeliveryError, PublishError

from podium.bus.model import Message

__all__ = ["AmqpPublisher"]

log = logging.getLogger("podium.bus")


class AmqpPublisher:
    def __init__(self, url: str, *, prefix: str, timeout: float) -> None:
        self.url = url
        self.prefix = prefix
        self.timeout = timeout
        self._connection: AbstractConnection | None = None
        self._channel: AbstractChannel | None = None
        self._exchange: AbstractExchange | None = None

    @property
    def connected(self) -> bool:
        return (
            self._connection is not None
            and not self._connection.is_closed
            and self._channel is not None
            and not self._channel.is_closed
        )

    async def connect(self) -> None:
        """Connect, open a confirming channel and declare the exchange (if missing)."""
        if self.connected:
            return
        await self.reset()
        connection = await asyncio.wait_for(
            aio_pika.connect(self.url, timeout=self.timeout, client_properties={"app": "podium"}),
            self.timeout,
        )
        try:
            channel = await connection.channel(publisher_confirms=True)
            exchange = await channel.declare_exchange(
                self.prefix, aio_pika.ExchangeType.TOPIC, durable=True
            )
        except Exception:
            await connection.close()
            raise
        self._connection, self._channel, self._exchange = connection, channel, exchange

    async def send(self, m: Message) -> None:
        if self._exchange is None:
            raise RuntimeError("not connected")
        await self._exchange.publish(
            aio_pika.Message(
                m.body,
                message_id=m.event_id,
                type=m.type,
                content_type="application/json",
                delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
                timestamp=m.created_at,
                app_id="podium",
                headers=dict(m.headers()),
            ),
            routing_key=m.type,
            mandatory=False,  # no queue bound yet is not a failure: the exchange drops it
            timeout=self.timeout,
        )

    async def reset(self) -> None:
        """After a failure: drop the connection; the next pass connects again."""
        connection = self._connection
        self._connection = self._channel = self._exchange = None
        if connection is not None and not connection.is_closed:
            try:
                await asyncio.wait_for(connection.close(), self.timeout)
            except Exception as exc:  # closing a broken connection may fail too
                log.debug("closing the AMQP connection: %s", exc)

    def refused(self, exc: BaseException) -> bool:
        """The broker nacked the message (a full queue's reject-publish policy…): not an outage."""
        return isinstance(exc, DeliveryError | PublishError)

    async def close(self) -> None:
        await self.reset()
