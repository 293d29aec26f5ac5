"""The automation rule editor's form over HTTP on both engines: the page's own inputs posted
back save the same rule set (the round trip through the template), a rule built field by field
is dry-run and saved as a new version, a mistake marks the input at fault and saves nothing,
and the buttons add parts without saving."""

from __future__ import annotations

from html.parser import HTMLParser
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
            "name": "big first orders",
            "enabled": True,
            "trigger": "order.placed",
            "when": {
                "all": [
                    {"field": "total", "op": ">=", "value": "100.00"},
                    {
                        "any": [
                            {"field": "customer.orders_count", "op": "in", "value": [0, 1]},
                            {"field": "tags", "op": "contains", "value": "new"},
                        ]
                    },
                ]
            },
            "then": [
                {"action": "add_tag", "tag": "review"},
                {"action": "hold", "reason": "fraud_review", "note": "first big order"},
                {"action": "set_priority", "priority": 2},
            ],
            "note": "asked by ops",
        },
        {
            "name": "deep",
            "enabled": False,
            "trigger": "order.updated",
            "when": {"not": {"field": "shipping_address.country", "op": "==", "value": "US"}},
            "then": [{"action": "set_service_level", "service_level": "express"}],
        },
    ]
}


class _EditorForm(HTMLParser):
    """The fields the rule editor's form would post, as a browser reads them from the page."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}
        self.marked: list[str] = []  # inputs with aria-invalid
        self._inside = False
        self._select: str | None = None
        self._first: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._inside = a.get("id") == "rule-editor"
        if not self._inside:
            return
        name = a.get("name", "")
        if name and a.get("aria-invalid") == "true":
            self.marked.append(name)
        if tag == "input" and name and a.get("type") != "checkbox":
            self.fields[name] = a.get("value", "")
        elif tag == "input" and name and "checked" in a:
            self.fields[name] = "on"
        elif tag == "select":
            self._select, self._first = name, None
        elif tag == "option" and self._select:
            value = a.get("value")
            if "selected" in a or self._first is None:
                self._first = self._first or "set"
                self.fields[self._select] = value if value is not None else "\0text"
        elif tag == "textarea":
            self._textarea = name
            self.fields[name] = ""

    def handle_data(self, data: str) -> None:
        if self._select and self.fields.get(self._select) == "\0text":
            self.fields[self._select] = data
        if self._textarea:
            self.fields[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def _editor(html: str) -> _EditorForm:
    form = _EditorForm()
    form.feed(html)
    form.fields.pop("csrf_token", None)
    return form


@pytest.fixture
def app(podium: Podium, api: Api) -> FastAPI:
    seed_store(api, {("TEE", "EAST"): 20})
    assert isinstance(api.client.app, FastAPI)
    return cheap_passwords(api.client.app)


def _versions(api: Api) -> list[int]:
    return [v["version"] for v in api.ok("get", "/automation/rules/history")["items"]]


def test_the_forms_own_fields_posted_back_save_the_same_rule_set(
    app: FastAPI, podium: Podium, api: Api
) -> None:
    put = api.client.put("/api/v1/automation/rules", json=RULES, headers=api.headers())
    assert put.status_code == 200, put.text
    admin = sign_in(app, podium, "admin")
    form = _editor(admin.get(PATH).text)
    assert form.fields["r0.g1.c0.value"] == "0, 1" and form.fields["r0.a1.arg.reason"]
    assert '"not"' in form.fields["r1.when_json"] and "r1.enabled" not in form.fields
    assert admin.post(PATH, {**form.fields, "note": "same"}).status_code == 303
    saved = api.ok("get", "/automation/rules")
    assert saved["version"] == 2 and saved["rule_set"] == RULES


def test_saving_from_the_form_keeps_the_stock_thresholds_it_does_not_show(
    app: FastAPI, podium: Podium, api: Api
) -> None:
    thresholds = {"default": 4, "skus": {"TEE": 9}}
    body = {**RULES, "stock_thresholds": thresholds}
    put = api.client.put("/api/v1/automation/rules", json=body, headers=api.headers())
    assert put.status_code == 200, put.text
    admin = sign_in(app, podium, "admin")
    page = admin.get(PATH).text
    assert ">route_to</option>" in page and ">exclude_warehouse</option>" in page
    form = _editor(page)
    assert admin.post(PATH, {**form.fields, "note": "same"}).status_code == 303
    saved = api.ok("get", "/automation/rules")
    assert saved["version"] == 2 and saved["rule_set"] == body


def test_a_rule_built_in_the_form_is_dry_run_then_saved_as_a_new_version(
    app: FastAPI, podium: Podium, api: Api
) -> None:
    big = api.ok("post", "/orders", order_body([("TEE", 6)], external_id="b"))
    api.ok("post", "/orders", order_body([("TEE", 1)], external_id="s"))
    admin = sign_in(app, podium, "admin")
    built = {
        "r0.name": "big orders",
        "r0.enabled": "on",
        "r0.trigger": "order.placed",
        "r0.match": "all",
        "r0.g0.match": "all",
        "r0.g0.c0.field": "total",
        "r0.g0.c0.op": ">=",
        "r0.g0.c0.value": "100.00",
        "r0.a0.action": "add_tag",
        "r0.a0.arg.tag": "big",
        "r0.a1.action": "hold",
        "r0.a1.arg.reason": "manual",
        "r0.a1.arg.note": "",
    }
    page = admin.post(f"{PATH}/test", {**built, "last": "10"})
    assert page.status_code == 200
    assert "1 of 2 order(s) would be touched." in page.text
    assert big["number"] in page.text and "add_tag(tag=big); hold(reason=manual)" in page.text
    assert _editor(page.text).fields["r0.g0.c0.value"] == "100.00"  # shown again, to save
    assert _versions(api) == [0]
    assert admin.post(PATH, {**built, "note": "from the form"}).status_code == 303
    saved = api.ok("get", "/automation/rules")
    assert saved["version"] == 1 and saved["note"] == "from the form"
    assert saved["rule_set"]["rules"][0]["when"] == {
        "field": "total",
        "op": ">=",
        "value": "100.00",
    }


def test_a_mistake_names_the_rule_and_field_marks_the_input_and_saves_nothing(
    app: FastAPI, podium: Podium, api: Api
) -> None:
    admin = sign_in(app, podium, "admin")
    form = _editor(admin.get(PATH).text).fields
    assert form == {"note": "", "last": "50", "trigger": "order.placed"}
    bad = {
        "r0.name": "sums",
        "r0.trigger": "order.placed",
        "r0.g0.c0.field": "total",
        "r0.g0.c0.op": "contains",
        "r0.g0.c0.value": "5",
        "r0.a0.action": "add_tag",
        "r0.a0.arg.tag": "x",
    }
    for path in (PATH, f"{PATH}/test"):
        page = admin.post(path, bad)
        assert page.status_code == 422
        assert "rule 0 (&#39;sums&#39;), when.op: total takes the ops" in page.text
        assert _editor(page.text).marked == ["r0.g0.c0.op"]
    word = {**bad, "r0.g0.c0.op": ">", "r0.a0.action": "set_priority", "r0.a0.arg.priority": "x"}
    page = admin.post(PATH, word)
    assert page.status_code == 422 and _editor(page.text).marked == ["r0.a0.arg.priority"]
    missing = {**bad, "r0.g0.c0.op": ">", "r0.a0.arg.tag": ""}
    page = admin.post(PATH, missing)
    assert page.status_code == 422 and _editor(page.text).marked == ["r0.a0.arg.tag"]
    assert _versions(api) == [0]


def test_the_buttons_change_the_rows_and_save_nothing(
    app: FastAPI, podium: Podium, api: Api
) -> None:
    admin = sign_in(app, podium, "admin")
    page = admin.post(f"{PATH}/edit", {"edit": "add_rule"})
    fields = _editor(page.text).fields
    assert page.status_code == 200 and fields["r0.trigger"] == "order.placed"
    assert fields["r0.a0.action"] == "add_tag" and "r0.a0.arg.tag" in fields
    fields |= {"r0.a0.action": "hold"}
    held = _editor(admin.post(f"{PATH}/edit", {**fields, "edit": "refresh"}).text).fields
    assert "r0.a0.arg.reason" in held and "r0.a0.arg.tag" not in held
    grouped = admin.post(f"{PATH}/edit", {**held, "edit": "add_group:0"}).text
    assert "r0.g0.c0.field" in _editor(grouped).fields
    stale = admin.post(f"{PATH}/edit", {**held, "edit": "remove_rule:5"})
    assert stale.status_code == 422 and "reload the page" in stale.text
    assert _versions(api) == [0]
    reader = sign_in(app, podium, "readonly")
    assert reader.post(f"{PATH}/edit", {"edit": "add_rule"}).status_code == 403
    assert 'id="rule-editor"' not in reader.get(PATH).text
