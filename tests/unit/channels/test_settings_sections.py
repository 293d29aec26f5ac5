"""Channel settings keep the sections other capabilities own, and still refuse unknown keys."""

from __future__ import annotations

import pytest

from podium.channels.registry import validate_settings
from podium.errors import ValidationFailed

SECTIONS = {
    "notifications": {"brand": "Acme"},
    "payment": {"capture": "on_shipment"},
    "returns": {"window_days": 30},
}


@pytest.mark.parametrize("channel_type", ["manual", "pos", "csv"])
def test_other_capabilities_sections_are_kept(channel_type: str) -> None:
    stored = validate_settings(channel_type, dict(SECTIONS))
    assert {k: stored[k] for k in SECTIONS} == SECTIONS


def test_an_unknown_key_is_still_refused_with_its_field() -> None:
    with pytest.raises(ValidationFailed) as refused:
        validate_settings("manual", {"paymnet": {}})
    assert refused.value.details["field"] == "settings.paymnet"
