"""Settings → Routing rules over HTTP on both engines: the rule set shown readably, JSON edits
checked by the API's model (mistakes name the field and save nothing), versions, rollback; only
admins change anything."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from dashboard_support import cheap_passwords, sign_in
from fastapi import FastAPI

from podium.bootstrap import Podium
from podium.routing.rules import DEFAULT_RULES
from support import Api, order_body, seed_store

PATH = "/settings/routing-rules"


@pytest.fixture
def app(podium: Podium, api: Api) -> FastAPI:
    seed_store(api, {("TEE", "EAST"): 5})
    assert isinstance(api.client.app, FastAPI)
    return cheap_passwords(api.client.app)


def _rules(**change: Any) -> dict[str, Any]:
    body: dict[str, Any] = DEFAULT_RULES.model_dump(mode="json", exclude_none=True)
    body["rules"] = [
        {"name": "east-first", "locations": {"warehouses": ["EAST"]}, "action": "allocate_whole"},
        *body["rules"],
    ]
    body.update(change)
    return body


def _versions(api: Api) -> list[int]:
    return [v["version"] for v in api.ok("get", "/routing/rules/history")["items"]]


def test_the_active_rule_set_reads_as_sentences_for_every_role(
    app: FastAPI, podium: Podium
) -> None:
    browser = sign_in(app, podium, "readonly")
    page = browser.get(PATH).text
    assert 'aria-current="page">Routing rules' in page
    assert "Routing rules, version 0" in page and "built-in default" in page
    assert "2.50 USD per extra parcel" in page
    assert "1. whole-order-on-time" in page and "allocate whole" in page
    assert "cost to go → stock balance → distance" in page
    assert "<textarea" not in page and "/rollback" not in page  # reading only


def test_an_admin_saves_a_rule_set_that_the_api_then_routes_by(
    app: FastAPI, podium: Podium, api: Api
) -> None:
    admin = sign_in(app, podium, "admin")
    page = admin.get(PATH).text
    shown = re.search(r'<textarea id="rules-json"[^>]*>(.*?)</textarea>', page, re.S)
    assert shown and json.loads(shown.group(1).replace("&#34;", '"').replace("&quot;", '"'))
    done = admin.post(
        PATH,
        {"rules": json.dumps(_rules(split_penalty="4.00")), "note": "EAST ships what it can"},
    )
    assert done.status_code == 303 and done.headers["location"] == PATH
    active = api.ok("get", "/routing/rules")
    assert active["version"] == 1 and active["note"] == "EAST ships what it can"
    assert active["rule_set"]["rules"][0]["name"] == "east-first"
    assert active["rule_set"]["split_penalty"] == "4.00"
    page = admin.get(PATH).text
    assert "Routing rules version 1 is active (4 rules)." in page
    assert "1. east-first" in page and "4.00 USD per extra parcel" in page
    history = re.findall(r'<td class="num">(\d+)', page.split('id="history"')[1])
    assert history == ["1", "0"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"rules": [', "Not valid JSON: Expecting value at line 1, column 12."),
        (
            json.dumps(_rules(rules=[{"name": "x", "sort": ["fastest"]}])),
            "rules.0.sort.0 (rule 1, x): Input should be",
        ),
        (
            json.dumps(_rules(rules=[{"name": "a"}, {"name": "b", "action": "hold"}])),
            "rules.1 (rule 2, b): Value error, a rule that holds orders needs a queue",
        ),
        (json.dumps(_rules(split_penalty="two")), "split_penalty: "),
        (json.dumps(_rules(rules=[])), "rules: List should have at least 1 item"),
        (json.dumps(_rules(colour="red")), "colour: Extra inputs are not permitted"),
        ("[]", "(the rule set): Input should be a valid dictionary"),
    ],
)
def test_a_bad_rule_set_names_the_field_keeps_the_text_and_saves_nothing(
    app: FastAPI, podium: Podium, api: Api, text: str, message: str
) -> None:
    admin = sign_in(app, podium, "admin")
    response = admin.post(PATH, {"rules": text})
    assert response.status_code == 422
    error = re.search(r'role="alert" id="rules-error">([^<]*)<', response.text)
    assert error and message in error.group(1).replace("&#39;", "'"), error
    assert 'aria-invalid="true"' in response.text
    assert _versions(api) == [0]


def test_rollback_makes_an_old_version_active_again(app: FastAPI, podium: Podium, api: Api) -> None:
    admin = sign_in(app, podium, "admin")
    admin.post(PATH, {"rules": json.dumps(_rules())})
    admin.post(PATH, {"rules": json.dumps(_rules(split_penalty="9.00"))})
    older = admin.get(f"{PATH}?version=1").text
    assert "Routing rules, version 1" in older and "Make version 1 active again" in older
    done = admin.post(f"{PATH}/rollback", {"version": "1"})
    assert done.status_code == 303
    active = api.ok("get", "/routing/rules")
    assert active["version"] == 3 and active["note"] == "rollback to version 1"
    assert active["rule_set"]["split_penalty"] == "2.50"
    assert "Version 1 is active again, saved as version 3." in admin.get(PATH).text
    admin.post(f"{PATH}/rollback", {"version": "42"})
    assert "No routing rules version 42" in admin.get(PATH).text
    admin.post(f"{PATH}/rollback", {"version": "one"})
    assert "version must be a whole number" in admin.get(PATH).text
    assert _versions(api) == [3, 2, 1, 0]


def test_only_admins_change_routing_rules(app: FastAPI, podium: Podium, api: Api) -> None:
    admin = sign_in(app, podium, "admin")
    admin.post(PATH, {"rules": json.dumps(_rules())})
    for role in ("operator", "warehouse", "support", "readonly"):
        browser = sign_in(app, podium, role)
        page = browser.get(PATH).text
        assert page.count("<form") == 1 and "<textarea" not in page  # the sign-out form only
        assert browser.post(PATH, {"rules": json.dumps(_rules())}).status_code == 403
        assert browser.post(f"{PATH}/rollback", {"version": "0"}).status_code == 403
    assert admin.post(f"{PATH}/rollback", {"version": "0"}, csrf="forged").status_code == 403
    assert _versions(api) == [1, 0]


def test_test_this_change_replays_recent_orders_under_the_edit_and_saves_nothing(
    app: FastAPI, podium: Podium, api: Api
) -> None:
    api.ok(
        "post",
        "/inventory/adjustments",
        {"sku": "TEE", "warehouse": "WEST", "quantity": 5, "reason": "receipt"},
    )
    placed = [api.ok("post", "/orders", order_body([("TEE", 1)])) for _ in range(2)]
    assert {o["shipments"][0]["warehouse"] for o in placed} == {"WEST"}  # Seattle: nearest
    admin = sign_in(app, podium, "admin")
    text = json.dumps(_rules())
    done = admin.post(f"{PATH}/test", {"rules": text, "last": "50"})
    assert done.status_code == 200
    page = done.text
    assert 'id="rules-trial"' in page and "2 recent order(s) replayed under version 0" in page
    assert "2 of 2 order(s) would ship from somewhere else" in page
    rows = re.findall(
        r"<tr><td><a href=\"/orders/(\w+)\">#[^<]+</a></td><td>(\w+)</td><td>(\w+)</td>", page
    )
    assert sorted(rows) == sorted((o["id"], "WEST", "EAST") for o in placed)
    assert re.search(r'id="trial-cost"><span class="warn-text">\+[\d,.]+ USD', page)
    assert "east-first" in page.split('id="rules-json"')[1]  # the edit is kept to go on with
    assert _versions(api) == [0]  # nothing saved
    assert api.ok("get", "/routing/rules")["version"] == 0


def test_test_this_change_names_the_bad_field_and_is_for_admins_only(
    app: FastAPI, podium: Podium, api: Api
) -> None:
    admin = sign_in(app, podium, "admin")
    bad = admin.post(f"{PATH}/test", {"rules": json.dumps(_rules(split_penalty="two"))})
    assert bad.status_code == 422 and 'id="rules-error"' in bad.text
    assert "split_penalty" in bad.text and 'id="rules-trial"' not in bad.text
    too_many = admin.post(f"{PATH}/test", {"rules": json.dumps(_rules()), "last": "999999"})
    assert too_many.status_code == 422 and "last: between 1 and 2,000 orders." in too_many.text
    empty = admin.post(f"{PATH}/test", {"rules": json.dumps(_rules())})
    assert empty.status_code == 200 and "There is no recent order to replay yet." in empty.text
    operator = sign_in(app, podium, "operator")
    assert operator.post(f"{PATH}/test", {"rules": json.dumps(_rules())}).status_code == 403
    assert _versions(api) == [0]
