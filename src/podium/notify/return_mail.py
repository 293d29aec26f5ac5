"""What a return's e-mails add to the usual context: the return (its lines, status and the
link to its status page in the returns portal), why it was rejected, its label, and the label
as a PDF attachment on the "approved" and "label" e-mails. See docs/shopper.md "E-mails"."""

from __future__ import annotations

from typing import Any

from podium import fulfillment, returns, shopper
from podium.db.database import Database
from podium.errors import NotFound
from podium.orders import OrderView

__all__ = ["LABEL_TEMPLATES", "label_attachments", "return_context", "should_send"]

# The e-mails that carry the return label (when the return has one when they are sent).
LABEL_TEMPLATES = frozenset({"return_approved", "return_label"})
PDF = "application/pdf"


def should_send(template: str, payload: dict[str, Any]) -> bool:
    """False for a "requested" e-mail about a return that did not start as a request: one a
    sales channel's refund opened already closed (``returns.channel_refunds``)."""
    return template != "return_requested" or payload.get("status") == "requested"


def _return_id(payload: dict[str, Any]) -> str | None:
    found = payload.get("return_id")
    return found if isinstance(found, str) else None


def return_context(
    db: Database, links: shopper.Shopper | None, order: OrderView, payload: dict[str, Any]
) -> dict[str, Any]:
    """``rma`` (id, status, lines with the products' names, note), ``return_url``,
    ``rejection`` (the staff's note) and ``label`` (carrier, tracking number) — or nothing
    for an event that is not about a return."""
    return_id = _return_id(payload)
    if return_id is None:
        return {}
    try:
        rma = returns.get_return(db, return_id)
    except NotFound:
        return {}
    try:
        label: dict[str, Any] | None = returns.get_return_label(db, return_id).model_dump(
            mode="json"
        )
    except NotFound:
        label = None
    names = {ln.sku: ln.name for ln in order.lines}
    note = payload.get("note")
    return {
        "rma": {
            "id": rma.id,
            "status": rma.status,
            "note": rma.note,
            "lines": [
                {"sku": ln.sku, "name": names.get(ln.sku, ln.sku), "quantity": ln.quantity}
                for ln in rma.lines
            ],
        },
        "return_url": links.return_url(return_id) if links else None,
        "rejection": note if isinstance(note, str) and note else None,
        "label": label,
    }


def label_attachments(
    db: Database, template: str, payload: dict[str, Any]
) -> list[tuple[str, bytes, str]]:
    """The return label as a PDF, for the e-mails that carry it."""
    return_id = _return_id(payload)
    if template not in LABEL_TEMPLATES or return_id is None:
        return []
    try:
        doc = returns.return_label_document(db, return_id)
    except NotFound:
        return []
    return [(f"return-label-{doc.tracking_number}.pdf", fulfillment.label_pdf(doc), PDF)]
