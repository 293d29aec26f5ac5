"""The 4×6 shipping label in ZPL II for thermal printers (203 dpi), with a Code 128 (``^BC``)
barcode of the tracking number. Pure: text in, text out."""

from __future__ import annotations

from podium.fulfillment.documents import LabelDoc

__all__ = ["field", "label_zpl"]


def field(text: str) -> str:
    """Field data, safe inside ``^FH_``: ``^``, ``~`` and ``_`` become hex escapes, and
    anything outside printable ASCII goes through as UTF-8 hex (with ``^CI28``)."""
    out: list[str] = []
    for ch in text:
        if ch in "^~_" or not (32 <= ord(ch) < 127):
            out.extend(f"_{b:02X}" for b in ch.encode("utf-8"))
        else:
            out.append(ch)
    return "".join(out)


def label_zpl(doc: LabelDoc) -> str:
    lines = ["^XA", "^CI28", "^PW812", "^LL1218", "^LH0,0"]

    def text(x: int, y: int, size: int, value: str) -> None:
        lines.append(f"^FO{x},{y}^A0N,{size},{size}^FH_^FD{field(value)}^FS")

    text(30, 30, 22, "FROM")
    for i, ln in enumerate(doc.ship_from[:4]):
        text(30, 58 + i * 26, 24, ln[:48])
    lines.append("^FO20,170^GB772,3,3^FS")
    text(30, 190, 26, "SHIP TO")
    for i, ln in enumerate(doc.ship_to[:5]):
        text(50, 226 + i * 40, 38, ln[:32])
    lines.append("^FO20,440^GB772,3,3^FS")
    text(30, 465, 44, doc.carrier_name[:26])
    text(30, 520, 30, doc.service.replace("_", " ").upper()[:36])
    text(560, 520, 30, f"{doc.weight_grams / 1000:.2f} kg")
    lines.append("^FO20,570^GB772,3,3^FS")
    lines.append(f"^FO60,620^BY3,3,260^BCN,260,Y,N,N^FH_^FD{field(doc.tracking_number)}^FS")
    if doc.reference:
        text(30, 1085, 26, doc.reference[:60])
    text(30, 1120, 24, f"Order {doc.order_number}")
    text(560, 1120, 24, doc.shipped_on)
    lines.append("^XZ")
    return "\n".join(lines) + "\n"
