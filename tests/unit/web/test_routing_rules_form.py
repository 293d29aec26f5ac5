"""Reading a routing rule set typed into the dashboard (pure): the API's model decides, and a
mistake names the field, with the rule's number and name."""

from __future__ import annotations

import json

import pytest

from podium.errors import ValidationFailed
from podium.routing.rules import DEFAULT_RULES
from podium.web.routes.settings_rules import as_json, parse_rules


def test_the_shown_json_reads_back_as_the_same_rule_set() -> None:
    assert parse_rules(as_json(DEFAULT_RULES)) == DEFAULT_RULES
    assert "null" not in as_json(DEFAULT_RULES)  # unset filters are left out


def _error(text: str) -> ValidationFailed:
    with pytest.raises(ValidationFailed) as err:
        parse_rules(text)
    return err.value


def test_broken_json_says_where() -> None:
    error = _error('{"rules": [}')
    assert error.code == "invalid_json"
    assert error.details == {"field": "rules", "line": 1, "column": 12}
    assert error.message.startswith("Not valid JSON: Expecting value at line 1, column 12")


def test_a_wrong_value_names_the_field_and_the_rule() -> None:
    body = {"rules": [{"name": "a"}, {"name": "stores", "locations": {"max_distance_km": -5}}]}
    error = _error(json.dumps(body))
    assert error.code == "invalid_rules"
    assert error.details["field"] == "rules.1.locations.max_distance_km"
    assert error.message.startswith("rules.1.locations.max_distance_km (rule 2, stores): ")


def test_a_rule_without_a_name_is_still_numbered() -> None:
    error = _error(json.dumps({"rules": [{"sort": ["distance"]}]}))
    assert error.message.startswith("rules.0.name (rule 1): Field required")


def test_an_enormous_paste_is_refused_before_parsing() -> None:
    assert _error(" " * 200_001).details == {"field": "rules"}
