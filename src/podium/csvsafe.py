"""Every CSV Podium writes goes through here, so no cell can become a spreadsheet formula.

A cell that starts with ``= + - @``, a tab or a carriage return is read by Excel, LibreOffice
and Google Sheets as a formula (CSV injection: ``=HYPERLINK(...)``, ``=cmd|...``). Customer-
controlled text (names, address lines, phones, product names, tracking numbers) reaches the
3PL drop, the manifest and the exports, so such a cell is prefixed with a single quote, as
OWASP advises; spreadsheets show the text and never run it.

A cell that is a plain number (``-12.50``, ``+15550100``) is left alone: it cannot carry a
formula, and it keeps the negative amounts Podium writes (refunds, net figures) readable as
numbers. Only ``str`` cells are looked at; ints and None are Podium's own and pass as they are.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from typing import Any

__all__ = ["FORMULA_STARTS", "SafeWriter", "csv_text", "neutralise"]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")


def neutralise(value: Any) -> Any:
    """The cell as it may be written: a formula-looking text gets a leading ``'``."""
    text = isinstance(value, str) and value.startswith(FORMULA_STARTS)
    return "'" + value if text and not _PLAIN_NUMBER.fullmatch(value) else value


class SafeWriter:
    """``csv.writer`` with every cell neutralised; lines end in ``\\n``."""

    def __init__(self, out: io.StringIO) -> None:
        self._writer = csv.writer(out, lineterminator="\n")
        # With lines ending in \n, Python's csv leaves a cell holding a lone \r unquoted, and
        # a reader then splits the row there: the text after the \r would start a new row
        # (and could start with "="). A row with a \r anywhere is written fully quoted.
        self._quoted = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)

    def writerow(self, row: Iterable[Any]) -> None:
        cells = [neutralise(cell) for cell in row]
        carriage = any(isinstance(cell, str) and "\r" in cell for cell in cells)
        (self._quoted if carriage else self._writer).writerow(cells)

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_text(header: Iterable[str], rows: Iterable[Iterable[Any]]) -> str:
    """A whole CSV document (header first) as text."""
    out = io.StringIO()
    writer = SafeWriter(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()
