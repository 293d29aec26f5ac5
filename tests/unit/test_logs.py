"""Structured logs: masking secrets and personal data, request ids, JSON and text lines."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from podium import logs

STRIPE_TEST_CARD = "4242 4242 4242 4242"


def test_api_keys_and_bearer_tokens_are_masked() -> None:
    line = logs.redact("auth failed for Bearer pdm_0a1b2c3d4e5f_Zm9vYmFyYmF6cXV4 from 10.0.0.1")
    assert "Zm9vYmFyYmF6cXV4" not in line
    assert "10.0.0.1" in line
    assert "[redacted]" in logs.redact("Authorization: Bearer abcdefghijklmnop")
    assert "abcdefghijklmnop" not in logs.redact("Authorization: Bearer abcdefghijklmnop")


def test_secret_named_values_are_masked_whatever_the_syntax() -> None:
    for text in (
        "password=hunter22 user=ann",
        'consumer_secret: "cs_live_123456"',
        "smtp_password='s3cret!' port=25",
        "GET /wc/v3/products?consumer_key=ck_1&consumer_secret=cs_2&x=1",
        '{"api_key": "k-123", "sku": "TEE"}',
    ):
        masked = logs.redact(text)
        for secret in ("hunter22", "cs_live_123456", "s3cret!", "cs_2", "k-123"):
            assert secret not in masked, masked
    assert "user=ann" in logs.redact("password=hunter22 user=ann")
    assert '"sku": "TEE"' in logs.redact('{"api_key": "k-123", "sku": "TEE"}')


def test_passwords_in_urls_are_masked() -> None:
    masked = logs.redact("connecting to postgresql://podium:topsecret@db:5432/podium")
    assert "topsecret" not in masked
    assert "postgresql://podium:[redacted]@db:5432/podium" in masked


def test_email_addresses_keep_only_their_first_letter_and_domain() -> None:
    assert logs.redact("mail to ann.example@shop.test bounced") == "mail to a***@shop.test bounced"


def test_card_numbers_keep_their_last_four_digits_but_other_numbers_stay() -> None:
    assert logs.redact(f"card {STRIPE_TEST_CARD} declined") == "card ************4242 declined"
    assert logs.redact("card 4111-1111-1111-1111") == "card ************1111"
    # Not a card (fails the Luhn check): order numbers, timestamps, ids stay readable.
    assert logs.redact("order 1234567890123 shipped") == "order 1234567890123 shipped"
    assert logs.redact("PD-100001 qty 3") == "PD-100001 qty 3"


def test_a_sane_request_id_is_kept_and_anything_else_replaced() -> None:
    assert logs.request_id_from("req-42.a:b") == "req-42.a:b"
    assert logs.request_id_from(b"0f3a9c") == "0f3a9c"
    for bad in (None, "", "x" * 129, "evil\nlevel=error", "spaces here", "-leading"):
        made = logs.request_id_from(bad)
        assert made != bad and len(made) == 32 and made.isalnum()
    assert logs.request_id_from(None) != logs.request_id_from(None)


def test_bind_reaches_the_request_context_but_not_a_thread_without_one() -> None:
    logs.bind(order_id="ord_1")  # no scope: nothing to bind to, nothing leaks
    assert logs.current() == {}
    with logs.scope(request_id="r1") as ctx:
        logs.bind(order_id="ord_2", channel="web", ignored=None)
        assert ctx == {"request_id": "r1", "order_id": "ord_2", "channel": "web"}
    assert logs.current() == {}


@pytest.fixture(autouse=True)
def restored_logging() -> Iterator[None]:
    """``configure`` changes the root logger: put it back for the tests that follow."""
    root = logging.getLogger()
    level = root.level
    yield
    for h in [h for h in root.handlers if getattr(h, "_podium_handler", False)]:
        root.removeHandler(h)
    root.setLevel(level)


@pytest.fixture
def captured() -> io.StringIO:
    stream = io.StringIO()
    logs.configure("json", "INFO", stream)
    return stream


def test_json_lines_carry_the_context_extras_and_masked_message(captured: io.StringIO) -> None:
    with logs.scope(request_id="r-7", order_id="ord_9", channel="shop"):
        logging.getLogger("podium.test").warning(
            "customer %s paid with %s", "ann@shop.test", STRIPE_TEST_CARD, extra={"token": "t0k"}
        )
    line = json.loads(captured.getvalue().strip())
    assert line["level"] == "warning" and line["logger"] == "podium.test"
    assert line["msg"] == "customer a***@shop.test paid with ************4242"
    assert (line["request_id"], line["order_id"], line["channel"]) == ("r-7", "ord_9", "shop")
    assert line["token"] == "[redacted]"
    assert line["ts"].endswith("+00:00")


def test_a_traceback_is_one_json_line_and_masked(captured: io.StringIO) -> None:
    try:
        raise RuntimeError("login failed: password=opensesame")
    except RuntimeError:
        logging.getLogger("podium.test").exception("boom")
    lines = captured.getvalue().strip().splitlines()
    assert len(lines) == 1
    line = json.loads(lines[0])
    assert "RuntimeError" in line["exc"] and "opensesame" not in line["exc"]


def test_text_format_is_readable_with_context_after_the_message() -> None:
    stream = io.StringIO()
    logs.configure("text", "INFO", stream)
    with logs.scope(request_id="r-8"):
        logging.getLogger("podium.test").info("hello %s", "bob@example.com")
    text = stream.getvalue()
    assert "INFO    podium.test: hello b***@example.com  request_id=r-8" in text


def test_auto_format_is_json_when_the_stream_is_not_a_terminal() -> None:
    stream = io.StringIO()
    logs.configure("auto", "INFO", stream)
    logging.getLogger("podium.test").info("x")
    assert json.loads(stream.getvalue())["msg"] == "x"
    with pytest.raises(ValueError, match="log format"):
        logs.configure("xml")


def test_extras_named_like_secrets_are_masked_whatever_their_type(captured: io.StringIO) -> None:
    logging.getLogger("podium.test").info(
        "paid", extra={"cvv": 123, "amount": 12, "card": {"number": STRIPE_TEST_CARD}}
    )
    line = json.loads(captured.getvalue())
    assert line["cvv"] == "[redacted]" and line["amount"] == 12
    assert line["card"] == {"number": "************4242"}
