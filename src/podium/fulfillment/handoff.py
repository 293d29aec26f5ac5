"""Handing released shipments to an external warehouse (WMS or 3PL): a signed JSON webhook or
a CSV file dropped into a directory, per warehouse. Runs as an outbox subscriber, so it is
delivered at least once and retried with backoff; receivers dedupe on the event id."""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import os
import tempfile
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import httpx

from podium import shipments
from podium.config import Settings
from podium.csvsafe import SafeWriter, csv_text
from podium.db.database import Database
from podium.errors import ValidationFailed
from podium.events import Envelope
from podium.fulfillment import _store as wstore
from podium.fulfillment.handoff_targets import confine_dir, refused_url
from podium.fulfillment.model import Handoff
from podium.orders import order_lines, require_order
from podium.resilience import BreakerPolicy, Breakers, Timeouts

__all__ = [
    "CSV_COLUMNS",
    "HandoffFailed",
    "document",
    "on_order_cancelled",
    "on_released",
    "sign",
]

SIGNATURE_HEADER = "X-Podium-Signature"
TIMESTAMP_HEADER = "X-Podium-Timestamp"
CSV_COLUMNS = [
    "shipment_id", "order_number", "line_no", "sku", "name", "quantity", "ship_to_name",
    "line1", "line2", "city", "region", "postal_code", "country", "phone", "warehouse",
]  # fmt: skip


class HandoffFailed(Exception):
    """The receiver did not take it; the relay will try again."""


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """``sha256=<hex>`` of HMAC-SHA256(secret, ``<timestamp>.<body>``): the timestamp is
    signed too, so a receiver can refuse old replays."""
    message = str(timestamp).encode() + b"." + body
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def document(db: Database, shipment_id: str) -> dict[str, Any] | None:
    with db.read() as conn:
        shipment = shipments.get_shipment(conn, shipment_id)
        if shipment is None:
            return None
        order = require_order(conn, shipment.order_id)
        names = {ln.line_no: ln.name for ln in order_lines(conn, [order.id])}
        lines = shipments.lines_for(conn, [shipment_id])
    return {
        "id": shipment_id,
        "order_id": order["id"],
        "order_number": order["number"],
        "warehouse": shipment.warehouse,
        "status": shipment.status,
        "promised_by": shipment.promised_by.isoformat() if shipment.promised_by else None,
        "ship_to": {"name": order["customer_name"], **dict(order["shipping_address"])},
        "lines": [
            {
                "line_no": ln.line_no,
                "sku": ln.sku,
                "name": names.get(ln.line_no),
                "quantity": ln.quantity,
            }
            for ln in lines
        ],
    }


def _csv(doc: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = SafeWriter(out)
    writer.writerow(CSV_COLUMNS)
    to = doc["ship_to"]
    for ln in doc["lines"]:
        writer.writerow(
            [doc["id"], doc["order_number"], ln["line_no"], ln["sku"], ln["name"], ln["quantity"],
             to.get("name"), to.get("line1"), to.get("line2"), to.get("city"), to.get("region"),
             to.get("postal_code"), to.get("country"), to.get("phone"), doc["warehouse"]]
        )  # fmt: skip
    return out.getvalue()


def _drop(directory: str, root: str, name: str, text: str) -> None:
    """Write atomically: a reader never sees half a file (temp file, then rename). The
    directory is confined under the hand-off root again now: it may have become a symlink."""
    try:
        folder = confine_dir(directory, root)
        folder.mkdir(parents=True, exist_ok=True)
        confine_dir(directory, root)
    except ValidationFailed as exc:
        raise HandoffFailed(exc.message) from exc
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".csv")
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
        f.write(text)
    os.replace(tmp, folder / name)


def _post(
    http: httpx.Client,
    settings: Any,
    code: str,
    kind: str,
    event_id: str,
    doc: dict[str, Any],
    config: Settings,
    breakers: Breakers,
) -> None:
    refused = refused_url(settings["handoff_url"], allow_private=config.webhooks_allow_private)
    if refused:
        raise HandoffFailed(f"{code} hand-off {refused}")
    parts = urlsplit(settings["handoff_url"])
    breaker = breakers(f"{parts.scheme}://{parts.netloc}")
    if not breaker.allow():  # it kept failing: the relay retries later, others go on
        raise HandoffFailed(
            f"{code} hand-off is failing; next try in {breaker.retry_in():.0f} s (circuit open)"
        )
    body = json.dumps(
        {"id": event_id, "type": kind, "shipment": doc}, separators=(",", ":")
    ).encode()
    ts = int(time.time())
    try:
        r = http.post(
            settings["handoff_url"],
            content=body,
            headers={
                "Content-Type": "application/json",
                TIMESTAMP_HEADER: str(ts),
                SIGNATURE_HEADER: sign(settings["handoff_secret"], ts, body),
                "X-Podium-Event-Id": event_id,
            },
            timeout=Timeouts(
                config.outbound_connect_seconds,
                config.webhook_timeout_seconds,
                config.webhook_timeout_seconds,
            ).httpx_timeout(),
        )
    except httpx.HTTPError as exc:
        breaker.failed()
        raise HandoffFailed(f"{code} hand-off unreachable: {exc}") from exc
    if r.status_code >= 500 or r.status_code == 429:
        breaker.failed()
    else:
        breaker.succeeded()
    if r.status_code >= 300:
        raise HandoffFailed(f"{code} hand-off answered {r.status_code}")


def on_released(
    db: Database, http: httpx.Client, config: Settings, breakers: Breakers | None = None
) -> Callable[[list[Envelope]], None]:
    """The relay's batch subscriber: one read of the settings for a whole batch (most
    warehouses hand nothing off), then each hand-off. If one fails the batch is retried, and
    receivers dedupe the others on the event id. A receiver's circuit (``breakers``, per
    host) opens after repeated failures, so a hanging 3PL costs a batch a few timeouts, not
    one per shipment."""
    breakers = breakers or Breakers("handoff", BreakerPolicy.of(config))

    def handle(events: list[Envelope]) -> None:
        codes = sorted({str(e.payload.get("warehouse", "")) for e in events})
        with db.read() as conn:
            settings = wstore.settings_for(conn, codes)
        failures: list[str] = []
        for event in events:
            code = str(event.payload.get("warehouse", ""))
            row = settings.get(code)
            if row is None or row["handoff"] == Handoff.NONE:
                continue
            try:
                _hand_off(db, http, row, code, event, config, breakers)
            except (HandoffFailed, OSError) as exc:
                failures.append(str(exc))
        if failures:
            raise HandoffFailed("; ".join(failures))

    return handle


def _hand_off(
    db: Database,
    http: httpx.Client,
    row: Any,
    code: str,
    event: Envelope,
    config: Settings,
    breakers: Breakers,
) -> None:
    doc = document(db, str(event.payload["shipment_id"]))
    if doc is None:
        return
    if row["handoff"] == Handoff.CSV_DROP:
        _drop(row["handoff_dir"], config.handoff_root, f"{code}-{doc['id']}.csv", _csv(doc))
        return
    _post(http, row, code, "shipment.released", f"evt_{event.id}", doc, config, breakers)


def on_order_cancelled(
    db: Database, http: httpx.Client, config: Settings, breakers: Breakers | None = None
) -> Callable[[Envelope], None]:
    """An order was cancelled: every external warehouse that had been given one of its
    shipments is told to stop (``shipment.cancelled`` webhook, or a ``.cancel.csv`` file)."""
    breakers = breakers or Breakers("handoff", BreakerPolicy.of(config))

    def handle(event: Envelope) -> None:
        with db.read() as conn:
            ships = [
                s
                for s in shipments.shipments_for_orders(conn, [event.aggregate_id])
                if s.status == "cancelled" and s.released_at is not None
            ]
            settings = wstore.settings_for(conn, sorted({s.warehouse for s in ships}))
        for s in ships:
            row = settings.get(s.warehouse)
            if row is None or row["handoff"] == Handoff.NONE:
                continue
            doc = document(db, s.id)
            if doc is None:
                raise RuntimeError(f"no hand-off document for shipment {s.id}")
            if row["handoff"] == Handoff.CSV_DROP:
                text = csv_text(
                    ["shipment_id", "order_number", "action"],
                    [[doc["id"], doc["order_number"], "cancel"]],
                )
                name = f"{s.warehouse}-{doc['id']}.cancel.csv"
                _drop(row["handoff_dir"], config.handoff_root, name, text)
            else:
                event_id = f"evt_{event.id}_{s.id}"  # one id per shipment told
                _post(http, row, s.warehouse, "shipment.cancelled", event_id, doc, config, breakers)

    return handle
