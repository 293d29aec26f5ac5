"""Inventory rows of a spreadsheet → counts and adjustments per SKU × warehouse: pure.

Each row names a SKU and a warehouse and exactly one of:

- ``on_hand``: the units counted there. The import adjusts on-hand by the difference from
  what Podium holds (reason ``count`` unless the row says otherwise), so importing the same
  count twice changes nothing the second time.
- ``delta``: a signed change (``+12`` received, ``-3`` damaged; reason ``adjustment`` unless
  the row says ``receipt`` or another reason).

A SKU × warehouse counted on one row cannot appear on another row of the same file.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from podium.imports.columns import STOCK_COLUMNS
from podium.imports.model import (
    Columns,
    Reject,
    Row,
    choose_columns,
    missing_columns,
    read_sheet,
)
from podium.inventory import MAX_QUANTITY

__all__ = ["STOCK_COLUMNS", "ParsedStock", "StockRow", "parse_stock"]

_INTEGER = re.compile(r"([+-]?)([0-9]{1,9})(?:\.0+)?")
_REASON = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
_SKU = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:+-]{0,63}$")


@dataclass(frozen=True, slots=True)
class StockRow:
    line: int
    sku: str
    warehouse: str
    mode: Literal["on_hand", "delta"]
    quantity: int  # units counted, or the signed change
    reason: str
    reference: str | None


@dataclass(slots=True)
class ParsedStock:
    rows_read: int
    rows: list[StockRow]
    rejects: list[Reject]
    ignored_columns: list[str]
    columns: Columns


def parse_stock(data: bytes, encoding: str | None = None) -> ParsedStock:
    sheet = read_sheet(data, encoding)
    columns = choose_columns(sheet.headers, STOCK_COLUMNS)
    result = ParsedStock(len(sheet.rows), [], list(sheet.rejects), list(columns.ignored), columns)
    if not sheet.headers:
        return result
    result.rejects.extend(
        missing_columns(sheet, columns, [("sku", "sku"), ("warehouse", "warehouse")])
    )
    if "on_hand" not in columns.chosen and "delta" not in columns.chosen:
        result.rejects.append(
            Reject(
                line=sheet.header_line,
                field="on_hand",
                code="missing_column",
                message="Name an on_hand column (units counted) or a delta column (signed change).",
            )
        )
    if any(r.code == "missing_column" for r in result.rejects):
        return result
    counted: dict[tuple[str, str], int] = {}
    changed: dict[tuple[str, str], int] = {}
    for row in sheet.rows:
        parsed, problems = _parse_row(row, columns)
        if parsed is not None:
            key = (parsed.sku, parsed.warehouse)
            seen = counted.get(key) or (changed.get(key) if parsed.mode == "on_hand" else None)
            if seen is not None:
                problems.append(
                    Reject(
                        line=row.line,
                        field=columns.label(parsed.mode),
                        code="duplicate_row",
                        message=f"{parsed.sku} at {parsed.warehouse} is also on line {seen}; "
                        "a counted SKU × warehouse may appear once.",
                    )
                )
        if problems or parsed is None:
            result.rejects.extend(problems)
            continue
        key = (parsed.sku, parsed.warehouse)
        (counted if parsed.mode == "on_hand" else changed).setdefault(key, row.line)
        result.rows.append(parsed)
    return result


def _parse_row(row: Row, columns: Columns) -> tuple[StockRow | None, list[Reject]]:
    problems: list[Reject] = []

    def bad(name: str, code: str, message: str) -> None:
        problems.append(
            Reject(line=row.line, field=columns.label(name), code=code, message=message)
        )

    sku, warehouse = columns.value(row, "sku"), columns.value(row, "warehouse")
    if not sku:
        bad("sku", "missing_value", "The SKU is empty.")
    elif not _SKU.match(sku):
        bad("sku", "invalid_sku", f"{sku!r} is not a SKU.")
    if not warehouse:
        bad("warehouse", "missing_value", "The warehouse is empty.")
    on_hand, delta = columns.value(row, "on_hand"), columns.value(row, "delta")
    if on_hand and delta:
        bad("on_hand", "ambiguous_quantity", "Give on_hand or delta on a row, not both.")
    elif not on_hand and not delta:
        bad("on_hand", "missing_value", "Give on_hand (units counted) or delta (signed change).")
    mode: Literal["on_hand", "delta"] = "on_hand" if on_hand else "delta"
    quantity = _integer(on_hand or delta, mode, bad)
    reason = columns.value(row, "reason") or ("count" if mode == "on_hand" else "adjustment")
    if not _REASON.match(reason):
        bad("reason", "invalid_reason", f"{reason!r}: a reason is a snake_case word.")
    reference = columns.value(row, "reference") or None
    if reference is not None and len(reference) > 200:
        bad("reference", "too_long", "A reference is at most 200 characters.")
    if problems or quantity is None:
        return None, problems
    return StockRow(row.line, sku, warehouse, mode, quantity, reason, reference), problems


def _integer(text: str, mode: str, bad: Callable[[str, str, str], None]) -> int | None:
    m = _INTEGER.fullmatch(text)
    if m is None:
        if text:
            bad(mode, "invalid_quantity", f"{text!r} is not a whole number.")
        return None
    value = int(m.group(2)) * (-1 if m.group(1) == "-" else 1)
    if mode == "on_hand" and value < 0:
        bad(mode, "invalid_quantity", "A count cannot be negative.")
        return None
    if abs(value) > MAX_QUANTITY:
        bad(mode, "invalid_quantity", f"At most {MAX_QUANTITY} units.")
        return None
    return value
