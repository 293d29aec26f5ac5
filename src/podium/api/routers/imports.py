"""CSV imports of orders and stock: the file is the request body (text/csv) or a multipart
upload (field ``file``). The answer is the import report; rejected rows → 422 with the rejects,
nothing written. Bodies may be up to PODIUM_MAX_IMPORT_BYTES (32 MiB by default).
"""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from podium import imports
from podium.access import Permission
from podium.api.deps import Caller, get_podium, require
from podium.api.errors import error_response
from podium.api.paging import CURSOR_HELP, ListPage
from podium.bootstrap import Podium
from podium.errors import DomainError, ValidationFailed
from podium.imports import ImportReport, ImportRun
from podium.validation import Code

router = APIRouter(tags=["imports"])

READ = Depends(require(Permission.READ))
OPERATE = Depends(require(Permission.OPERATE))

_RAW = {
    "",
    "text/csv",
    "application/csv",
    "text/plain",
    "text/tab-separated-values",
    "application/vnd.ms-excel",  # what browsers on Windows call a .csv file
    "application/octet-stream",
}
_DOC = {
    "description": "The import report (201 when something was written, 200 otherwise).",
}
_REJECTED = {"description": "Rows rejected (`import_rejected`); nothing was written."}
CSV_BODY = {  # a CSV upload, raw or as multipart `file` (the planning imports too)
    "requestBody": {
        "required": True,
        "content": {
            "text/csv": {"schema": {"type": "string"}},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {"file": {"type": "string", "format": "binary"}},
                    "required": ["file"],
                }
            },
        },
    }
}


class UnsupportedMediaType(DomainError):
    status = 415
    code = "unsupported_media_type"


_ENCODING = Query(
    None,
    max_length=40,
    description="The file's text encoding when not UTF-8 (e.g. cp1252); a text/csv body may "
    "say it as `charset` instead.",
)


def _charset(content_type: str) -> str | None:
    for param in content_type.split(";")[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            return value.strip().strip('"')
    return None


async def csv_body(request: Request) -> tuple[bytes, str | None]:
    """The file's bytes and name (multipart filename, or the ``X-Filename`` header)."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    filename = request.headers.get("x-filename")
    if kind == "multipart/form-data":
        form = await request.form(max_files=1)
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            upload = next((v for v in form.values() if isinstance(v, UploadFile)), None)
        if upload is None:
            raise ValidationFailed(
                "Upload the CSV as the multipart field `file`.",
                code="missing_file",
                details={"field": "file"},
            )
        data = await upload.read()
        filename = upload.filename or filename
    elif kind in _RAW:
        data = await request.body()
    else:
        raise UnsupportedMediaType(
            f"Send the CSV as text/csv or as a multipart upload, not {kind}.",
            details={"field": "content-type", "content_type": kind},
        )
    if not data.strip():
        raise ValidationFailed("The file is empty.", code="empty_file", details={"field": "file"})
    return data, filename


def import_answer(report: BaseModel) -> Response:
    """An all-or-nothing import's answer: 422 ``import_rejected`` naming the first rejected
    line and field (nothing written), else the report, 201 when something was written."""
    rejects = list(getattr(report, "rejects", []))
    if rejects and not getattr(report, "partial", False):
        first = rejects[0]
        verb = "would be" if getattr(report, "dry_run", False) else "was"
        return error_response(
            422,
            "import_rejected",
            f"{len(rejects)} row(s) rejected (first on line {first.line}: "
            f"{first.message}); nothing {verb} imported.",
            {
                "field": first.field,
                "line": first.line,
                "rejects": [r.model_dump() for r in rejects],
                "report": report.model_dump(mode="json"),
            },
        )
    return Response(
        report.model_dump_json(),
        status_code=201 if getattr(report, "written", False) else 200,
        media_type="application/json",
    )


@router.post(
    "/imports/orders",
    response_model=ImportReport,
    responses={200: _DOC, 201: _DOC, 422: _REJECTED},
    openapi_extra=CSV_BODY,
)
async def import_orders(
    request: Request,
    channel: Code = Query(..., description="The channel the orders were sold on."),
    dry_run: bool = Query(False, description="Validate and simulate; write nothing."),
    partial: bool = Query(False, description="Import the good orders, skip rejected ones."),
    encoding: str | None = _ENCODING,
    caller: Caller = OPERATE,
    podium: Podium = Depends(get_podium),
) -> Response:
    """Orders from a CSV: one row per order line, rows grouped by order id."""
    data, filename = await csv_body(request)
    encoding = encoding or _charset(request.headers.get("content-type", ""))
    report = await run_in_threadpool(
        lambda: imports.import_orders(
            podium.db,
            data,
            channel=channel,
            allocator=podium.allocator,
            actor=caller.actor,
            dry_run=dry_run,
            partial=partial,
            filename=filename,
            encoding=encoding,
        )
    )
    return import_answer(report)


@router.post(
    "/imports/inventory",
    response_model=ImportReport,
    responses={200: _DOC, 201: _DOC, 422: _REJECTED},
    openapi_extra=CSV_BODY,
)
async def import_inventory(
    request: Request,
    dry_run: bool = Query(False, description="Validate and simulate; write nothing."),
    partial: bool = Query(False, description="Apply the good rows, skip rejected ones."),
    force: bool = Query(False, description="Apply a file that was already imported again."),
    encoding: str | None = _ENCODING,
    caller: Caller = OPERATE,
    podium: Podium = Depends(get_podium),
) -> Response:
    """Stock from a CSV: per SKU × warehouse, an `on_hand` count or a signed `delta`.

    The same file (by SHA-256) a second time → 409 `already_imported` unless `force=true`.
    """
    data, filename = await csv_body(request)
    encoding = encoding or _charset(request.headers.get("content-type", ""))
    report = await run_in_threadpool(
        lambda: imports.import_inventory(
            podium.db,
            data,
            actor=caller.actor,
            dry_run=dry_run,
            partial=partial,
            filename=filename,
            force=force,
            encoding=encoding,
        )
    )
    return import_answer(report)


class ImportRunList(ListPage):
    items: list[ImportRun]


@router.get("/imports", response_model=ImportRunList)
def list_imports(
    kind: Literal["orders", "inventory"] | None = None,
    cursor: str | None = Query(None, description=CURSOR_HELP),
    limit: int = Query(50, ge=1, le=200),
    _: Caller = READ,
    podium: Podium = Depends(get_podium),
) -> dict[str, object]:
    """Imports that wrote something, newest first, in pages both ways with a capped `total`."""
    return imports.list_runs(podium.db, kind=kind, cursor=cursor, limit=limit).body()
