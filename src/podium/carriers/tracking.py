"""Tracking: carrier webhooks (EasyPost ``tracker.updated``, signed) and polling as a
fallback. Carrier statuses become shipment statuses; each change lands on the order timeline
and the order follows (delivered when every parcel is)."""

from __future__ import annotations

import json
import logging
from typing import Any

from podium import fulfillment, shipments
from podium.carriers import _store as store
from podium.carriers.accounts import Carriers
from podium.carriers.easypost import parse_tracker
from podium.carriers.model import CarrierError, Tracking, verify_easypost_signature
from podium.carriers.parcels import PollResult
from podium.db.database import Database, as_utc
from podium.errors import DomainError, NotFound, ValidationFailed

__all__ = ["InvalidSignature", "PollResult", "poll", "receive_webhook"]

log = logging.getLogger("podium.tracking")
IN_FLIGHT = ("shipped", "in_transit", "out_for_delivery", "exception")


class InvalidSignature(DomainError):
    status = 401
    code = "invalid_signature"


def _apply(db: Database, carriers: Carriers, tracking: Tracking, actor: str) -> str:
    """``updated``, ``no_change`` or ``unknown_tracking_number``."""
    with db.read() as conn:
        label = store.label_by_tracking(conn, tracking.tracking_number)
    if label is None:
        for tracker in carriers.trackers:  # return labels' parcels (see carriers/parcels.py)
            outcome = tracker.apply(db, tracking, actor)
            if outcome is not None:
                return outcome
        return "unknown_tracking_number"
    if label["voided_at"] is not None:
        return "unknown_tracking_number"
    if tracking.status is None:
        return "no_change"
    try:
        with db.write() as conn:
            changed = fulfillment.apply_tracking(
                conn,
                label["shipment_id"],
                tracking.status,
                tracking.detail,
                actor,
                tracking_url=tracking.public_url,
            )
    except DomainError as exc:
        # The machine (or a hold) refuses this news: acknowledge it so the carrier stops
        # resending; the shipment keeps what it knew and the log says why.
        log.warning("tracking %s → %s refused: %s", tracking.tracking_number, tracking.status, exc)
        return "refused"
    return "updated" if changed else "no_change"


def receive_webhook(
    db: Database, carriers: Carriers, code: str, body: bytes, signature: str | None
) -> dict[str, Any]:
    """An EasyPost event delivery: signature checked over the exact bytes, then applied.
    Unknown parcels and other events are acknowledged (200) so EasyPost stops retrying."""
    with db.read() as conn:
        account = store.account(conn, code)
    if account is None or account["type"] != "easypost":
        raise NotFound(f"No EasyPost carrier account {code}.", code="carrier_not_found")
    secret = account["settings"].get("webhook_secret") or ""
    if not verify_easypost_signature(secret, body, signature):
        raise InvalidSignature("The X-Hmac-Signature header does not match this body.")
    try:
        event = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValidationFailed(
            "The body is not JSON.", code="invalid_payload", details={"field": "body"}
        ) from exc
    if not isinstance(event, dict) or not isinstance(event.get("result"), dict):
        if isinstance(event, dict) and event.get("description"):
            return {"status": "ignored", "event": event.get("description")}
        raise ValidationFailed(
            "An EasyPost event has a result object.",
            code="invalid_payload",
            details={"field": "result"},
        )
    if event.get("description") != "tracker.updated":
        return {"status": "ignored", "event": event.get("description")}
    tracking = parse_tracker(event["result"])
    if not tracking.tracking_number:
        raise ValidationFailed(
            "The tracker has no tracking_code.",
            code="invalid_payload",
            details={"field": "result.tracking_code"},
        )
    outcome = _apply(db, carriers, tracking, f"carrier:{code}")
    return {"status": outcome, "tracking_number": tracking.tracking_number}


def poll(db: Database, carriers: Carriers, *, limit: int = 500) -> PollResult:
    """Ask each carrier about every parcel still on its way (for carriers that cannot call
    back, or webhooks that went missing)."""
    with db.read() as conn:
        moving = shipments.in_flight(conn, IN_FLIGHT, limit=limit)
        labels = store.labels_for(conn, [s.id for s in moving])
        accounts = {r["code"]: r for r in store.accounts(conn)}
    updated = failed = 0
    for s in moving:
        label = labels.get(s.id)
        if label is None:
            continue
        carrier = carriers.build(accounts.get(label["carrier"]))
        shipped_at = as_utc(s.shipped_at) if s.shipped_at else None
        try:
            tracking = carrier.track(label["tracking_number"], shipped_at)
        except CarrierError as exc:
            log.warning("tracking %s failed: %s", label["tracking_number"], exc)
            failed += 1
            continue
        if _apply(db, carriers, tracking, f"carrier:{label['carrier']}") == "updated":
            updated += 1
    checked = len(moving)
    for tracker in carriers.trackers:  # return parcels on their way back
        back = tracker.poll(db, carriers, limit=limit)
        checked, updated, failed = (
            checked + back.checked,
            updated + back.updated,
            failed + back.failed,
        )
    return PollResult(checked, updated, failed)
