"""Carriers, pure: webhook signatures (EasyPost's published vector), EasyPost payloads, rate
shopping, the rate table and check-digited tracking numbers."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import SHARED
from podium.carriers.easypost import parse_rates, parse_tracker
from podium.carriers.model import (
    Rate,
    RateRequest,
    choose_rate,
    easypost_signature,
    valid_tracking_number,
    verify_easypost_signature,
    with_check_digit,
)
from podium.carriers.tablerate import TableRateCarrier, zone

EASYPOST = SHARED / "fixtures" / "channels" / "easypost"


def _fixture(name: str) -> bytes:
    path = EASYPOST / name
    if not path.exists():
        pytest.skip("shared/fixtures is not here")
    return path.read_bytes()


def test_the_published_easypost_test_vector_verifies_only_with_nfkd_and_the_exact_body() -> None:
    vector = json.loads(_fixture("webhook_hmac_test_vector_client_library_fixtures.json"))
    body = _fixture("webhook_event_tracker_updated_body.json").rstrip(b"\n")
    assert verify_easypost_signature(vector["secret"], body, vector["hmac_signature"])
    assert not verify_easypost_signature(vector["secret"], body + b"\n", vector["hmac_signature"])
    import hashlib
    import hmac

    raw_nfc = (
        "hmac-sha256-hex=" + hmac.new(vector["secret"].encode(), body, hashlib.sha256).hexdigest()
    )
    assert raw_nfc != vector["hmac_signature"]  # without NFKD it would not match


def test_our_own_signature_round_trips_and_refuses_tampering() -> None:
    body = b'{"description":"tracker.updated"}'
    sig = easypost_signature("s\u00e9cret", body)
    assert sig.startswith("hmac-sha256-hex=")
    assert verify_easypost_signature("se\u0301cret", body, sig)  # NFKD: é == e + ◌́
    assert not verify_easypost_signature("s\u00e9cret", body + b" ", sig)
    assert not verify_easypost_signature("s\u00e9cret", body, None)


def test_the_published_easypost_payloads_parse() -> None:
    shipment = json.loads(_fixture("shipment_create_response_with_rates.json"))
    rates = {r.service: r for r in parse_rates("ep", shipment)}
    assert rates["GroundAdvantage"].amount == 820
    assert rates["Express"].transit_days == 2
    assert rates["Priority"].ref == (
        "shp_a9b97f431c00435cb16ec2d6a14ed109:rate_e5b3aaafb00f48a4ab27d9f20a801b40"
    )
    stateless = json.loads(_fixture("rates_retrieve_stateless_response.json"))
    assert sorted(r.amount for r in parse_rates("ep", stateless)) == [820, 1101, 5120]
    tracker = parse_tracker(json.loads(_fixture("tracker_retrieve_response.json")))
    assert (tracker.tracking_number, tracker.status) == ("EZ1000000001", None)  # pre_transit
    assert "HOUSTON" in tracker.detail
    event = json.loads(_fixture("webhook_event_tracker_updated_body.json"))
    update = parse_tracker(event["result"])
    assert (update.tracking_number, update.status) == ("1", "in_transit")


def test_a_rate_with_an_unparseable_amount_is_left_out() -> None:
    shipment = {"id": "shp_1", "rates": [{"id": "r", "rate": "n/a", "currency": "USD"}]}
    assert parse_rates("ep", shipment) == []


@pytest.mark.parametrize(
    "junk",
    [
        {"rates": {"a": 1}},
        {"rates": ["x", 3, None]},
        {"tracking_details": "soon", "public_url": 7},
        {"tracking_details": [{"tracking_location": "Paris"}], "status": ["delivered"]},
        {"tracking_details": ["scan"]},
    ],
)
def test_strange_easypost_shapes_parse_to_nothing_rather_than_crash(junk: dict[str, Any]) -> None:
    assert parse_rates("ep", junk) == []
    tracking = parse_tracker(junk)
    assert tracking.status is None and tracking.public_url is None


def _rate(service: str, amount: int, days: int | None) -> Rate:
    return Rate("c", "C", service, amount, "USD", days)


rates_st = st.lists(
    st.builds(
        _rate,
        st.sampled_from(["a", "b", "c", "d"]),
        st.integers(1, 10_000),
        st.one_of(st.none(), st.integers(1, 9)),
    ),
    min_size=1,
    max_size=8,
)


@given(rates_st, st.one_of(st.none(), st.integers(0, 10)))
def test_rate_shopping_picks_the_cheapest_rate_that_arrives_in_time(
    rates: list[Rate], days: int | None
) -> None:
    today = date(2026, 11, 25)
    deliver_by = None if days is None else today + timedelta(days=days)
    chosen = choose_rate(rates, today, deliver_by)
    assert chosen is not None
    if deliver_by is None:
        assert chosen.amount == min(r.amount for r in rates)
        return
    assert days is not None
    on_time = [r for r in rates if r.transit_days is not None and r.transit_days <= days]
    if on_time:
        assert chosen in on_time
        assert chosen.amount == min(r.amount for r in on_time)
    else:
        known = [r.transit_days for r in rates if r.transit_days is not None]
        assert chosen.transit_days == (min(known) if known else None)


@given(st.integers(0, 10**12 - 1), st.integers(0, 12), st.integers(1, 9))
def test_a_tracking_number_with_one_wrong_digit_fails_its_check(
    number: int, position: int, delta: int
) -> None:
    tracking = with_check_digit("PD", number)
    assert valid_tracking_number(tracking)
    digits = list(tracking[2:])
    digits[position] = str((int(digits[position]) + delta) % 10)
    assert not valid_tracking_number("PD" + "".join(digits))


def test_the_rate_table_grows_with_distance_and_weight() -> None:
    east = {"postal_code": "07102", "country": "US"}
    assert zone(east, {"postal_code": "07030", "country": "US"}) == 1
    assert zone(east, {"postal_code": "98101", "country": "US"}) == 8
    assert zone(east, {"postal_code": "M5V", "country": "CA"}) == 8
    carrier = TableRateCarrier()

    def cost(zip_code: str, grams: int) -> dict[str, int]:
        request = RateRequest("1", "A", east, "B", {"postal_code": zip_code}, grams)
        return {r.service: r.amount for r in carrier.rates(request)}

    near, far, heavy = cost("07030", 400), cost("98101", 400), cost("98101", 4000)
    for service in ("ground", "two_day", "overnight"):
        assert near[service] < far[service] < heavy[service]
    assert near["ground"] < near["two_day"] < near["overnight"]
    bought = carrier.buy(RateRequest("1", "A", east, "B", {}, 1), _rate("ground", 1, 1))
    assert valid_tracking_number(bought.tracking_number)
