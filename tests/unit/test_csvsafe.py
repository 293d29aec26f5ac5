"""No cell Podium writes to a CSV can start a spreadsheet formula."""

from __future__ import annotations

import csv
import io

from hypothesis import given
from hypothesis import strategies as st

from podium.csvsafe import FORMULA_STARTS, csv_text, neutralise


def test_formula_cells_get_a_leading_quote() -> None:
    for cell in ('=HYPERLINK("http://x")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tx", "\rx"):
        assert neutralise(cell) == "'" + cell


def test_plain_numbers_ints_and_empty_cells_stay_as_they_are() -> None:
    assert neutralise("-12.50") == "-12.50"
    assert neutralise("+15550100") == "+15550100"
    assert neutralise(-3) == -3
    assert neutralise(None) is None
    assert neutralise("") == ""
    assert neutralise("Ann Example") == "Ann Example"


@given(st.lists(st.lists(st.text(max_size=12), min_size=1, max_size=4), max_size=5))
def test_no_written_cell_starts_a_formula_unless_it_is_a_plain_number(
    rows: list[list[str]],
) -> None:
    text = csv_text(["a", "b", "c", "d"], rows)
    for row in list(csv.reader(io.StringIO(text, newline="")))[1:]:
        for cell in row:
            if cell.startswith(FORMULA_STARTS):
                assert cell.lstrip("+-").replace(".", "", 1).isdigit(), cell


def test_a_carriage_return_inside_a_cell_does_not_split_the_row() -> None:
    text = csv_text(["a", "b"], [["\r=HYPERLINK(1)", "x"]])
    assert list(csv.reader(io.StringIO(text, newline=""))) == [
        ["a", "b"],
        ["'\r=HYPERLINK(1)", "x"],
    ]
