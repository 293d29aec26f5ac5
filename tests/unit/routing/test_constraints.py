"""Where an automation rule said an order may ship from, read from routing's own tags."""

from __future__ import annotations

from podium.routing.constraints import warehouse_constraint


def test_no_routing_tags_mean_no_constraint() -> None:
    assert warehouse_constraint(["vip", "channel:web"]) == (None, frozenset())


def test_route_to_pins_and_exclude_excludes() -> None:
    tags = ["routing:only:EAST", "routing:not:WEST", "routing:not:SOUTH"]
    assert warehouse_constraint(tags) == ("EAST", frozenset({"WEST", "SOUTH"}))


def test_a_pin_to_an_excluded_warehouse_does_not_count() -> None:
    assert warehouse_constraint(["routing:only:WEST", "routing:not:WEST"]) == (
        None,
        frozenset({"WEST"}),
    )
