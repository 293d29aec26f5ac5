"""Demand planning, the pure part: the history file, stock-out days from a ledger, series
ready for a forecast (lost sales filled in), intervals summed over warehouses. No I/O.

A history file is CSV with a header: ``date,sku,quantity`` and optionally ``warehouse``,
``channel`` and ``stockout`` (``1``/``true``/``yes`` marks a day the SKU could not be sold
there). Delimiter ``,`` ``;`` or tab; UTF-8 with or without BOM.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Literal

from pydantic import BaseModel, Field

from podium.numbers import JsonInt

__all__ = [
    "MAX_HISTORY_ROWS",
    "MAX_QUANTITY",
    "BacktestView",
    "DailyForecast",
    "ForecastRunIn",
    "ForecastRunView",
    "ForecastView",
    "HistoryImportReport",
    "HistoryRow",
    "ParsedHistory",
    "Reject",
    "Series",
    "build_series",
    "combine_forecasts",
    "parse_history",
    "stockout_days",
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


Delta = tuple[datetime, str, str, int, int]
"""One ledger movement: (at, sku, warehouse, on-hand delta, reserved delta), oldest first."""


def stockout_days(movements: Iterable[Delta], until: date) -> set[tuple[str, str, date]]:
    """(sku, warehouse, day) where nothing was available at the day's close, from the first
    movement of that SKU × warehouse up to ``until``. Before its first movement a SKU was not
    stocked there at all, which is not a stock-out."""
    balance: dict[tuple[str, str], tuple[int, int]] = {}
    closed: dict[tuple[str, str], date] = {}  # the last day whose close has been judged
    out: set[tuple[str, str, date]] = set()

    def close_through(key: tuple[str, str], last: date) -> None:
        on_hand, reserved = balance[key]
        day = closed[key] + timedelta(days=1)
        if on_hand - reserved <= 0:
            while day <= last:
                out.add((key[0], key[1], day))
                day += timedelta(days=1)
        closed[key] = max(closed[key], last)

    for at, sku, warehouse, on_hand_delta, reserved_delta in movements:
        key, day = (sku, warehouse), at.date()
        if key not in balance:
            balance[key], closed[key] = (0, 0), day - timedelta(days=1)
        elif day > closed[key] + timedelta(days=1):
            close_through(key, day - timedelta(days=1))
        on_hand, reserved = balance[key]
        balance[key] = (on_hand + on_hand_delta, reserved + reserved_delta)
    for key in balance:
        close_through(key, until)
    return out


@dataclass(slots=True)
class Series:
    """One SKU × warehouse's daily demand from its first sale to the last day of history.
    Stock-out days whose recorded demand is below the series' typical day are raised to it:
    a day nothing could be sold is lost demand, not zero demand."""

    sku: str
    warehouse: str
    start: date
    values: list[float]
    stockouts: int = 0

    @property
    def key(self) -> str:
        return f"{self.sku}\t{self.warehouse}"


def build_series(
    demand: Iterable[tuple[str, str, date, int]],
    stockouts: Iterable[tuple[str, str, date]],
    last_day: date,
) -> list[Series]:
    """Daily series per (sku, warehouse) from (sku, warehouse, day, units) rows (any order,
    summed), ending at ``last_day``; missing days are zero unless marked as stock-outs."""
    totals: dict[tuple[str, str], dict[date, int]] = {}
    for sku, warehouse, day, units in demand:
        if day <= last_day:
            days = totals.setdefault((sku, warehouse), {})
            days[day] = days.get(day, 0) + units
    marked: dict[tuple[str, str], set[date]] = {}
    for sku, warehouse, day in stockouts:
        marked.setdefault((sku, warehouse), set()).add(day)
    out = []
    for (sku, warehouse), days in sorted(totals.items()):
        if not any(days.values()):
            continue
        start = min(d for d, units in days.items() if units > 0)
        length = (last_day - start).days + 1
        values = [float(days.get(start + timedelta(days=i), 0)) for i in range(length)]
        lost = sorted(
            i for d in marked.get((sku, warehouse), ()) if 0 <= (i := (d - start).days) < length
        )
        out.append(Series(sku, warehouse, start, _fill_lost(values, lost), len(lost)))
    return out


def _fill_lost(values: list[float], lost: Sequence[int]) -> list[float]:
    """A stock-out day takes the mean of the in-stock same weekdays of the 8 weeks before it
    (the weekly pattern kept), or of the series' in-stock days when fewer than 2 are found,
    when that is more than was recorded."""
    if not lost:
        return values
    gone = set(lost)
    in_stock = [v for i, v in enumerate(values) if i not in gone]
    overall = sum(in_stock) / len(in_stock) if in_stock else 0.0
    filled = list(values)
    for i in lost:
        same_day = [values[j] for j in range(i - 7, max(-1, i - 57), -7) if j not in gone]
        typical = sum(same_day) / len(same_day) if len(same_day) >= 2 else overall
        filled[i] = max(values[i], typical)
    return filled


class DailyForecast(BaseModel):
    date: date
    quantity: float
    lo: float
    hi: float


class ForecastView(BaseModel):
    """A SKU's forecast, summed over its warehouses unless one is asked for."""

    sku: str
    warehouse: str | None = None
    method: str
    methods: dict[str, str] = Field(
        default_factory=dict, description="The method chosen for each warehouse's series."
    )
    level: int
    run_id: str
    daily: list[DailyForecast]


def combine_forecasts(
    per_warehouse: Sequence[Sequence[tuple[date, float, float, float]]],
) -> list[tuple[date, float, float, float]]:
    """Sum forecasts of several series day by day. Means add; the interval's half-widths add
    in quadrature (the series' errors taken as independent), each side on its own."""
    days: dict[date, list[float]] = {}
    for rows in per_warehouse:
        for day, quantity, lo, hi in rows:
            acc = days.setdefault(day, [0.0, 0.0, 0.0])
            acc[0] += quantity
            acc[1] += (quantity - lo) ** 2
            acc[2] += (hi - quantity) ** 2
    return [
        (day, q, max(0.0, q - math.sqrt(below)), q + math.sqrt(above))
        for day, (q, below, above) in sorted(days.items())
    ]


class ForecastRunIn(BaseModel):
    model_config = {"extra": "forbid"}

    horizon_days: JsonInt = Field(28, ge=1, le=366, description="Days to forecast, 1 to 366.")
    level: JsonInt = Field(90, ge=50, le=99, description="Prediction interval coverage, percent.")


class ForecastRunView(BaseModel):
    id: str
    created_at: datetime
    horizon_days: int
    first_day: date
    series: int
    seconds: float
    methods: dict[str, int]
    overall: dict[str, float | None]


class BacktestView(BaseModel):
    """Rolling-origin backtest of the latest run: the chosen methods beside seasonal naive."""

    run_id: str
    created_at: datetime
    windows: int
    horizon_days: int
    overall: dict[str, float | None]
    skus: list[dict[str, str | float | None]]
    kind: Literal["rolling_origin"] = "rolling_origin"
