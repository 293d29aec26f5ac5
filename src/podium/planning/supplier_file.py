"""Supplier products from a CSV file, all or nothing (issue 16 item 3):
``supplier,sku,unit_cost[,moq][,case_pack][,lead_time_days][,preferred]``."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError

from podium import catalog
from podium.db.database import Database
from podium.planning import _supply_store as store
from podium.planning.history_file import Reject
from podium.planning.suppliers import SupplierProductIn

__all__ = ["OfferImportReport", "import_offers"]

_COLUMNS = ("supplier", "sku", "unit_cost", "moq", "case_pack", "lead_time_days", "preferred")
_TRUE, _FALSE = {"1", "true", "yes", "y"}, {"", "0", "false", "no", "n"}


class OfferImportReport(BaseModel):
    rows_read: int
    rows: int
    written: bool
    rejects: list[Reject]


def _text(data: bytes) -> str | None:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    return None if "\x00" in text else text


def _row(line: int, cells: dict[str, str], rejects: list[Reject]) -> dict[str, object] | None:
    raw: dict[str, object] = {k: v.strip() for k, v in cells.items() if k != "supplier"}
    for name in ("moq", "case_pack", "lead_time_days"):
        value = str(raw.pop(name, ""))
        if not value:
            continue
        if not value.isdigit():
            rejects.append(
                Reject(line=line, field=name, code="invalid_number", message="a whole number")
            )
            return None
        raw[name] = int(value)
    flag = str(raw.pop("preferred", "")).lower()
    if flag not in _TRUE | _FALSE:
        rejects.append(Reject(line=line, field="preferred", code="invalid_flag", message="1 or 0"))
        return None
    raw["preferred"] = flag in _TRUE
    try:
        offer = SupplierProductIn.model_validate(raw)
    except PydanticValidationError as exc:
        error = exc.errors()[0]
        field = str(error["loc"][0]) if error["loc"] else "file"
        rejects.append(Reject(line=line, field=field, code=error["type"], message=error["msg"]))
        return None
    if Decimal(offer.unit_cost) < 0:
        rejects.append(
            Reject(
                line=line, field="unit_cost", code="invalid_money", message="must not be negative"
            )
        )
        return None
    return {**offer.model_dump(), "unit_cost": str(Decimal(offer.unit_cost))}


def import_offers(db: Database, data: bytes, *, dry_run: bool = False) -> OfferImportReport:
    """Every row or none: unknown suppliers or SKUs, bad numbers, a supplier × SKU twice or two
    preferred offers for one SKU are rejected naming line and column."""
    text = _text(data)
    rejects: list[Reject] = []
    if text is None:
        rejects.append(Reject(line=1, field="file", code="invalid_encoding", message="Not UTF-8."))
        return OfferImportReport(rows_read=0, rows=0, written=False, rejects=rejects)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip().lower() for h in reader.fieldnames or []]
    for needed in ("supplier", "sku", "unit_cost"):
        if needed not in header:
            rejects.append(
                Reject(line=1, field=needed, code="missing_column", message=f"no {needed} column")
            )
    if rejects:
        return OfferImportReport(rows_read=0, rows=0, written=False, rejects=rejects)
    rows: list[tuple[int, dict[str, object]]] = []
    seen: set[tuple[str, str]] = set()
    preferred: set[str] = set()
    read = 0
    try:
        for record in reader:
            line = reader.line_num
            cells = {
                (k or "").strip().lower(): (v or "")
                for k, v in record.items()
                if (k or "").strip().lower() in _COLUMNS
            }
            if not any(c.strip() for c in cells.values()):
                continue
            read += 1
            offer = _row(line, cells, rejects)
            if offer is None:
                continue
            key = (cells["supplier"].strip(), str(offer["sku"]))
            if key in seen:
                rejects.append(
                    Reject(
                        line=line,
                        field="sku",
                        code="duplicate_row",
                        message="this supplier and SKU twice",
                    )
                )
                continue
            if offer["preferred"] and key[1] in preferred:
                rejects.append(
                    Reject(
                        line=line,
                        field="preferred",
                        code="duplicate_preferred",
                        message=f"a second preferred offer for {key[1]}",
                    )
                )
                continue
            seen.add(key)
            if offer["preferred"]:
                preferred.add(key[1])
            rows.append((line, {**offer, "supplier": key[0]}))
    except csv.Error as exc:
        rejects.append(
            Reject(line=reader.line_num, field="file", code="invalid_csv", message=str(exc))
        )
    with db.write() as conn:
        known = set(catalog.products_by_sku(conn, {str(r["sku"]) for _, r in rows}))
        for line, r in rows:
            if store.supplier(conn, str(r["supplier"])) is None:
                rejects.append(
                    Reject(
                        line=line,
                        field="supplier",
                        code="unknown_supplier",
                        message=f"no supplier {r['supplier']}",
                    )
                )
            elif r["sku"] not in known:
                rejects.append(
                    Reject(
                        line=line, field="sku", code="unknown_sku", message=f"no product {r['sku']}"
                    )
                )
        rejects.sort(key=lambda r: r.line)
        write = not rejects and not dry_run
        if write:
            for _, r in rows:
                store.upsert_product(conn, r)
    return OfferImportReport(rows_read=read, rows=len(rows), written=write, rejects=rejects)
