"""New API keys and users get the least privilege (readonly) unless a role is named; the
first-start admin key stays admin."""

from __future__ import annotations

import pytest
from dashboard_support import PASSWORD, cheap_passwords, sign_in
from fastapi import FastAPI
from typer.testing import CliRunner

from podium.bootstrap import Podium
from podium.cli import app as cli
from support import Api


def test_a_key_made_over_the_api_without_a_role_is_readonly(api: Api) -> None:
    made = api.post("/keys", {"name": "erp"})
    assert made.status_code == 201, made.text
    assert made.json()["role"] == "readonly"
    headers = {"Authorization": f"Bearer {made.json()['key']}"}
    refused = api.client.post("/api/v1/channels", json={"code": "x"}, headers=headers)
    assert refused.status_code == 403


def test_a_user_made_over_the_api_without_a_role_is_readonly(api: Api) -> None:
    made = api.post("/users", {"email": "new@example.com", "password": PASSWORD})
    assert made.status_code == 201, made.text
    assert made.json()["role"] == "readonly"


def test_the_cli_makes_readonly_keys_and_users_unless_told(
    api: Api, podium: Podium, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PODIUM_DATABASE_URL", database_url)
    runner = CliRunner()
    made = runner.invoke(cli, ["keys", "create", "--name", "report"])
    assert made.exit_code == 0, made.output
    user = runner.invoke(
        cli, ["users", "create", "--email", "cli@example.com", "--password", PASSWORD]
    )
    assert user.exit_code == 0, user.output
    roles = {k["name"]: k["role"] for k in api.ok("get", "/keys")["items"]}
    assert roles["report"] == "readonly"
    users = {u["email"]: u["role"] for u in api.ok("get", "/users")["items"]}
    assert users["cli@example.com"] == "readonly"


def test_the_dashboard_forms_preselect_readonly(podium: Podium, api: Api) -> None:
    assert isinstance(api.client.app, FastAPI)
    admin = sign_in(cheap_passwords(api.client.app), podium, "admin")
    for path in ("/settings/keys", "/settings/users"):
        page = admin.get(path).text
        assert '<option value="readonly" selected>' in page
        assert '<option value="admin" selected>' not in page
