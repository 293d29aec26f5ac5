"""The pure parts of return labels: the return policy's warehouse, and the shipment label
renderer's extra reference line (PDF and ZPL)."""

from __future__ import annotations

import dataclasses
import io

from pypdf import PdfReader

from podium.fulfillment.documents import LabelDoc, label_pdf
from podium.fulfillment.zpl import field, label_zpl
from podium.returns.model import return_policy

DOC = LabelDoc(
    "PD1234567890128",
    "Podium Table Rate",
    "ground",
    "PD-100001",
    250,
    ["Ann Example", "1 Pike St", "Seattle WA 98101"],
    ["Newark DC", "Newark NJ 07102"],
    "2026-11-25",
)


def test_the_return_policy_names_a_warehouse_only_when_it_is_a_word() -> None:
    assert return_policy({"returns": {"warehouse": "WEST"}}).warehouse == "WEST"
    for junk in ({}, {"returns": {"warehouse": ""}}, {"returns": {"warehouse": 5}}):
        assert return_policy(junk).warehouse is None


def test_a_reference_adds_one_line_to_the_zpl_and_nothing_without_one() -> None:
    plain = label_zpl(DOC)
    marked = label_zpl(dataclasses.replace(DOC, reference="RETURN rma_01ABC"))
    assert len(marked.splitlines()) == len(plain.splitlines()) + 1
    assert f"^FD{field('RETURN rma_01ABC')}^FS" in marked
    assert "RETURN" not in plain


def test_a_reference_is_printed_on_the_pdf_label() -> None:
    data = label_pdf(dataclasses.replace(DOC, reference="RETURN rma_01ABC"))
    text = "".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages)
    assert "RETURN rma_01ABC" in text and "PD-100001" in text
    assert "RETURN" not in "".join(
        p.extract_text() or "" for p in PdfReader(io.BytesIO(label_pdf(DOC))).pages
    )
