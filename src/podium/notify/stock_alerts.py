"""The low-stock alert e-mail: a ``stock.low`` rule's ``notify`` with ``to`` (an address)
sends template ``stock_low`` about the SKU and warehouse, once per event (recorded in
``notifications`` without an order)."""

from __future__ import annotations

import logging
import smtplib
from typing import TYPE_CHECKING

from podium.db.database import utcnow
from podium.errors import ValidationFailed
from podium.events import Envelope
from podium.ids import new_id
from podium.notify import _store as store

if TYPE_CHECKING:
    from podium.notify.emails import Emailer

__all__ = ["STOCK_ALERT", "TEMPLATE", "send_stock_alert"]

log = logging.getLogger("podium.notify")

# automation.events.StockNotified, by wire type (notify and automation are siblings).
STOCK_ALERT = "automation.stock_notify"
TEMPLATE = "stock_low"


def send_stock_alert(emailer: Emailer, envelope: Envelope) -> None:
    payload = envelope.payload
    to = payload.get("to")
    if not isinstance(to, str) or not to or not emailer.mailer.enabled:
        return
    with emailer.db.read() as conn:
        if store.already_sent(conn, envelope.id, TEMPLATE):
            return
    context = {
        "brand": "Podium",
        "customer_name": None,
        "sku": payload.get("sku"),
        "warehouse": payload.get("warehouse"),
        "available": payload.get("available"),
        "threshold": payload.get("threshold"),
        "rule": payload.get("rule"),
        "event": payload.get("event"),
    }
    try:
        rendered = emailer.renderer.render(TEMPLATE, context)
        message = emailer.mailer.compose(
            to=to, subject=rendered.subject, text=rendered.text, html=rendered.html
        )
    except (ValidationFailed, ValueError, TypeError) as exc:
        log.warning("stock alert for %s to %s not sent: %s", context["sku"], to, exc)
        return
    try:
        message_id = emailer.mailer.send(message)
    except smtplib.SMTPRecipientsRefused:
        log.warning("stock alert for %s: %s was refused", context["sku"], to)
        return
    with emailer.db.write() as conn:
        store.record_sent(
            conn,
            {
                "id": new_id("ntf"),
                "event_id": envelope.id,
                "template": TEMPLATE,
                "order_id": None,
                "channel": None,
                "recipient": to,
                "subject": rendered.subject,
                "message_id": message_id,
                "sent_at": utcnow(),
            },
        )
