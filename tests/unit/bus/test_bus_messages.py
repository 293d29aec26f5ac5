"""Events as bus messages: the webhook body, the subject, the dedupe id, per-aggregate groups."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from podium.bus.model import by_aggregate, check_message, kind_of, message, redact
from podium.events import Envelope
from podium.notify import delivery_body, encode_body

AT = datetime(2026, 12, 4, 18, 0, tzinfo=UTC)


def _envelope(event_id: int, aggregate_id: str = "ord_1", type_: str = "order.created") -> Envelope:
    payload = {"id": aggregate_id, "number": "100001", "status": "ready"}
    return Envelope(event_id, "order", aggregate_id, type_, payload, AT, attempt=1)


def test_a_message_carries_the_webhook_body_under_the_prefixed_subject() -> None:
    e = _envelope(4182)
    m = message(e, "podium.events")
    assert m.body == encode_body(
        delivery_body(4182, "order.created", "order", "ord_1", AT, e.payload)
    )
    assert (m.event_id, m.subject, m.type) == (
        "4182",
        "podium.events.order.created",
        "order.created",
    )
    assert m.headers() == {
        "Podium-Event-Id": "4182",
        "Podium-Event-Type": "order.created",
        "Podium-Aggregate-Type": "order",
        "Podium-Aggregate-Id": "ord_1",
    }


def test_messages_group_by_aggregate_keeping_their_order() -> None:
    ms = [message(_envelope(i, agg), "p") for i, agg in [(1, "a"), (2, "b"), (3, "a"), (4, "a")]]
    assert [[m.event_id for m in g] for g in by_aggregate(ms)] == [["1", "3", "4"], ["2"]]


def test_the_check_message_has_its_own_id_and_type() -> None:
    m = check_message("check-1", "podium.events", AT)
    assert (m.event_id, m.subject) == ("check-1", "podium.events.bus.check")


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("nats://127.0.0.1:4222", "nats"),
        ("tls://nats.example.com:4222", "nats"),
        ("amqp://guest:guest@127.0.0.1:5672/", "amqp"),
        ("AMQPS://rabbit.example.com/vhost", "amqp"),
    ],
)
def test_the_url_scheme_picks_the_broker(url: str, kind: str) -> None:
    assert kind_of(url) == kind


def test_another_scheme_is_refused_without_showing_the_password() -> None:
    with pytest.raises(ValueError, match="not a NATS or AMQP URL") as caught:
        kind_of("kafka://user:s3cret@broker:9092")
    assert "s3cret" not in str(caught.value)


def test_passwords_are_hidden_when_a_url_is_shown() -> None:
    assert (
        redact("amqp://guest:s3cret@127.0.0.1:5672/prod") == "amqp://guest:***@127.0.0.1:5672/prod"
    )
    assert redact("nats://s3cret@[::1]:4222") == "nats://***@[::1]:4222"  # a token
    assert redact("nats://u:p@[::1]:4222") == "nats://u:***@[::1]:4222"
    assert redact("nats://127.0.0.1:4222") == "nats://127.0.0.1:4222"
