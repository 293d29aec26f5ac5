"""Server-side dashboard sessions: sign-out, password changes, disabled users and "sign out
everywhere" end sessions at once, even for a copy of the cookie."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from dashboard_support import CHEAP, PASSWORD, Browser, cheap_passwords, csrf_of, login, sign_in
from fastapi import FastAPI
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from podium.bootstrap import Podium
from podium.cli import app as cli
from podium.db.database import utcnow
from podium.db.tables import user_sessions
from podium.users.service import create_user, disable_user
from podium.users.sessions import TOUCH_EVERY, check_session, start_session
from support import Api

NEW_PASSWORD = "a brand new passphrase"


@pytest.fixture
def app(api: Api) -> FastAPI:
    assert isinstance(api.client.app, FastAPI)
    return cheap_passwords(api.client.app)


def _replay(app: FastAPI, cookie: str) -> int:
    """What a browser holding a copy of ``cookie`` gets for the home page."""
    client = TestClient(app)
    client.cookies.set("podium_session", cookie)
    return int(client.get("/", follow_redirects=False).status_code)


def _second_browser(app: FastAPI, email: str, password: str = PASSWORD) -> Browser:
    client = TestClient(app)
    assert login(client, email, password).status_code == 303
    return Browser(client, csrf_of(client.get("/").text))


def test_signing_out_ends_the_session_even_for_a_copied_cookie(
    app: FastAPI, podium: Podium
) -> None:
    browser = sign_in(app, podium, "operator")
    cookie = browser.client.cookies["podium_session"]
    assert _replay(app, cookie) == 200
    assert browser.post("/logout").status_code == 303
    assert _replay(app, cookie) == 303
    with podium.db.read() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(user_sessions)).scalar() == 0


def test_only_a_hash_of_the_token_is_stored_with_where_and_when(
    app: FastAPI, podium: Podium, api: Api
) -> None:
    browser = sign_in(app, podium, "support")
    cookie = browser.client.cookies["podium_session"]
    with podium.db.read() as conn:
        (row,) = conn.execute(sa.select(user_sessions)).mappings().all()
    assert len(row["token_hash"]) == 64
    assert all(str(v) not in cookie for v in row.values() if v is not None and len(str(v)) > 20)
    user_id = row["user_id"]
    listed = api.ok("get", f"/users/{user_id}/sessions")["items"]
    assert [s["id"] for s in listed] == [row["id"]]
    assert listed[0]["ip"] == "testclient" and listed[0]["user_agent"] == "testclient"
    assert set(listed[0]) == {"id", "created_at", "last_seen_at", "expires_at", "user_agent", "ip"}


def test_changing_the_password_ends_every_other_session_but_this_one(
    app: FastAPI, podium: Podium
) -> None:
    here = sign_in(app, podium, "operator")
    there = _second_browser(app, "operator@example.com")
    wrong = here.post(
        "/account/password", {"current_password": "not my password", "new_password": NEW_PASSWORD}
    )
    assert wrong.status_code == 303
    assert "current password is wrong" in here.get("/account").text
    assert there.get("/").status_code == 200  # nothing changed
    done = here.post(
        "/account/password", {"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    )
    assert done.status_code == 303
    assert here.get("/account").status_code == 200
    assert there.get("/").status_code == 303
    assert login(TestClient(app), "operator@example.com").status_code == 401
    assert login(TestClient(app), "operator@example.com", NEW_PASSWORD).status_code == 303


def test_sign_out_everywhere_from_the_account_page_ends_all_sessions(
    app: FastAPI, podium: Podium
) -> None:
    here = sign_in(app, podium, "readonly")
    there = _second_browser(app, "readonly@example.com")
    page = here.get("/account").text
    assert page.count("<tr><td>") == 2 and "this browser" in page
    assert here.post("/account/sessions/revoke").headers["location"] == "/login"
    assert here.get("/").status_code == 303
    assert there.get("/").status_code == 303


def test_one_other_session_can_be_signed_out_from_the_list(app: FastAPI, podium: Podium) -> None:
    here = sign_in(app, podium, "readonly")
    there = _second_browser(app, "readonly@example.com")
    with podium.db.read() as conn:
        ids = list(conn.execute(sa.select(user_sessions.c.id)).scalars())
    page = here.get("/account").text
    other = next(i for i in ids if f"/account/sessions/{i}/revoke" in page)
    assert here.post(f"/account/sessions/{other}/revoke").status_code == 303
    assert there.get("/").status_code == 303 and here.get("/").status_code == 200
    assert here.post(f"/account/sessions/{other}/revoke").status_code == 303
    assert "No such session" in here.get("/account").text


def test_admins_sign_a_user_out_everywhere_from_the_api_cli_and_dashboard(
    app: FastAPI, podium: Podium, api: Api, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    victim = sign_in(app, podium, "warehouse")
    ended = api.ok("post", "/users/warehouse@example.com/sessions/revoke")
    assert ended == {"revoked": 1} and victim.get("/").status_code == 303
    assert api.post("/users/nobody@example.com/sessions/revoke").status_code == 404
    assert (
        api.post("/users/warehouse@example.com/sessions/revoke", role="operator").status_code == 403
    )

    victim = _second_browser(app, "warehouse@example.com")
    monkeypatch.setenv("PODIUM_DATABASE_URL", database_url)
    listed = CliRunner().invoke(cli, ["users", "sessions", "list", "warehouse@example.com"])
    assert listed.exit_code == 0 and "testclient" in listed.output
    revoked = CliRunner().invoke(cli, ["users", "sessions", "revoke", "warehouse@example.com"])
    assert revoked.exit_code == 0 and "1 session(s) ended" in revoked.output
    assert victim.get("/").status_code == 303

    victim = _second_browser(app, "warehouse@example.com")
    admin = sign_in(app, podium, "admin")
    target = next(u["id"] for u in api.ok("get", "/users")["items"] if u["email"].startswith("w"))
    assert "Sign warehouse@example.com out everywhere" in admin.get("/settings/users").text
    assert admin.post(f"/settings/users/{target}/sessions/revoke").status_code == 303
    assert victim.get("/").status_code == 303
    assert admin.get("/").status_code == 200


def test_an_admin_setting_a_password_ends_all_of_that_users_sessions(
    app: FastAPI, podium: Podium, api: Api
) -> None:
    victim = sign_in(app, podium, "support")
    weak = api.post("/users/support@example.com/password", {"password": "short"})
    assert weak.status_code == 422 and weak.json()["error"]["details"]["field"] == "password"
    assert victim.get("/").status_code == 200
    done = api.post("/users/support@example.com/password", {"password": NEW_PASSWORD})
    assert done.status_code == 200 and done.json() == {"revoked": 1}
    assert victim.get("/").status_code == 303


def test_disabling_a_user_deletes_every_session_of_theirs(app: FastAPI, podium: Podium) -> None:
    browser = sign_in(app, podium, "support")
    disable_user(podium.db, "support@example.com")
    with podium.db.read() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(user_sessions)).scalar() == 0
    assert browser.get("/").status_code == 303


def test_last_seen_is_written_at_most_once_a_minute_and_expiry_is_kept(podium: Podium) -> None:
    user = create_user(podium.db, "ann@example.com", "readonly", PASSWORD, hasher=CHEAP)
    start = utcnow()
    start_session(podium.db, user.id, "tok-1", timedelta(hours=12), now=start)

    def last_seen() -> object:
        with podium.db.read() as conn:
            return conn.execute(sa.select(user_sessions.c.last_seen_at)).scalar_one()

    first = last_seen()
    assert check_session(podium.db, user.id, "tok-1", now=start + timedelta(seconds=30))
    assert last_seen() == first
    assert check_session(podium.db, user.id, "tok-1", now=start + TOUCH_EVERY)
    assert last_seen() != first
    assert check_session(podium.db, user.id, "tok-1", now=start + timedelta(hours=12)) is None
    assert check_session(podium.db, "usr_other", "tok-1", now=start) is None
    assert check_session(podium.db, user.id, "tok-2", now=start) is None
