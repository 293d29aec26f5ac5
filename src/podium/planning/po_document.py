"""What is sent to a supplier: the purchase order as a PDF (reportlab, like the warehouse
documents) and as CSV, and the e-mail that carries both. Pure rendering: data in, bytes out."""

from __future__ import annotations

import html
import io
from dataclasses import dataclass
from decimal import Decimal

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from podium.csvsafe import csv_text
from podium.planning.po_views import PurchaseOrderView

__all__ = ["Outgoing", "po_csv", "po_mail", "po_pdf"]


@dataclass(frozen=True, slots=True)
class Outgoing:
    """An e-mail to send: the entrypoint hands it to the notify mailer."""

    to: str
    subject: str
    text: str
    html: str
    attachments: list[tuple[str, bytes, str]]


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def po_pdf(po: PurchaseOrderView, supplier_name: str, ship_to: list[str]) -> bytes:
    """An A4 purchase order: header, delivery address, expected day, one row per SKU, total."""
    buffer = io.BytesIO()
    w, h = A4
    c = Canvas(buffer, pagesize=A4, pageCompression=1)
    c.setTitle(f"Purchase order {po.number}")
    c.setAuthor("Podium")
    c.setFont("Helvetica-Bold", 18)
    c.drawString(40, h - 50, f"Purchase order {po.number}")
    c.setFont("Helvetica", 10)
    c.drawString(40, h - 70, _clip(f"To: {supplier_name} ({po.supplier})", 80))
    c.drawString(40, h - 84, f"Ordered: {po.created_at.date().isoformat()}")
    c.drawString(40, h - 98, f"Expected delivery: {po.expected_on.isoformat()}")
    c.setFont("Helvetica-Bold", 9)
    c.drawString(330, h - 70, "DELIVER TO")
    c.setFont("Helvetica", 9)
    for i, address_line in enumerate(ship_to[:5]):
        c.drawString(330, h - 84 - i * 12, _clip(address_line, 40))
    y = h - 170

    def heading(y: float) -> None:
        c.setFont("Helvetica-Bold", 9)
        c.drawString(40, y, "SKU")
        c.drawRightString(360, y, "Quantity")
        c.drawRightString(450, y, f"Unit cost ({po.currency})")
        c.drawRightString(w - 40, y, "Amount")
        c.line(40, y - 4, w - 40, y - 4)
        c.setFont("Helvetica", 9)

    heading(y)
    for line in po.lines:
        y -= 16
        if y < 70:
            c.showPage()
            y = h - 50
            heading(y)
            y -= 16
        amount = _amount(line.quantity, line.unit_cost)
        c.drawString(40, y, _clip(line.sku, 50))
        c.drawRightString(360, y, str(line.quantity))
        c.drawRightString(450, y, line.unit_cost)
        c.drawRightString(w - 40, y, amount)
    c.setFont("Helvetica-Bold", 10)
    c.drawRightString(w - 40, max(y - 24, 40), f"Total {po.total} {po.currency}")
    if po.note:
        c.setFont("Helvetica", 9)
        c.drawString(40, max(y - 24, 40), _clip(po.note, 70))
    c.showPage()
    c.save()
    return buffer.getvalue()


def _amount(quantity: int, unit_cost: str) -> str:
    return str(Decimal(unit_cost) * quantity)


def po_csv(po: PurchaseOrderView) -> bytes:
    """``po_number,sku,quantity,unit_cost,currency,expected_on``, one row per line."""
    rows = [
        (
            po.number,
            line.sku,
            line.quantity,
            line.unit_cost,
            po.currency,
            po.expected_on.isoformat(),
        )
        for line in po.lines
    ]
    header = ("po_number", "sku", "quantity", "unit_cost", "currency", "expected_on")
    return csv_text(header, rows).encode()


def po_mail(
    po: PurchaseOrderView, to: str, supplier_name: str, ship_to: list[str], sender_name: str
) -> Outgoing:
    units = sum(line.quantity for line in po.lines)
    text = (
        f"Dear {supplier_name},\n\n"
        f"Please find attached our purchase order {po.number}: {len(po.lines)} line(s), "
        f"{units} unit(s), total {po.total} {po.currency}.\n"
        f"Requested delivery by {po.expected_on.isoformat()} to:\n  "
        + "\n  ".join(ship_to)
        + f"\n\nThe PDF and a CSV of the lines are attached.\n\n{sender_name}\n"
    )
    body = "<br>".join(html.escape(line) for line in text.splitlines())
    return Outgoing(
        to=to,
        subject=f"Purchase order {po.number}",
        text=text,
        html=f"<html><body><p>{body}</p></body></html>",
        attachments=[
            (f"{po.number}.pdf", po_pdf(po, supplier_name, ship_to), "application/pdf"),
            (f"{po.number}.csv", po_csv(po), "text/csv"),
        ],
    )
