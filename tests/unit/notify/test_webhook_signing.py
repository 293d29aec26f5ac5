"""Webhook rules: the signature recipe, target URLs, event types, the pause policy."""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from podium.errors import ValidationFailed
from podium.notify.model import (
    PausePolicy,
    check_event_types,
    matches,
    signature_header,
    verify,
)
from podium.outbound import check_url

SECRET = "whsec_test"


def test_the_signature_is_hmac_sha256_over_timestamp_dot_body() -> None:
    body = b'{"id":"1","type":"order.created"}'
    header = signature_header(SECRET, 1700000000, body)
    expected = hmac.new(SECRET.encode(), b"1700000000." + body, hashlib.sha256).hexdigest()
    assert header == f"t=1700000000,v1={expected}"


@given(body=st.binary(max_size=300), timestamp=st.integers(1, 2**33))
def test_a_signed_body_verifies_and_any_change_does_not(body: bytes, timestamp: int) -> None:
    header = signature_header(SECRET, timestamp, body)
    assert verify(SECRET, header, body, now=timestamp)
    assert not verify(SECRET, header, body + b" ", now=timestamp)
    assert not verify("whsec_other", header, body, now=timestamp)


def test_an_old_or_future_timestamp_is_refused() -> None:
    header = signature_header(SECRET, 1000, b"{}")
    assert verify(SECRET, header, b"{}", now=1000 + 300)
    assert not verify(SECRET, header, b"{}", now=1000 + 301)
    assert not verify(SECRET, header, b"{}", now=1000 - 301)


def test_a_malformed_header_does_not_verify() -> None:
    assert not verify(SECRET, "", b"{}", now=1)
    assert not verify(SECRET, "v1=abc", b"{}", now=1)
    assert not verify(SECRET, "t=x,v1=abc", b"{}", now=1)


@pytest.mark.parametrize(
    "url",
    ["ftp://example.com/x", "example.com/hook", "http://", "https://user:pw@example.com/", "x"],
)
def test_only_absolute_http_urls_without_credentials_are_accepted(url: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        check_url(url, allow_private=True)
    assert caught.value.code == "invalid_url"
    assert caught.value.details == {"field": "url"}


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080/h",
        "http://localhost/h",
        "https://10.1.2.3/h",
        "http://192.168.0.10/h",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/h",
        "http://[::ffff:127.0.0.1]/h",
        "http://db.internal/h",
    ],
)
def test_private_and_loopback_targets_are_refused_unless_allowed(url: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        check_url(url, allow_private=False)
    assert caught.value.code == "private_url"
    assert check_url(url, allow_private=True) == url


def test_public_targets_are_accepted() -> None:
    assert check_url("https://hooks.example.com/podium", allow_private=False)
    assert check_url("http://93.184.216.34:8443/x", allow_private=False)


def test_event_types_are_known_names_families_or_everything() -> None:
    assert check_event_types(["order.created", "order.*", "order.created"]) == [
        "order.*",
        "order.created",
    ]
    assert check_event_types(["*"]) == ["*"]
    for bad in (["order.made"], ["nonsense.*"], [], ["ORDER.CREATED"]):
        with pytest.raises(ValidationFailed) as caught:
            check_event_types(bad)
        assert caught.value.code == "invalid_event_type"


def test_a_subscription_matches_by_name_family_or_star() -> None:
    assert matches(["order.created"], "order.created")
    assert not matches(["order.created"], "order.cancelled")
    assert matches(["shipment.*"], "shipment.delivered")
    assert not matches(["shipment.*"], "order.shipped")
    assert matches(["*"], "inventory.changed")


def test_pausing_needs_enough_failures_over_enough_time() -> None:
    policy = PausePolicy(failures=5, seconds=600)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    assert not policy.should_pause(4, start, start + timedelta(hours=5))
    assert not policy.should_pause(50, start, start + timedelta(seconds=599))
    assert policy.should_pause(5, start, start + timedelta(seconds=600))
    assert not policy.should_pause(5, None, start)


def test_during_a_rotation_either_secret_verifies() -> None:
    header = signature_header("whsec_new", 1000, b"{}", "whsec_old")
    assert header.count(",v1=") == 2
    assert verify("whsec_new", header, b"{}", now=1000)
    assert verify("whsec_old", header, b"{}", now=1000)
    assert not verify("whsec_other", header, b"{}", now=1000)
