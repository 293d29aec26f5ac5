"""The end-of-day carrier manifest: every parcel that left a warehouse on a day, as PDF or
CSV (what the driver signs, and what a carrier's upload form takes)."""

from __future__ import annotations

import io
from datetime import date

from podium import fulfillment
from podium.carriers import _store as store
from podium.csvsafe import SafeWriter
from podium.db.database import Database, as_utc
from podium.errors import ValidationFailed
from podium.fulfillment import ManifestDoc, ManifestRow
from podium.money import format_amount

__all__ = ["FIRST_DAY", "LAST_DAY", "manifest", "manifest_csv"]

# A manifest covers one UTC day, [day, day + 1): the day after 9999-12-31 does not exist, and
# nothing shipped before the epoch. Outside this range the answer is a 422, not an overflow.
FIRST_DAY = date(1970, 1, 1)
LAST_DAY = date(9998, 12, 31)


def manifest(db: Database, code: str, day: date) -> ManifestDoc:
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValidationFailed(
            f"date must be a day from {FIRST_DAY} to {LAST_DAY}.",
            code="invalid_date",
            details={"field": "date"},
        )
    shipped = fulfillment.shipped_on(db, code, day)
    ids = [r.id for r, _ in shipped]
    with db.read() as conn:
        labels = store.labels_for(conn, ids)
    fallback = fulfillment.weights(db, [i for i in ids if i not in labels])
    rows = []
    for s, number in shipped:
        label = labels.get(s.id)
        rows.append(
            ManifestRow(
                tracking_number=s.tracking_number or "",
                order_number=number,
                carrier=(label["carrier_name"] if label else s.carrier) or "",
                service=(label["service"] if label else s.service) or "",
                weight_grams=label["weight_grams"] if label else fallback.get(s.id, 0),
                rate=format_amount(label["rate_amount"], label["currency"]) if label else "",
                currency=label["currency"] if label else "",
                shipped_at=as_utc(s.shipped_at).isoformat(timespec="seconds")
                if s.shipped_at
                else "",
            )
        )
    return ManifestDoc(code, day.isoformat(), rows)


def manifest_csv(doc: ManifestDoc) -> str:
    out = io.StringIO()
    writer = SafeWriter(out)
    writer.writerow(
        [
            "tracking_number",
            "order_number",
            "carrier",
            "service",
            "weight_grams",
            "rate",
            "currency",
            "shipped_at",
        ]
    )
    for r in doc.rows:
        writer.writerow(
            [
                r.tracking_number,
                r.order_number,
                r.carrier,
                r.service,
                r.weight_grams,
                r.rate,
                r.currency,
                r.shipped_at,
            ]
        )
    return out.getvalue()
