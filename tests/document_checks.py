"""Reading documents back in tests: PDF text (pypdf) and barcodes (pypdfium2 + zxing-cpp)."""

from __future__ import annotations

import io

import pypdfium2 as pdfium
import zxingcpp
from pypdf import PdfReader


def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF-"), data[:20]
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def pdf_pages(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


def barcodes(data: bytes, page: int = 0, scale: float = 3.0) -> list[tuple[str, str]]:
    """(text, format) of every barcode on a page, rendered at ``scale`` × 72 dpi."""
    doc = pdfium.PdfDocument(data)
    try:
        image = doc[page].render(scale=scale).to_pil()
    finally:
        doc.close()
    return [(r.text, r.format.name) for r in zxingcpp.read_barcodes(image)]
