"""Customer e-mails: the relay subscriber that sends them, previews, test sends, the record.

Also sends the e-mail an automation rule's ``notify`` asks for (``automation.email``: its
template, to the customer or a given address). Sent at most once per (event, template): the
``notifications`` table is checked before sending and written after, with a
``notification.sent`` entry on the order's timeline in the same transaction. (The relay is
at-least-once; only a crash between the SMTP hand-off and that commit can repeat an e-mail, and
then with the same Message-ID, made of the order, the event and the template.)
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel, TypeAdapter
from pydantic import ValidationError as PydanticValidationError

from podium import catalog, orders, shopper
from podium.db.database import Database, as_utc, utcnow
from podium.errors import NotFound, ValidationFailed
from podium.events import Envelope
from podium.ids import new_id
from podium.notify import _store as store
from podium.notify.mailer import Mailer, MailFailed
from podium.notify.model import EMAIL_TEMPLATES, EXCHANGE_SHIPPED
from podium.notify.return_mail import label_attachments, return_context, should_send
from podium.notify.stock_alerts import STOCK_ALERT, send_stock_alert
from podium.notify.templates import Rendered, Renderer
from podium.orders import OrderView
from podium.shipments import ShipmentView
from podium.validation import Email

__all__ = ["Emailer", "NotificationView", "list_notifications"]

log = logging.getLogger("podium.notify")

ACTOR = "notify"
_ADDRESS: TypeAdapter[str] = TypeAdapter(Email)
_EVENT_FOR_TEMPLATE = {v: k for k, v in EMAIL_TEMPLATES.items()}
# A rule's ``notify`` e-mail (automation.events.AutomationEmail, by wire type: notify and
# automation are siblings): the payload names the template and the recipient.
AUTOMATION_EMAIL = "automation.email"


class NotificationView(BaseModel):
    id: str
    event_id: str
    event_type: str | None
    template: str
    channel: str | None
    to: str
    subject: str
    message_id: str
    sent_at: datetime


def list_notifications(db: Database, order_id: str) -> list[NotificationView]:
    orders.get_order(db, order_id)  # 404 for an unknown order
    with db.read() as conn:
        rows = store.for_order(conn, order_id)
    return [
        NotificationView(
            id=r["id"],
            event_id=str(r["event_id"]),
            event_type=_EVENT_FOR_TEMPLATE.get(r["template"]),
            template=r["template"],
            channel=r["channel"],
            to=r["recipient"],
            subject=r["subject"],
            message_id=r["message_id"],
            sent_at=as_utc(r["sent_at"]),
        )
        for r in rows
    ]


def _order_id(envelope: Envelope) -> str | None:
    found = envelope.payload.get("order_id")
    if isinstance(found, str):
        return found
    return envelope.aggregate_id if envelope.aggregate_type == "order" else None


def _shipment(order: OrderView, payload: dict[str, Any]) -> ShipmentView | None:
    wanted = payload.get("shipment_id")
    for s in order.shipments:
        if s.id == wanted:
            return s
    tracked = [s for s in order.shipments if s.tracking_number or s.tracking_url]
    candidates = tracked or order.shipments
    return candidates[-1] if candidates else None


def _link(url: object) -> str | None:
    """Only http(s) links go into an e-mail (never ``javascript:`` and the like)."""
    if isinstance(url, str) and urlsplit(url.strip()).scheme.lower() in ("http", "https"):
        return url.strip()
    return None


class Emailer:
    """Renders and sends the e-mail an event calls for (see ``model.EMAIL_TEMPLATES``)."""

    def __init__(
        self,
        db: Database,
        mailer: Mailer,
        renderer: Renderer,
        links: shopper.Shopper | None = None,
    ) -> None:
        self.db = db
        self.mailer = mailer
        self.renderer = renderer
        self.links = links  # the order-status link in every e-mail (none without it)

    def _channel_settings(self, code: str) -> tuple[str, dict[str, Any], str]:
        """The channel's name, its ``notifications`` settings and its locale."""
        try:
            channel = catalog.get_channel(self.db, code)
            every = catalog.read_channel_settings(self.db, code)
        except NotFound:
            return code, {}, shopper.DEFAULT_LOCALE
        found = every.get("notifications")
        locale = shopper.pick_locale(every.get("locale"))
        return channel.name, dict(found) if isinstance(found, dict) else {}, locale

    def render(
        self, template: str, order: OrderView, payload: dict[str, Any]
    ) -> tuple[Rendered, dict[str, Any]]:
        """The e-mail ``template`` would send for ``order`` (and the channel's settings)."""
        name, settings, locale = self._channel_settings(order.channel)
        shipment = _shipment(order, payload)
        say = shopper.translations(locale).gettext
        refund = {k: payload.get(k) for k in ("amount", "currency", "reason")}
        context = {
            "brand": settings.get("brand") or name,
            "support_email": settings.get("support_email"),
            "order": order.model_dump(mode="json"),
            "customer_name": order.customer.get("name"),
            "shipment": shipment.model_dump(mode="json") if shipment else None,
            "tracking_number": payload.get("tracking_number")
            or (shipment.tracking_number if shipment else None),
            "tracking_url": _link(
                payload.get("tracking_url") or (shipment.tracking_url if shipment else None)
            ),
            "carrier": payload.get("carrier") or (shipment.carrier if shipment else None),
            "refund": refund,
            "reason": payload.get("reason"),
            "locale": locale,
            "track_url": self.links.tracking_url(order.id) if self.links else None,
            "track_text": say("See where your order is"),
            **return_context(self.db, self.links, order, payload),
        }
        templates = settings.get("templates")
        rendered = self.renderer.render(
            template,
            context,
            channel=order.channel,
            overrides=dict(templates) if isinstance(templates, dict) else None,
        )
        return rendered, settings

    def preview(self, event_type: str, order_id: str) -> Rendered:
        template = EMAIL_TEMPLATES.get(event_type)
        if template is None:
            raise ValidationFailed(
                f"No e-mail is sent for {event_type}; one of {', '.join(EMAIL_TEMPLATES)}.",
                code="invalid_event_type",
                details={"field": "event"},
            )
        order = orders.get_order(self.db, order_id)
        return self.render(template, order, {})[0]

    def send_test(self, to: str) -> str:
        try:
            to = _ADDRESS.validate_python(to)
        except PydanticValidationError as exc:
            raise ValidationFailed(
                f"{to!r} is not an e-mail address.", code="invalid_email", details={"field": "to"}
            ) from exc
        rendered = self.renderer.render("test", {"brand": "Podium"})
        message = self.mailer.compose(
            to=to, subject=rendered.subject, text=rendered.text, html=rendered.html
        )
        try:
            return self.mailer.send(message)
        except (OSError, smtplib.SMTPException) as exc:
            raise MailFailed(
                f"The SMTP server {self.mailer.host}:{self.mailer.port} did not take the "
                f"message: {exc}",
                details={"to": to},
            ) from exc

    def send_mail(
        self,
        to: str,
        subject: str,
        text: str,
        html: str,
        attachments: Sequence[tuple[str, bytes, str]] = (),
    ) -> str:
        """Send one message now (a document such as a purchase order to a supplier); 503
        ``email_unavailable`` when the SMTP server does not take it."""
        message = self.mailer.compose(
            to=to, subject=subject, text=text, html=html, attachments=attachments
        )
        try:
            return self.mailer.send(message)
        except (OSError, smtplib.SMTPException) as exc:
            raise MailFailed(
                f"The SMTP server {self.mailer.host}:{self.mailer.port} did not take the "
                f"message: {exc}",
                details={"to": to},
            ) from exc

    def _failed(self, order_id: str, message: str, data: dict[str, Any]) -> None:
        log.warning("order %s: %s", order_id, message)
        with self.db.write() as conn:
            orders.add_entry(conn, order_id, "notification.failed", message[:2000], data, ACTOR)

    def on_event(self, envelope: Envelope) -> None:
        """Relay subscriber: send the customer the e-mail this event calls for, once."""
        if envelope.type == STOCK_ALERT:
            send_stock_alert(self, envelope)
            return
        template = EMAIL_TEMPLATES.get(envelope.type)
        asked: object = None  # an automation rule's recipient: "customer" or an address
        if envelope.type == AUTOMATION_EMAIL:
            template, asked = envelope.payload.get("template"), envelope.payload.get("to")
            if not isinstance(template, str):
                return
        order_id = _order_id(envelope)
        if template is None or order_id is None or not self.mailer.enabled:
            return
        if not should_send(template, envelope.payload):
            return
        with self.db.read() as conn:
            if store.already_sent(conn, envelope.id, template):
                return
        try:
            order = orders.get_order(self.db, order_id)
        except NotFound:
            log.warning("event %s: order %s is gone; no e-mail", envelope.id, order_id)
            return
        to = (
            asked if isinstance(asked, str) and asked != "customer" else order.customer.get("email")
        )
        if not to:
            return
        if template == "shipment_shipped" and "exchange" in order.tags:
            template = EXCHANGE_SHIPPED  # the replacement of an exchange is on its way
            with self.db.read() as conn:
                if store.already_sent(conn, envelope.id, template):
                    return
        data = {"template": template, "event_type": envelope.type, "to": to}
        try:
            rendered, settings = self.render(template, order, envelope.payload)
            if settings.get("enabled") is False:
                return
            message = self.mailer.compose(
                to=to,
                subject=rendered.subject,
                text=rendered.text,
                html=rendered.html,
                sender=settings.get("from"),
                reply_to=settings.get("reply_to"),
                attachments=label_attachments(self.db, template, envelope.payload),
                # Sent again only after a crash between the SMTP hand-off and the record:
                # with the same Message-ID, which mail systems show once.
                message_key=f"{order_id}.{envelope.id}.{template}",
            )
        except (ValidationFailed, ValueError, TypeError) as exc:
            # A broken template or sender in the channel's settings: retrying cannot help.
            detail = exc.message if isinstance(exc, ValidationFailed) else str(exc)
            self._failed(order_id, f"E-mail {template} to {to} not sent: {detail}", data)
            return
        try:
            message_id = self.mailer.send(message)
        except smtplib.SMTPRecipientsRefused as exc:
            # Permanent: retrying will not change the server's mind. Say so on the timeline.
            reason = "; ".join(
                f"{code} {text.decode(errors='replace') if isinstance(text, bytes) else text}"
                for code, text in exc.recipients.values()
            )
            self._failed(
                order_id, f"E-mail “{rendered.subject}” to {to} was refused: {reason}.", data
            )
            return
        with self.db.write() as conn:
            fresh = store.record_sent(
                conn,
                {
                    "id": new_id("ntf"),
                    "event_id": envelope.id,
                    "template": template,
                    "order_id": order_id,
                    "channel": order.channel,
                    "recipient": to,
                    "subject": rendered.subject,
                    "message_id": message_id,
                    "sent_at": utcnow(),
                },
            )
            if fresh:
                orders.add_entry(
                    conn,
                    order_id,
                    "notification.sent",
                    f"E-mail “{rendered.subject}” sent to {to}.",
                    {
                        "template": template,
                        "event_type": envelope.type,
                        "to": to,
                        "subject": rendered.subject,
                        "message_id": message_id,
                    },
                    ACTOR,
                )
