"""Catalogue inputs and views: pure, no I/O."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field, field_validator

from podium.numbers import JsonBool, JsonFloat, JsonInt
from podium.validation import Address, Code, CountryCode, Input, Sku

__all__ = [
    "Channel",
    "Product",
    "ProductIn",
    "Warehouse",
    "WarehouseIn",
    "WarehousePatch",
    "check_options",
]


class Channel(BaseModel):
    code: str
    name: str
    type: str
    warehouses: list[str] | None
    active: bool
    created_at: datetime
    # The connector's settings as stored, secrets included: for Podium's own use. What is
    # shown (API, CLI, dashboard) comes through podium.channels.records, secrets masked.
    settings: dict[str, Any] = Field(default_factory=dict)


class WarehouseAddress(Input):
    line1: str | None = Field(default=None, max_length=200)
    line2: str | None = Field(default=None, max_length=200)
    city: str | None = Field(default=None, max_length=100)
    region: str | None = Field(default=None, max_length=100)
    postal_code: str | None = Field(default=None, max_length=20)
    country: CountryCode


class _WhereAndWhen(Input):
    """What routing knows of a location besides its address (issue 4): when it ships, whom it
    may serve and what shipping from it costs. Shared by create and patch."""

    cutoff_time: str | None = Field(
        default=None,
        pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$",
        description="Orders routed after this local time (HH:MM) ship the next working day.",
    )
    time_zone: str | None = Field(
        default=None, max_length=64, description="IANA, e.g. America/New_York."
    )
    working_days: list[JsonInt] | None = Field(
        default=None, max_length=7, description="ISO weekdays it ships on (Monday = 1)."
    )
    serves_channels: list[Code] | None = Field(default=None, description="null: every channel.")
    serves_countries: list[CountryCode] | None = Field(default=None, description="null: all.")
    ship_from_store: JsonBool | None = None
    shipping_rates: dict[str, Any] | None = Field(
        default=None, description="Rate table by distance band × weight band (catalog.rates)."
    )

    @field_validator("working_days")
    @classmethod
    def _weekdays(cls, days: list[int] | None) -> list[int] | None:
        if days is not None and (not days or any(d < 1 or d > 7 for d in days)):
            raise ValueError("working days are ISO weekdays 1 (Monday) to 7 (Sunday)")
        return sorted(set(days)) if days is not None else None


class WarehouseIn(_WhereAndWhen):
    code: Code
    name: str = Field(min_length=1, max_length=200)
    address: WarehouseAddress
    latitude: JsonFloat | None = Field(default=None, ge=-90, le=90)
    longitude: JsonFloat | None = Field(default=None, ge=-180, le=180)
    priority: JsonInt = Field(default=100, ge=0, le=1_000_000, description="Lower ships first.")
    active: JsonBool = True
    daily_order_capacity: JsonInt | None = Field(default=None, ge=0, le=10_000_000)


class WarehousePatch(_WhereAndWhen):
    """Any warehouse field; fields left out are unchanged, ``null`` clears optional ones."""

    name: str | None = Field(default=None, min_length=1, max_length=200)
    address: WarehouseAddress | None = None
    latitude: JsonFloat | None = Field(default=None, ge=-90, le=90)
    longitude: JsonFloat | None = Field(default=None, ge=-180, le=180)
    priority: JsonInt | None = Field(default=None, ge=0, le=1_000_000)
    active: JsonBool | None = None
    daily_order_capacity: JsonInt | None = Field(default=None, ge=0, le=10_000_000)


class Warehouse(BaseModel):
    code: str
    name: str
    address: Address
    latitude: float | None
    longitude: float | None
    priority: int
    active: bool
    daily_order_capacity: int | None
    cutoff_time: str | None = None
    time_zone: str | None = None
    working_days: list[int] | None = None
    serves_channels: list[str] | None = None
    serves_countries: list[str] | None = None
    ship_from_store: bool = False
    shipping_rates: dict[str, Any] | None = None


MAX_OPTIONS = 3  # Shopify's limit, and enough for size × colour × material
_OPTION_NAME = re.compile(r"^[a-z][a-z0-9_]{0,31}$")


def check_options(options: dict[str, str] | None) -> dict[str, str] | None:
    """Variant option values (issue 17), in their order: at most three, names are lower-case
    words (``size``, ``colour``), values 1-100 characters. Empty means none."""
    if not options:
        return None
    if len(options) > MAX_OPTIONS:
        raise ValueError(f"a product has at most {MAX_OPTIONS} options")
    out: dict[str, str] = {}
    for name, value in options.items():
        key = name.strip().lower()
        if not _OPTION_NAME.match(key):
            raise ValueError(
                f"option name {name!r} must be a lower-case word (letters, digits, '_')"
            )
        text = value.strip() if isinstance(value, str) else ""
        if not text or len(text) > 100:
            raise ValueError(f"option {key} needs a value of 1-100 characters")
        if key in out:
            raise ValueError(f"option {key} is given twice")
        out[key] = text
    return out


class ProductIn(Input):
    sku: Sku
    name: str = Field(min_length=1, max_length=300)
    weight_grams: JsonInt | None = Field(default=None, ge=0, le=10_000_000)
    length_mm: JsonInt | None = Field(default=None, ge=0, le=100_000)
    width_mm: JsonInt | None = Field(default=None, ge=0, le=100_000)
    height_mm: JsonInt | None = Field(default=None, ge=0, le=100_000)
    group: Code | None = Field(
        default=None, description="Product group (the parent product's code) of a variant."
    )
    options: dict[str, str] | None = Field(
        default=None,
        description='Option values of a variant, in order, e.g. {"size": "M", "colour": "Blue"}.',
    )

    @field_validator("options")
    @classmethod
    def _options(cls, options: dict[str, str] | None) -> dict[str, str] | None:
        return check_options(options)


class Product(BaseModel):
    sku: str
    name: str
    weight_grams: int | None
    length_mm: int | None
    width_mm: int | None
    height_mm: int | None
    active: bool
    group: str | None = None
    options: dict[str, str] | None = None
