"""Reading a spreadsheet export: pure, no I/O.

A file arrives as bytes. :func:`read_sheet` decodes it (UTF-8 with or without BOM, or UTF-16
with a BOM as Excel's "Unicode text" writes it), sniffs the delimiter (``,`` ``;`` or tab) from
the header line, normalises header names (case, spaces and punctuation do not matter) and keeps
each record's *physical* line number, so a reject points at the line a spreadsheet user sees
in a text editor. The report types the API and the CLI show live here too.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from pydantic import BaseModel

__all__ = [
    "MAX_ROWS",
    "Columns",
    "ImportReport",
    "ImportRun",
    "MovementOutcome",
    "OrderOutcome",
    "Reject",
    "Row",
    "Sheet",
    "choose_columns",
    "codec_name",
    "header_key",
    "missing_columns",
    "read_sheet",
    "sniff_delimiter",
]

MAX_ROWS = 200_000
_DELIMITERS = (",", ";", "\t")


class Reject(BaseModel):
    """Why one line of the file cannot be imported."""

    line: int
    field: str
    code: str
    message: str


class OrderOutcome(BaseModel):
    external_id: str
    line: int
    outcome: Literal["created", "would_create", "already_present"]
    order_id: str | None = None
    number: str | None = None
    status: str | None = None
    backordered: bool = False
    differs: bool = False  # already present, but the file now says something else


class MovementOutcome(BaseModel):
    line: int
    sku: str
    warehouse: str
    reason: str
    on_hand_before: int
    on_hand_after: int
    delta: int


class ImportReport(BaseModel):
    """What an import did (or, in a dry run, would do)."""

    kind: Literal["orders", "inventory"]
    dry_run: bool
    partial: bool = False
    written: bool = False
    rows_read: int = 0
    orders_found: int = 0
    would_create: int = 0
    created: int = 0
    already_present: int = 0
    differs: int = 0
    backordered: int = 0
    would_apply: int = 0
    applied: int = 0
    unchanged: int = 0
    rejects: list[Reject] = []
    orders: list[OrderOutcome] = []
    movements: list[MovementOutcome] = []
    ignored_columns: list[str] = []
    digest: str = ""
    run_id: str | None = None


class ImportRun(BaseModel):
    """An import that wrote something: which file (SHA-256), who, when, what it did."""

    id: str
    kind: str
    channel: str | None
    digest: str
    filename: str | None
    rows_read: int
    created: int
    already_present: int
    movements: int
    rejected: int
    actor: str
    created_at: datetime


def header_key(name: str) -> str:
    """A header as a key: ``"Lineitem SKU"`` → ``"lineitem_sku"``."""
    return re.sub(r"[^a-z0-9]+", "_", name.strip().lower()).strip("_")


@dataclass(frozen=True, slots=True)
class Row:
    """One record: its physical line number and its cells by header key."""

    line: int
    cells: Mapping[str, str]

    def get(self, key: str) -> str:
        return self.cells.get(key, "").strip()


@dataclass(frozen=True, slots=True)
class Columns:
    """Which header of the file feeds each field we know (by alias, first listed wins)."""

    chosen: Mapping[str, str]  # field -> header key present in the file
    headers: Mapping[str, str]  # header key -> header as written
    ignored: tuple[str, ...]

    def label(self, name: str) -> str:
        """The column a user sees for one of our field names (or the name itself)."""
        key = self.chosen.get(name)
        return self.headers.get(key, name) if key is not None else name

    def value(self, row: Row, name: str) -> str:
        key = self.chosen.get(name)
        return row.get(key) if key is not None else ""


def choose_columns(headers: Mapping[str, str], aliases: Mapping[str, Sequence[str]]) -> Columns:
    chosen: dict[str, str] = {}
    for name, keys in aliases.items():
        for key in keys:
            if key in headers:
                chosen[name] = key
                break
    used = set(chosen.values())
    ignored = tuple(headers[k] for k in headers if k not in used)
    return Columns(chosen, headers, ignored)


@dataclass(slots=True)
class Sheet:
    headers: dict[str, str]  # header key -> header as written, in file order
    rows: list[Row] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    header_line: int = 1


# Registered as text encodings, yet no file is written in them: "undefined" refuses every byte.
_NOT_TEXT = frozenset({"undefined"})


def codec_name(encoding: str) -> str | None:
    """Python's name for a text encoding ("Windows-1252" → "cp1252"), or None if unknown.

    Python's codec registry also holds bytes-to-bytes and str-to-str transforms (rot13,
    base64, hex, zlib_codec…) that cannot turn a file into text; those count as unknown here.
    """
    try:
        info = codecs.lookup(encoding.strip())
    except (LookupError, ValueError):
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_TEXT:
        return None
    return info.name


def is_codec(encoding: str) -> bool:
    """Whether Python knows ``encoding`` at all, text or not (to say which mistake it is)."""
    try:
        codecs.lookup(encoding.strip())
    except (LookupError, ValueError):
        return False
    return True


def _decode(data: bytes, encoding: str | None = None) -> tuple[str, Reject | None]:
    codec = codec_name(encoding) if encoding else None
    if codec is not None and codec not in ("utf-8", "utf-8-sig"):
        try:
            return data.decode(codec), None
        except UnicodeDecodeError as exc:
            return "", _bad_byte(data, exc, f"The file is not {encoding}")
        except UnicodeError:  # idna and friends fail on the text as a whole, not at a byte
            return "", Reject(
                line=1, field="file", code="invalid_encoding", message=f"Not valid {encoding}."
            )
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        return "", Reject(
            line=1,
            field="file",
            code="unsupported_format",
            message="This is a spreadsheet workbook, not CSV; save it as 'CSV UTF-8' first.",
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), None
        except UnicodeDecodeError:
            return "", Reject(
                line=1, field="file", code="invalid_encoding", message="Not valid UTF-16."
            )
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        return "", _bad_byte(data, exc, "The file is not UTF-8")


def _bad_byte(data: bytes, exc: UnicodeDecodeError, what: str) -> Reject:
    return Reject(
        line=data[: exc.start].count(b"\n") + 1,
        field="file",
        code="invalid_encoding",
        message=f"{what} (byte 0x{data[exc.start]:02x}); save it as 'CSV UTF-8', or name its "
        "encoding (e.g. cp1252 for Excel's 'CSV (Comma delimited)' on Windows).",
    )


def sniff_delimiter(header_line: str) -> str:
    """The delimiter the header line uses most, outside quotes (``,`` when none)."""
    counts = dict.fromkeys(_DELIMITERS, 0)
    quoted = False
    for ch in header_line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_sheet(data: bytes, encoding: str | None = None) -> Sheet:
    """Decode, sniff and split a CSV file into rows keyed by normalised header.

    Without ``encoding`` the file is UTF-8 (BOM or not) or UTF-16 with a BOM.
    """
    text, problem = _decode(data, encoding)
    if problem is not None:
        return Sheet({}, rejects=[problem])
    lines = text.splitlines()
    first = next((i for i, ln in enumerate(lines) if ln.strip()), None)
    if first is None:
        return Sheet({}, rejects=[_file_reject(1, "empty_file", "The file has no header line.")])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(lines[first]))
    sheet = Sheet({})
    seen: list[str] = []
    end = 0
    try:
        for record in reader:
            start, end = end + 1, reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            if not seen:
                sheet.header_line = start
                seen = [header_key(h) for h in record]
                sheet.headers = {k: h.strip() for k, h in zip(seen, record, strict=True) if k}
                continue
            if len(sheet.rows) >= MAX_ROWS:
                sheet.rejects.append(
                    _file_reject(start, "too_many_rows", f"Import at most {MAX_ROWS} rows a file.")
                )
                break
            _take(sheet, seen, record, start)
    except csv.Error as exc:
        sheet.rejects.append(_file_reject(end + 1, "malformed_csv", f"Cannot read the CSV: {exc}."))
    return sheet


def _take(sheet: Sheet, keys: list[str], record: list[str], line: int) -> None:
    extra = [c for c in record[len(keys) :] if c.strip()]
    if extra:
        sheet.rejects.append(
            Reject(
                line=line,
                field="row",
                code="too_many_cells",
                message=f"The row has {len(record)} cells but the header names {len(keys)}.",
            )
        )
        return
    cells = {k: v for k, v in zip(keys, record, strict=False) if k}
    sheet.rows.append(Row(line, cells))


def _file_reject(line: int, code: str, message: str) -> Reject:
    return Reject(line=line, field="file", code=code, message=message)


def missing_columns(
    sheet: Sheet, columns: Columns, required: Iterable[tuple[str, str]]
) -> list[Reject]:
    """A reject on the header line for each required field no column feeds."""
    return [
        Reject(
            line=sheet.header_line,
            field=name,
            code="missing_column",
            message=f"No {name} column; name one {hint}.",
        )
        for name, hint in required
        if name not in columns.chosen
    ]
