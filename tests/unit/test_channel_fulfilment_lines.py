"""A shipment is reported to a platform by the platform's own line ids."""

from typing import Any

from podium.channels.fulfilment import platform_lines


def _kept(*rows: tuple[str, str | None, int]) -> list[dict[str, Any]]:
    return [{"sku": s, "line_id": lid, "quantity": q} for s, lid, q in rows]


def test_shipped_units_are_spread_over_the_orders_lines_of_that_sku() -> None:
    kept = _kept(("TEE", "L1", 2), ("MUG", "L2", 1), ("TEE", "L3", 3))
    assert platform_lines(kept, [("TEE", 4)]) == [("L1", 2), ("L3", 2)]


def test_a_line_the_platform_gave_no_id_is_left_out() -> None:
    kept = _kept(("TEE", None, 2), ("MUG", "L2", 1))
    assert platform_lines(kept, [("TEE", 2), ("MUG", 1)]) == [("L2", 1)]


def test_a_line_replaced_by_an_edit_is_reported_under_its_own_id() -> None:
    # variant:9 (no SKU on the platform) was edited into BOWL: the shipment of BOWL is line L1's.
    kept = _kept(("variant:9", "L1", 1), ("TEE", "L2", 1))
    live = {"BOWL", "TEE"}
    assert platform_lines(kept, [("BOWL", 1), ("TEE", 1)], live) == [("L2", 1), ("L1", 1)]


def test_an_ambiguous_replacement_is_left_out_rather_than_guessed() -> None:
    kept = _kept(("variant:8", "L1", 1), ("variant:9", "L2", 1))
    assert platform_lines(kept, [("BOWL", 1)], {"BOWL", "CUP"}) == []
    assert platform_lines(kept, [("BOWL", 1)]) == []
