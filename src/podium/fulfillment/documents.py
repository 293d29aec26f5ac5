"""Warehouse documents as PDF (reportlab): pick lists, packing slips, 4×6 shipping labels and
the carrier manifest. Pure rendering: data in, bytes out."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib.pagesizes import A4, inch
from reportlab.pdfgen.canvas import Canvas

__all__ = [
    "LabelDoc",
    "ManifestDoc",
    "ManifestRow",
    "PackingSlipDoc",
    "label_pdf",
    "manifest_pdf",
    "packing_slip_pdf",
    "pick_list_pdf",
]

LABEL_SIZE = (4 * inch, 6 * inch)


@dataclass(frozen=True, slots=True)
class LabelDoc:
    """What a printed shipping label shows."""

    tracking_number: str
    carrier_name: str
    service: str
    order_number: str
    weight_grams: int
    ship_from: list[str]
    ship_to: list[str]
    shipped_on: str
    reference: str = ""  # a second reference line, e.g. the return (RMA) it carries back


@dataclass(frozen=True, slots=True)
class PackingSlipDoc:
    order_number: str
    shipment_id: str
    warehouse: str
    placed_on: str
    ship_to: list[str]
    lines: list[tuple[str, str, int]]  # sku, name, quantity
    tracking_number: str | None


@dataclass(frozen=True, slots=True)
class ManifestRow:
    tracking_number: str
    order_number: str
    carrier: str
    service: str
    weight_grams: int
    rate: str
    currency: str
    shipped_at: str


@dataclass(frozen=True, slots=True)
class ManifestDoc:
    warehouse: str
    day: str
    rows: list[ManifestRow]


def _canvas(buffer: io.BytesIO, size: tuple[float, float], title: str) -> Canvas:
    c = Canvas(buffer, pagesize=size, pageCompression=1)
    c.setTitle(title)
    c.setAuthor("Podium")
    return c


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def label_pdf(doc: LabelDoc) -> bytes:
    """A 4×6 inch label with a Code 128 barcode of the tracking number."""
    buffer = io.BytesIO()
    w, h = LABEL_SIZE
    c = _canvas(buffer, LABEL_SIZE, f"Label {doc.tracking_number}")
    c.setLineWidth(1.5)
    c.rect(8, 8, w - 16, h - 16)
    c.setFont("Helvetica-Bold", 7)
    c.drawString(16, h - 24, "FROM")
    c.setFont("Helvetica", 8)
    for i, line in enumerate(doc.ship_from[:4]):
        c.drawString(16, h - 36 - i * 10, _clip(line, 48))
    c.line(8, h - 84, w - 8, h - 84)
    c.setFont("Helvetica-Bold", 8)
    c.drawString(16, h - 100, "SHIP TO")
    c.setFont("Helvetica-Bold", 13)
    for i, line in enumerate(doc.ship_to[:5]):
        c.drawString(24, h - 118 - i * 16, _clip(line, 32))
    c.line(8, h - 206, w - 8, h - 206)
    c.setFont("Helvetica-Bold", 16)
    c.drawString(16, h - 230, _clip(f"{doc.carrier_name}", 26))
    c.setFont("Helvetica", 11)
    c.drawString(16, h - 248, _clip(doc.service.replace("_", " ").upper(), 36))
    c.drawRightString(w - 16, h - 248, f"{doc.weight_grams / 1000:.2f} kg")
    c.line(8, h - 262, w - 8, h - 262)
    barcode = Code128(doc.tracking_number, barHeight=1.1 * inch, barWidth=1.35, quiet=True)
    x = max(12.0, (w - barcode.width) / 2)
    barcode.drawOn(c, x, 120)
    c.setFont("Helvetica-Bold", 12)
    c.drawCentredString(w / 2, 100, f"TRACKING # {doc.tracking_number}")
    c.setFont("Helvetica", 8)
    c.drawString(16, 30, f"Order {doc.order_number}")
    if doc.reference:
        c.setFont("Helvetica-Bold", 9)
        c.drawString(16, 44, _clip(doc.reference, 60))
    c.drawRightString(w - 16, 30, doc.shipped_on)
    c.showPage()
    c.save()
    return buffer.getvalue()


def packing_slip_pdf(doc: PackingSlipDoc) -> bytes:
    buffer = io.BytesIO()
    w, h = A4
    c = _canvas(buffer, A4, f"Packing slip {doc.order_number}")
    c.setFont("Helvetica-Bold", 20)
    c.drawString(50, h - 60, "Packing slip")
    c.setFont("Helvetica", 10)
    c.drawString(50, h - 80, f"Order {doc.order_number}   placed {doc.placed_on}")
    c.drawString(50, h - 94, f"Shipment {doc.shipment_id} from {doc.warehouse}")
    if doc.tracking_number:
        c.drawString(50, h - 108, f"Tracking {doc.tracking_number}")
    Code128(doc.order_number, barHeight=30, barWidth=1.2).drawOn(c, w - 220, h - 100)
    c.setFont("Helvetica-Bold", 10)
    c.drawString(50, h - 140, "Ship to")
    c.setFont("Helvetica", 10)
    for i, line in enumerate(doc.ship_to[:6]):
        c.drawString(50, h - 154 - i * 13, line)
    y = h - 250
    c.setFont("Helvetica-Bold", 10)
    c.drawString(50, y, "SKU")
    c.drawString(190, y, "Item")
    c.drawRightString(w - 50, y, "Qty")
    c.line(50, y - 4, w - 50, y - 4)
    c.setFont("Helvetica", 10)
    for sku, name, qty in doc.lines:
        y -= 18
        if y < 60:
            c.showPage()
            c.setFont("Helvetica", 10)
            y = h - 60
        c.drawString(50, y, _clip(sku, 24))
        c.drawString(190, y, _clip(name, 55))
        c.drawRightString(w - 50, y, str(qty))
    c.setFont("Helvetica", 9)
    c.drawString(50, 40, f"{sum(q for _, _, q in doc.lines)} unit(s). Thank you for your order.")
    c.showPage()
    c.save()
    return buffer.getvalue()


def pick_list_pdf(
    pick_list_id: str,
    warehouse: str,
    created_at: str,
    rows: Sequence[tuple[str, str, str, int, Sequence[str]]],
    shipments: Sequence[tuple[str, str, int]],
) -> bytes:
    """One row per SKU in bin order (bin, sku, name, quantity, orders), each with a Code 128
    of the SKU to scan; then the shipments of the wave."""
    buffer = io.BytesIO()
    w, h = A4
    c = _canvas(buffer, A4, f"Pick list {pick_list_id}")

    def header() -> float:
        c.setFont("Helvetica-Bold", 16)
        c.drawString(40, h - 50, f"Pick list {pick_list_id}")
        c.setFont("Helvetica", 9)
        c.drawString(
            40, h - 66, f"Warehouse {warehouse}   {created_at}   {len(shipments)} shipment(s)"
        )
        c.setFont("Helvetica-Bold", 9)
        c.drawString(40, h - 90, "Bin")
        c.drawString(100, h - 90, "SKU")
        c.drawString(330, h - 90, "Item / orders")
        c.drawRightString(w - 40, h - 90, "Qty")
        c.line(40, h - 94, w - 40, h - 94)
        return float(h - 94)

    y = header()
    for bin_code, sku, name, qty, orders in rows:
        if y - 52 < 50:
            c.showPage()
            y = header()
        y -= 52
        c.setFont("Helvetica-Bold", 11)
        c.drawString(40, y + 30, bin_code or "—")
        c.drawString(100, y + 30, _clip(sku, 30))
        Code128(sku, barHeight=20, barWidth=0.9).drawOn(c, 92, y + 4)
        c.setFont("Helvetica", 9)
        c.drawString(330, y + 30, _clip(name, 40))
        c.drawString(330, y + 16, _clip("orders " + ", ".join(orders), 48))
        c.setFont("Helvetica-Bold", 14)
        c.drawRightString(w - 40, y + 28, str(qty))
    c.showPage()
    y = h - 50
    c.setFont("Helvetica-Bold", 12)
    c.drawString(40, y, f"Shipments on pick list {pick_list_id}")
    c.setFont("Helvetica", 9)
    for shipment_id, number, units in shipments:
        y -= 14
        if y < 50:
            c.showPage()
            c.setFont("Helvetica", 9)
            y = h - 50
        c.drawString(40, y, f"Order {number}   shipment {shipment_id}   {units} unit(s)")
    c.showPage()
    c.save()
    return buffer.getvalue()


def manifest_pdf(doc: ManifestDoc) -> bytes:
    buffer = io.BytesIO()
    w, h = A4
    c = _canvas(buffer, A4, f"Manifest {doc.warehouse} {doc.day}")
    c.setFont("Helvetica-Bold", 16)
    c.drawString(40, h - 50, f"Carrier manifest — {doc.warehouse} — {doc.day}")
    y = h - 80
    c.setFont("Helvetica-Bold", 8)
    for x, title in ((40, "Tracking"), (175, "Order"), (245, "Carrier"), (345, "Service")):
        c.drawString(x, y, title)
    c.drawRightString(w - 110, y, "Weight kg")
    c.drawRightString(w - 40, y, "Rate")
    c.setFont("Helvetica", 8)
    for r in doc.rows:
        y -= 13
        if y < 60:
            c.showPage()
            c.setFont("Helvetica", 8)
            y = h - 50
        c.drawString(40, y, r.tracking_number)
        c.drawString(175, y, r.order_number)
        c.drawString(245, y, _clip(r.carrier, 18))
        c.drawString(345, y, _clip(r.service, 18))
        c.drawRightString(w - 110, y, f"{r.weight_grams / 1000:.2f}")
        c.drawRightString(w - 40, y, f"{r.rate} {r.currency}")
    c.setFont("Helvetica-Bold", 9)
    c.drawString(
        40, max(y - 24, 30), f"{len(doc.rows)} parcel(s). Driver signature: ______________"
    )
    c.showPage()
    c.save()
    return buffer.getvalue()
