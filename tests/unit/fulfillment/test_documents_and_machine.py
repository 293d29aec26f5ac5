"""Fulfilment, pure: carrier reports walk the shipment machine; pick rows group and sort;
ZPL is well-formed and escapes what it must."""

from __future__ import annotations

import pytest

from podium.errors import InvalidTransition
from podium.fulfillment.documents import LabelDoc, label_pdf
from podium.fulfillment.model import mask, pick_rows
from podium.fulfillment.zpl import field, label_zpl
from podium.shipments.model import path_to


def test_a_carrier_report_walks_the_machine_the_shortest_way() -> None:
    assert [s.value for s in path_to("packed", "delivered")] == ["shipped", "delivered"]
    assert [s.value for s in path_to("in_transit", "returned_to_sender")] == [
        "exception",
        "returned_to_sender",
    ]
    assert path_to("delivered", "delivered") == []
    with pytest.raises(InvalidTransition):
        path_to("delivered", "in_transit")
    with pytest.raises(InvalidTransition):
        path_to("cancelled", "shipped")


def test_pick_rows_group_by_sku_and_sort_by_bin_with_binless_last() -> None:
    lines = [
        ("TEE", "s1", 2, "PD-1"),
        ("MUG", "s1", 1, "PD-1"),
        ("TEE", "s2", 1, "PD-2"),
        ("CAP", "s2", 1, "PD-2"),
    ]
    rows = pick_rows(lines, {"TEE": "B-2", "CAP": "A-9"}, {"TEE": "Tee"})
    assert [(r.bin, r.sku, r.quantity, r.orders) for r in rows] == [
        ("A-9", "CAP", 1, ("PD-2",)),
        ("B-2", "TEE", 3, ("PD-1", "PD-2")),
        ("", "MUG", 1, ("PD-1",)),
    ]


def test_secrets_are_masked() -> None:
    assert mask(None) is None
    assert mask("short") == "****"
    assert mask("a-long-secret-1234") == "****1234"


DOC = LabelDoc(
    "PD1234567890128",
    "Podium ^Table~ Rate",
    "ground",
    "PD-100001",
    750,
    ["East DC", "Newark NJ 07102"],
    ["Zoë O_Brien", "1 Pike St", "Seattle WA 98101"],
    "2026-11-25",
)


def test_the_zpl_label_is_one_well_formed_format_with_a_code_128_of_the_tracking_number() -> None:
    zpl = label_zpl(DOC)
    lines = zpl.strip().splitlines()
    assert lines[0] == "^XA" and lines[-1] == "^XZ"
    assert all(ln.startswith("^") for ln in lines)
    for ln in lines[1:-1]:
        if "^FD" in ln:
            assert ln.endswith("^FS") and ln.count("^FD") == 1
            data = ln.split("^FD", 1)[1][: -len("^FS")]
            assert "^" not in data and "~" not in data
    assert "^BCN,260,Y,N,N^FH_^FDPD1234567890128^FS" in zpl
    assert "Zo_C3_AB O_5FBrien" in zpl  # UTF-8 and the escape character itself, hex-escaped
    assert "Podium _5ETable_7E Rate" in zpl


def test_field_escaping_leaves_plain_ascii_alone() -> None:
    assert field("Order 1001 - Seattle, WA") == "Order 1001 - Seattle, WA"


def test_the_label_pdf_is_4_by_6_inches() -> None:
    from io import BytesIO

    from pypdf import PdfReader

    page = PdfReader(BytesIO(label_pdf(DOC))).pages[0]
    assert (float(page.mediabox.width), float(page.mediabox.height)) == (288.0, 432.0)
