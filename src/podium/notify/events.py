"""The events notify emits (registered in the catalogue on import)."""

from __future__ import annotations

from dataclasses import dataclass

from podium.events import Event

__all__ = ["WebhookPing"]


@dataclass(frozen=True, kw_only=True)
class WebhookPing(Event, type="webhook.ping", aggregate="webhook", webhook=False):
    """Sent on request to one subscription alone, whatever its event types, to try the
    receiver (``POST /api/v1/webhooks/{id}/ping``)."""

    subscription_id: str

    def aggregate_id(self) -> str:
        return self.subscription_id
