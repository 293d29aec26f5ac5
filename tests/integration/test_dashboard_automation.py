"""Settings → Automation rules over HTTP on both engines: the rule set in words, JSON edits
checked as the API checks them (the rule and field named, nothing saved), the dry run before
saving, versions and rollback; only admins change anything."""

from __future__ import annotations

import json
from typing import Any

import pytest
from dashboard_support import cheap_passwords, sign_in
from fastapi import FastAPI

from podium.bootstrap import Podium
from support import Api, order_body, seed_store

PATH = "/settings/automation-rules"
RULES: dict[str, Any] = {
    "rules": [
        {
            "name": "big orders",
            "trigger": "order.placed",
            "when": {"all": [{"field": "total", "op": ">=", "value": "100.00"}]},
            "then": [{"action": "add_tag", "tag": "big"}, {"action": "hold", "reason": "manual"}],
        }
    ]
}


@pytest.fixture
def app(podium: Podium, api: Api) -> FastAPI:
    seed_store(api, {("TEE", "EAST"): 20})
    assert isinstance(api.client.app, FastAPI)
    return cheap_passwords(api.client.app)


def _versions(api: Api) -> list[int]:
    return [v["version"] for v in api.ok("get", "/automation/rules/history")["items"]]


def test_the_rules_read_as_words_for_every_role(app: FastAPI, podium: Podium, api: Api) -> None:
    admin = sign_in(app, podium, "admin")
    assert "No automation rules" in admin.get(PATH).text
    assert admin.post(PATH, {"rules": json.dumps(RULES), "note": "first"}).status_code == 303
    reader = sign_in(app, podium, "readonly")
    page = reader.get(PATH).text
    assert 'aria-current="page">Automation rules' in page
    assert "1. big orders" in page and "on order.placed" in page
    assert "all of (total &gt;= 100.00)" in page
    assert "add_tag (tag big); hold (reason manual)" in page
    assert "<textarea" not in page and "/rollback" not in page


def test_a_bad_rule_set_names_the_rule_and_field_and_saves_nothing(
    app: FastAPI, podium: Podium, api: Api
) -> None:
    admin = sign_in(app, podium, "admin")
    bad = {"rules": [{**RULES["rules"][0], "trigger": "order.lost"}]}
    response = admin.post(PATH, {"rules": json.dumps(bad)})
    assert response.status_code == 422
    assert "rule 0 (&#39;big orders&#39;), trigger" in response.text
    assert 'aria-invalid="true"' in response.text
    assert admin.post(PATH, {"rules": "{"}).status_code == 422
    assert _versions(api) == [0]


def test_the_dry_run_shows_what_the_edit_would_do_before_saving(
    app: FastAPI, podium: Podium, api: Api
) -> None:
    big = api.ok("post", "/orders", order_body([("TEE", 6)], external_id="b"))
    api.ok("post", "/orders", order_body([("TEE", 1)], external_id="s"))
    admin = sign_in(app, podium, "admin")
    page = admin.post(f"{PATH}/test", {"rules": json.dumps(RULES), "last": "10"}).text
    assert "1 of 2 order(s) would be touched." in page
    assert big["number"] in page and "add_tag(tag=big); hold(reason=manual)" in page
    assert _versions(api) == [0]
    assert api.ok("get", f"/orders/{big['id']}")["tags"] == []


def test_rollback_and_only_admins_change_rules(app: FastAPI, podium: Podium, api: Api) -> None:
    admin = sign_in(app, podium, "admin")
    admin.post(PATH, {"rules": json.dumps(RULES)})
    admin.post(PATH, {"rules": json.dumps({"rules": []})})
    assert admin.post(f"{PATH}/rollback", {"version": "1"}).status_code == 303
    assert api.ok("get", "/automation/rules")["rule_set"] == RULES | {
        "rules": [{**RULES["rules"][0]}]
    }
    assert _versions(api) == [3, 2, 1, 0]
    for role in ("operator", "readonly"):
        browser = sign_in(app, podium, role)
        assert browser.post(PATH, {"rules": json.dumps(RULES)}).status_code == 403
        assert browser.post(f"{PATH}/rollback", {"version": "0"}).status_code == 403
    assert _versions(api) == [3, 2, 1, 0]
