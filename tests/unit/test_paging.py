"""The one cursor format every list uses: round trips, and strict refusal of anything else."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from podium.errors import ValidationFailed
from podium.paging import MAX_CURSOR_CHARS, Position, decode_cursor, encode_cursor

SHAPES: list[tuple[type, ...]] = [(int,), (str,), (datetime, str), (int, str)]
ids = st.text(st.characters(exclude_categories=["Cc", "Cs"]), min_size=1, max_size=60)


def _raw(doc: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(doc).encode()).decode().rstrip("=")


def _refused(cursor: str, shape: tuple[type, ...]) -> ValidationFailed:
    with pytest.raises(ValidationFailed) as caught:
        decode_cursor(cursor, shape)
    assert caught.value.status == 422
    assert caught.value.code == "invalid_cursor"
    assert caught.value.details == {"field": "cursor"}
    return caught.value


@given(st.text(max_size=700), st.sampled_from(SHAPES))
def test_any_string_is_a_position_or_the_invalid_cursor_error(
    text: str, shape: tuple[type, ...]
) -> None:
    try:
        position = decode_cursor(text, shape)
    except ValidationFailed as refused:
        assert (refused.code, refused.details) == ("invalid_cursor", {"field": "cursor"})
    else:
        assert isinstance(position, Position) and len(position.key) == len(shape)


@given(st.integers(-(2**63), 2**63 - 1), st.booleans())
def test_an_id_cursor_round_trips_in_both_directions(value: int, backward: bool) -> None:
    position = decode_cursor(encode_cursor((value,), backward=backward), (int,))
    assert position == Position((value,), backward)


@given(st.datetimes(timezones=st.just(UTC)), ids, st.booleans())
def test_a_time_and_id_cursor_round_trips(at: datetime, key: str, backward: bool) -> None:
    cursor = encode_cursor((at, key), backward=backward)
    assert cursor.isascii() and "=" not in cursor and "/" not in cursor and "+" not in cursor
    assert decode_cursor(cursor, (datetime, str)) == Position((at, key), backward)


@given(st.datetimes())
def test_a_naive_time_is_taken_as_utc(at: datetime) -> None:
    position = decode_cursor(encode_cursor((at, "ord_1")), (datetime, str))
    assert position.key[0] == at.replace(tzinfo=UTC)


@pytest.mark.parametrize(
    "cursor",
    [
        "é",  # ?cursor=%C3%A9 was a 500 on GET /orders and GET /returns
        "9223372036854775808",  # a bare number beyond 2^63 was a 500 on movements
        "99999999999999999999",
        "¹",
        "!!",
        "a",  # one character: not even base64
        "x" * (MAX_CURSOR_CHARS + 1),
        _raw([1, "a", [2**63]]),  # beyond a BIGINT
        _raw([1, "a", [-(2**63) - 1]]),
        _raw([1, "a", [True]]),  # JSON true is not a number
        _raw([1, "a", [1.5]]),
        _raw([2, "a", [1]]),  # a version we do not know
        _raw([True, "a", [1]]),
        _raw([1, "sideways", [1]]),
        _raw([1, "a", [1, 2]]),  # the wrong number of parts
        _raw([1, "a", 1]),
        _raw({"v": 1}),
        _raw([1, "a", ["1"]]),  # a string where the list sorts by a number
    ],
)
def test_cursors_we_did_not_make_are_refused(cursor: str) -> None:
    _refused(cursor, (int,))


@pytest.mark.parametrize(
    "cursor",
    [
        _raw([1, "a", ["ord\u0000"]]),  # PostgreSQL refuses NUL in text: would be a 500
        _raw([1, "a", ["\ud800"]]),  # a lone surrogate cannot be sent to the database
        _raw([1, "a", ["x" * 201]]),
        _raw([1, "a", [7]]),
        base64.urlsafe_b64encode(b"\xff\xfe[1]").decode().rstrip("="),  # not UTF-8
        base64.urlsafe_b64encode(b"[" * 300).decode().rstrip("="),  # not JSON
    ],
)
def test_text_keys_must_be_plain_text(cursor: str) -> None:
    _refused(cursor, (str,))


def test_a_time_key_must_be_a_time() -> None:
    _refused(encode_cursor(("yesterday", "rma_1")), (datetime, str))
    _refused(encode_cursor((1999, "ord_1")), (datetime, str))
