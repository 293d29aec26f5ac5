"""A shipment is reported to a platform by the platform's own line ids."""

from podium.channels.fulfilment import platform_lines


def _kept(*rows):
    return [{"sku": s, "line_id": lid, "quantity": q} for s, lid, q in rows]


def test_shipped_units_are_spread_over_the_orders_lines_of_that_sku():
    kept = _kept(("TEE", "L1", 2), ("MUG", "L2", 1), ("TEE", "L3", 3))
    assert platform_lines(kept, [("TEE", 4)]) == [("L1", 2), ("L3", 2)]


def test_a_line_the_platform_gave_no_id_is_left_out():
    kept = _kept(("TEE", None, 2), ("MUG", "L2", 1))
    assert platform_lines(kept, [("TEE", 2), ("MUG", 1)]) == [("L2", 1)]
