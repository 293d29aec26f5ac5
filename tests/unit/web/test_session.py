"""Signed sessions and CSRF tokens (pure)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from podium.web.session import (
    SESSION_SECONDS,
    csrf_matches,
    new_session,
    read_session,
    session_token,
    sign,
    unsign,
)

SECRET = "s3cret-for-tests"


def test_a_signed_session_reads_back() -> None:
    session = new_session("usr_1", 1000.0)
    token = session_token(session, SECRET)
    assert read_session(token, SECRET, 1001.0) == session


def test_a_session_signed_with_another_key_is_refused() -> None:
    token = session_token(new_session("usr_1", 1000.0), "other key")
    assert read_session(token, SECRET, 1001.0) is None


def test_an_expired_or_future_session_is_refused() -> None:
    token = session_token(new_session("usr_1", 1000.0), SECRET)
    assert read_session(token, SECRET, 1000.0 + SESSION_SECONDS) is None
    assert read_session(token, SECRET, 999.0) is None


@given(st.text(max_size=200))
def test_garbage_never_reads_as_a_session(token: str) -> None:
    assert read_session(token, SECRET, 1000.0) is None


@given(st.dictionaries(st.text(max_size=5), st.integers()), st.integers(0, 60), st.characters())
def test_changing_any_character_breaks_the_signature(
    payload: dict[str, int], position: int, char: str
) -> None:
    token = sign(payload, SECRET)
    assert unsign(token, SECRET) == payload
    i = position % len(token)
    tampered = token[:i] + char + token[i + 1 :]
    if tampered != token:
        assert unsign(tampered, SECRET) is None


def test_csrf_must_match_the_sessions_token() -> None:
    session = new_session("usr_1", 1000.0)
    assert csrf_matches(session, session.csrf)
    first = "y" if session.csrf[0] == "x" else "x"
    assert not csrf_matches(session, first + session.csrf[1:])
    assert not csrf_matches(session, "")
    assert not csrf_matches(session, None)
    assert not csrf_matches(None, session.csrf)
    assert new_session("usr_1", 1000.0).csrf != session.csrf


def test_a_session_carries_a_fresh_random_token_for_its_server_side_record() -> None:
    first, second = new_session("usr_1", 1000.0), new_session("usr_1", 1000.0)
    assert len(first.token) >= 40 and first.token != second.token
    assert read_session(session_token(first, SECRET), SECRET, 1001.0) == first


def test_a_cookie_without_a_session_token_is_refused() -> None:
    old_style = sign({"u": "usr_1", "c": "csrf", "t": 1000}, SECRET)
    assert read_session(old_style, SECRET, 1001.0) is None
