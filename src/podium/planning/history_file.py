"""A sales history file, read: pure, no I/O.

The file is CSV with a header: ``date,sku,quantity`` and optionally ``warehouse``, ``channel``
and ``stockout`` (``1``/``true``/``yes`` marks a day the SKU could not be sold there), in any
order; other columns are ignored and reported. Delimiter ``,`` ``;`` or tab; UTF-8 with or
without BOM, or UTF-16 with a BOM. Every reject names the line and the column.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import BaseModel, Field

__all__ = [
    "MAX_HISTORY_ROWS",
    "MAX_QUANTITY",
    "HistoryImportReport",
    "HistoryRow",
    "ParsedHistory",
    "Reject",
    "parse_history",
]

MAX_HISTORY_ROWS = 1_000_000
MAX_QUANTITY = 1_000_000_000
_SKU = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:+-]{0,63}$")
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_INTEGER = re.compile(r"\+?([0-9]{1,10})(?:\.0+)?")
_TRUE = {"1", "true", "yes", "y", "x"}
_FALSE = {"", "0", "false", "no", "n"}
_COLUMNS = ("date", "sku", "quantity", "warehouse", "channel", "stockout")


class Reject(BaseModel):
    """Why one line of the file cannot be imported."""

    line: int
    field: str
    code: str
    message: str


class HistoryImportReport(BaseModel):
    """What a history import did (or, in a dry run, would do)."""

    dry_run: bool
    rows_read: int = 0
    rows: int = 0
    series: int = 0
    stockout_days: int = 0
    first_day: date | None = None
    last_day: date | None = None
    ignored_columns: list[str] = Field(default_factory=list)
    rejects: list[Reject] = Field(default_factory=list)
    written: bool = False


@dataclass(frozen=True, slots=True)
class HistoryRow:
    line: int
    day: date
    sku: str
    quantity: int
    warehouse: str  # "" when the file has no warehouse column (or leaves it empty)
    channel: str  # "" likewise
    stockout: bool


@dataclass(slots=True)
class ParsedHistory:
    rows_read: int
    rows: list[HistoryRow] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)


def _header_key(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.strip().lower()).strip("_")


def _decode(data: bytes) -> str | None:
    for encoding in (
        ("utf-8-sig", "utf-16") if data[:2] in (b"\xff\xfe", b"\xfe\xff") else ("utf-8-sig",)
    ):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def parse_history(data: bytes, today: date) -> ParsedHistory:
    """Rows of a history file, or rejects naming line and column. Days after ``today`` and
    the same day × SKU × warehouse × channel twice are rejected."""
    text = _decode(data)
    if text is not None and "\x00" in text:
        text = None
    if text is None:
        return ParsedHistory(0, rejects=[_reject(1, "file", "invalid_encoding", "Not UTF-8 text.")])
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return _read_rows(reader, today)
    except csv.Error as exc:
        line = reader.line_num or 1
        return ParsedHistory(0, rejects=[_reject(line, "file", "invalid_csv", f"Not CSV: {exc}.")])


def _read_rows(reader: Any, today: date) -> ParsedHistory:
    header = next(reader, None)
    if header is None:
        return ParsedHistory(0, rejects=[_reject(1, "file", "empty_file", "The file is empty.")])
    keys = [_header_key(h) for h in header]
    result = ParsedHistory(
        0,
        ignored_columns=[
            h for h, k in zip(header, keys, strict=True) if k not in _COLUMNS and h.strip()
        ],
    )
    where = {k: i for i, k in reversed(list(enumerate(keys))) if k in _COLUMNS}
    for needed in ("date", "sku", "quantity"):
        if needed not in where:
            result.rejects.append(
                _reject(1, needed, "missing_column", f"The file has no {needed} column.")
            )
    if result.rejects:
        return result
    seen: dict[tuple[date, str, str, str], int] = {}
    for record in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in record):
            continue
        result.rows_read += 1
        if result.rows_read > MAX_HISTORY_ROWS:
            result.rejects.append(
                _reject(line, "file", "too_many_rows", f"At most {MAX_HISTORY_ROWS} rows a file.")
            )
            break
        row = _row(line, record, where, today, result.rejects)
        if row is None:
            continue
        key = (row.day, row.sku, row.warehouse, row.channel)
        if key in seen:
            result.rejects.append(
                _reject(
                    line,
                    "date",
                    "duplicate_row",
                    f"{row.sku} on {row.day} is also on line {seen[key]} (same warehouse "
                    "and channel); a day appears once per series.",
                )
            )
            continue
        seen[key] = line
        result.rows.append(row)
    return result


def _reject(line: int, name: str, code: str, message: str) -> Reject:
    return Reject(line=line, field=name, code=code, message=message)


def _row(
    line: int, record: list[str], where: dict[str, int], today: date, rejects: list[Reject]
) -> HistoryRow | None:
    def cell(name: str) -> str:
        i = where.get(name)
        return record[i].strip() if i is not None and i < len(record) else ""

    before = len(rejects)
    day: date | None = None
    try:
        day = date.fromisoformat(cell("date"))
    except ValueError:
        rejects.append(
            _reject(line, "date", "invalid_date", f"{cell('date')!r} is not a YYYY-MM-DD date.")
        )
    if day is not None and day > today:
        rejects.append(_reject(line, "date", "future_date", f"{day} is after today ({today})."))
    sku = cell("sku")
    if not _SKU.match(sku):
        rejects.append(
            _reject(
                line, "sku", "missing_value" if not sku else "invalid_sku", f"{sku!r} is not a SKU."
            )
        )
    m = _INTEGER.fullmatch(cell("quantity"))
    quantity = int(m.group(1)) if m else -1
    if m is None or quantity > MAX_QUANTITY:
        rejects.append(
            _reject(
                line,
                "quantity",
                "invalid_quantity",
                f"{cell('quantity')!r}: the units sold that day, a whole number from 0.",
            )
        )
    codes = {}
    for name in ("warehouse", "channel"):
        value = cell(name)
        if value and not _CODE.match(value):
            rejects.append(_reject(line, name, f"invalid_{name}", f"{value!r} is not a code."))
        codes[name] = value
    flag = cell("stockout").lower()
    if flag not in _TRUE | _FALSE:
        rejects.append(
            _reject(line, "stockout", "invalid_stockout", f"{flag!r}: use 1/0, true/false.")
        )
    if flag in _TRUE and not codes["warehouse"]:
        rejects.append(
            _reject(line, "warehouse", "missing_value", "A stock-out day names its warehouse.")
        )
    if len(rejects) > before or day is None:
        return None
    return HistoryRow(line, day, sku, quantity, codes["warehouse"], codes["channel"], flag in _TRUE)
