"""stock.low fires once per crossing: from above the threshold to at or below it."""

from __future__ import annotations

from podium.automation.stock import crossed, stock_facts


def test_falling_to_or_below_the_threshold_is_a_crossing() -> None:
    assert crossed({"previous_available": 6, "available": 5}, 5)
    assert crossed({"previous_available": 20, "available": 0}, 5)


def test_staying_low_rising_or_staying_high_is_not() -> None:
    assert not crossed({"previous_available": 5, "available": 4}, 5)  # already low
    assert not crossed({"previous_available": 3, "available": 9}, 5)
    assert not crossed({"previous_available": 9, "available": 6}, 5)


def test_an_event_without_its_previous_level_never_fires() -> None:
    assert not crossed({"available": 0}, 5)


def test_the_facts_are_the_sku_at_the_warehouse() -> None:
    payload = {"sku": "TEE", "warehouse": "EAST", "available": 2, "on_hand": 4, "reserved": 2}
    assert stock_facts(payload, 5) == {**payload, "threshold": 5}
