"""Warehouse inputs and views (pure): release settings, bins, pick lists, short picks.

The shipment status machine lives in ``podium.shipments.model``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from pydantic import BaseModel, Field

from podium.numbers import JsonInt
from podium.validation import Input, Sku

__all__ = [
    "BinIn",
    "Handoff",
    "LabelFormat",
    "PickListIn",
    "PickListView",
    "PickRow",
    "ReleaseMode",
    "SettingsIn",
    "SettingsView",
    "ShortLineIn",
    "ShortPickIn",
    "mask",
    "pick_rows",
]


# --- warehouse inputs and views (pure) ----------------------------------------------------


class ReleaseMode(StrEnum):
    AUTO = "auto"  # released to the warehouse as soon as the order is ready
    WAVE = "wave"  # pending until a wave is released (``podium warehouse wave`` on a schedule)


class Handoff(StrEnum):
    NONE = "none"  # the warehouse works from Podium's own pick lists
    WEBHOOK = "webhook"  # released shipments are POSTed, signed, to the WMS/3PL
    CSV_DROP = "csv_drop"  # released shipments are written as CSV files into a directory


class LabelFormat(StrEnum):
    """What the warehouse's label printer takes; carriers are asked for labels in it."""

    PDF = "PDF"  # a 4x6 PDF (office or label printer through a driver)
    ZPL = "ZPL"  # Zebra thermal printers, printed raw
    PNG = "PNG"  # an image (EasyPost's default)


class SettingsIn(Input):
    release_mode: ReleaseMode = ReleaseMode.AUTO
    handoff: Handoff = Handoff.NONE
    handoff_url: str | None = Field(default=None, max_length=500, pattern=r"^https?://\S+$")
    handoff_secret: str | None = Field(default=None, min_length=8, max_length=200)
    handoff_dir: str | None = Field(default=None, min_length=1, max_length=500)
    label_format: LabelFormat = Field(
        default=LabelFormat.PDF, description="What the label printer takes: PDF, ZPL or PNG."
    )


class SettingsView(BaseModel):
    warehouse: str
    release_mode: str
    handoff: str
    handoff_url: str | None
    handoff_secret: str | None  # masked
    handoff_dir: str | None
    label_format: str = LabelFormat.PDF.value


class BinIn(Input):
    bin: str = Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9][A-Za-z0-9._/-]*$")


class PickListIn(Input):
    max_shipments: JsonInt = Field(default=50, ge=1, le=1000)
    shipment_ids: list[str] | None = Field(
        default=None,
        min_length=1,
        max_length=1000,
        description="Pick these released shipments (else the oldest released, up to max).",
    )


class PickListView(BaseModel):
    id: str
    warehouse: str
    shipments: list[str]


class ShortLineIn(Input):
    sku: Sku
    quantity: JsonInt = Field(ge=1, le=1_000_000)


class ShortPickIn(Input):
    lines: list[ShortLineIn] = Field(min_length=1, max_length=500)


@dataclass(frozen=True, slots=True)
class PickRow:
    """One line of a pick list: a SKU to take from a bin, for which orders."""

    bin: str
    sku: str
    name: str
    quantity: int
    orders: tuple[str, ...]


def pick_rows(
    lines: list[tuple[str, str, int, str]], bins: dict[str, str], names: dict[str, str]
) -> list[PickRow]:
    """Group (sku, …, quantity, order number) lines by SKU and sort by bin (then SKU); SKUs
    without a bin come last."""
    qty: dict[str, int] = {}
    orders: dict[str, list[str]] = {}
    for sku, _, quantity, number in lines:
        qty[sku] = qty.get(sku, 0) + quantity
        if number not in orders.setdefault(sku, []):
            orders[sku].append(number)
    rows = [
        PickRow(bins.get(sku, ""), sku, names.get(sku, sku), q, tuple(orders[sku]))
        for sku, q in qty.items()
    ]
    return sorted(rows, key=lambda r: (r.bin == "", r.bin, r.sku))


def mask(secret: str | None) -> str | None:
    """Show that a secret is set without showing it."""
    if not secret:
        return None
    return "****" + secret[-4:] if len(secret) >= 12 else "****"
