"""Import runs: the record of each import that wrote something, and the repeat guard."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection

from podium.db.database import Database, as_utc, utcnow
from podium.errors import Conflict, ValidationFailed
from podium.ids import new_id
from podium.imports import _store as store
from podium.imports.model import ImportReport, ImportRun, codec_name, is_codec
from podium.paging import Page, decode_cursor

__all__ = ["Discard", "Progress", "check_encoding", "list_runs", "record_run", "refuse_repeat"]

Progress = Callable[[int, int], None]
"""Told (done, total) as orders or rows are written."""


class Discard(Exception):
    """Roll the import's transaction back (dry run, or a reject in all-or-nothing mode)."""


def refuse_repeat(conn: Connection, digest: str) -> None:
    found = store.find_run(conn, "inventory", digest)
    if found is None:
        return
    at = as_utc(found["created_at"]).isoformat(timespec="seconds")
    raise Conflict(
        f"This stock file was already imported at {at} (run {found['id']}); nothing was "
        "written. Applying it again would count its changes twice; force it if you mean to.",
        code="already_imported",
        details={"field": "file", "run_id": found["id"], "imported_at": at},
    )


def record_run(
    conn: Connection,
    report: ImportReport,
    actor: str,
    *,
    channel: str | None = None,
    movements: int = 0,
    filename: str | None = None,
) -> None:
    report.run_id = new_id("imp")
    store.insert_run(
        conn,
        {
            "id": report.run_id,
            "kind": report.kind,
            "channel": channel,
            "digest": report.digest,
            "filename": filename[:300] if filename else None,
            "rows_read": report.rows_read,
            "created": report.created,
            "already_present": report.already_present,
            "movements": movements,
            "rejected": len(report.rejects),
            "actor": actor,
            "created_at": utcnow(),
        },
    )


def list_runs(
    db: Database, *, kind: str | None = None, cursor: str | None = None, limit: int = 50
) -> Page[ImportRun]:
    """Imports that wrote something, newest first."""
    position = decode_cursor(cursor, (str,)) if cursor is not None else None
    with db.read() as conn:
        page = store.list_runs(conn, kind=kind, position=position, limit=limit)
    return page.map(
        [ImportRun.model_validate({**r, "created_at": as_utc(r["created_at"])}) for r in page.items]
    )


def check_encoding(encoding: str | None) -> None:
    """Refuse an encoding name Python does not know, or a codec that does not make text
    (rot13, base64, zlib_codec…): an operator mistake, not a bad row."""
    if encoding is not None and codec_name(encoding) is None and is_codec(encoding):
        raise ValidationFailed(
            f"{encoding!r} is not a text encoding (try utf-8, cp1252 or latin-1).",
            code="invalid_encoding",
            details={"field": "encoding", "encoding": encoding},
        )
    if encoding is not None and codec_name(encoding) is None:
        raise ValidationFailed(
            f"Unknown text encoding {encoding!r} (try utf-8, cp1252 or latin-1).",
            code="unknown_encoding",
            details={"field": "encoding", "encoding": encoding},
        )
