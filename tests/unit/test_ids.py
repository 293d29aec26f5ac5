"""Identifiers: a type prefix, 26 Crockford base32 characters, sortable by creation time."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from podium import ids
from podium.ids import new_id

BODY = re.compile(r"[0-9A-HJKMNP-TV-Z]{26}")


class FakeClock:
    """Stands in for the ``time`` module inside podium.ids."""

    def __init__(self, millis: int) -> None:
        self.nanos = millis * 1_000_000

    def time_ns(self) -> int:
        return self.nanos

    def advance(self, millis: int) -> None:
        self.nanos += millis * 1_000_000


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    fake = FakeClock(1_700_000_000_000)
    monkeypatch.setattr(ids, "time", fake)
    monkeypatch.setattr(ids, "_last", [0, 0])
    return fake


def test_id_starts_with_its_prefix_and_an_underscore() -> None:
    assert new_id("ord").startswith("ord_")
    assert new_id("shp").startswith("shp_")


def test_id_body_is_26_crockford_base32_characters() -> None:
    prefix, body = new_id("ord").split("_", 1)

    assert prefix == "ord"
    assert len(body) == 26
    assert BODY.fullmatch(body)


def test_id_length_is_the_prefix_plus_27() -> None:
    assert len(new_id("ord")) == len("ord") + 27
    assert len(new_id("evt_long")) == len("evt_long") + 27


def test_first_ten_characters_encode_the_millisecond(clock: FakeClock) -> None:
    body = new_id("ord").split("_", 1)[1]

    assert int_from_crockford(body[:10]) == 1_700_000_000_000


def test_ids_made_later_sort_after(clock: FakeClock) -> None:
    made = []
    for _ in range(200):
        made.append(new_id("ord"))
        clock.advance(1)

    assert sorted(made) == made


def test_ids_made_a_long_time_apart_still_sort_by_time(clock: FakeClock) -> None:
    first = new_id("ord")
    clock.advance(1000 * 60 * 60 * 24 * 365 * 30)

    assert new_id("ord") > first


def test_ids_made_in_the_same_millisecond_share_the_time_part(clock: FakeClock) -> None:
    a, b = new_id("ord"), new_id("ord")

    assert a[: 4 + 10] == b[: 4 + 10]
    assert a != b


def test_ids_made_now_sort_after_one_made_at_a_fixed_past_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(ids, "time", SimpleNamespace(time_ns=lambda: 1_600_000_000_000_000_000))
    past = new_id("ord")
    monkeypatch.undo()

    assert new_id("ord") > past


def test_ten_thousand_ids_are_unique() -> None:
    made = {new_id("ord") for _ in range(10_000)}

    assert len(made) == 10_000


def test_ten_thousand_ids_in_one_millisecond_are_unique(clock: FakeClock) -> None:
    made = {new_id("ord") for _ in range(10_000)}

    assert len(made) == 10_000


def int_from_crockford(text: str) -> int:
    alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
    value = 0
    for char in text:
        value = value * 32 + alphabet.index(char)
    return value


def test_ids_made_in_one_millisecond_still_sort_in_order(clock: FakeClock) -> None:
    made = [new_id("ord") for _ in range(500)]

    assert sorted(made) == made
    assert len(set(made)) == 500
