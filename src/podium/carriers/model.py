"""Carriers, pure: the interface every carrier implements, the built-in rate table, rate
shopping, tracking numbers with check digits, carrier statuses, webhook signatures."""

from __future__ import annotations

import hashlib
import hmac
import math
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Literal, Protocol

from pydantic import BaseModel, Field

from podium.numbers import JsonInt
from podium.validation import Code, Input

__all__ = [
    "EASYPOST_STATUS",
    "AccountIn",
    "AccountView",
    "Carrier",
    "CarrierDown",
    "CarrierError",
    "CarrierTimeout",
    "LabelIn",
    "Purchase",
    "Rate",
    "RateRequest",
    "Tracking",
    "check_digit",
    "choose_rate",
    "easypost_signature",
    "ounces",
    "valid_tracking_number",
    "verify_easypost_signature",
    "with_check_digit",
]


class CarrierError(Exception):
    """The carrier refused or could not be reached (the API answers 502 ``carrier_error``)."""

    status = 502
    code = "carrier_error"


class CarrierTimeout(CarrierError):
    """The carrier did not answer within ``PODIUM_CARRIER_TIMEOUT_SECONDS`` (504)."""

    status = 504
    code = "carrier_timeout"


class CarrierDown(CarrierError):
    """The carrier's circuit is open after repeated failures: not called (503, a probe is
    let through after the cool-down)."""

    status = 503
    code = "carrier_unavailable"


@dataclass(frozen=True, slots=True)
class RateRequest:
    """One parcel from a warehouse to a customer."""

    reference: str
    from_name: str
    from_address: dict[str, Any]
    to_name: str
    to_address: dict[str, Any]
    weight_grams: int
    currency: str = "USD"
    # A return: the customer (``from``) sends the parcel back to the warehouse (``to``).
    is_return: bool = False
    # What the warehouse's label printer takes (its fulfilment setting): PDF, ZPL or PNG.
    label_format: str = "PDF"


@dataclass(frozen=True, slots=True)
class Rate:
    carrier: str  # the account code in Podium
    carrier_name: str  # who carries it (USPS, FedEx, Podium Table Rate…)
    service: str
    amount: int  # minor units
    currency: str
    transit_days: int | None
    ref: str = ""  # the carrier's handle to buy this rate with


@dataclass(frozen=True, slots=True)
class Purchase:
    tracking_number: str
    external_id: str | None = None
    tracking_url: str | None = None
    label_url: str | None = None  # the carrier's own postage label, if it made one
    label_format: str | None = None  # the format of ``label_file``: PDF, ZPL or PNG
    label_file: bytes | None = None  # the carrier's postage label as it sent it


@dataclass(frozen=True, slots=True)
class Tracking:
    """A carrier's word on a parcel, as one of Podium's shipment statuses (None: no news)."""

    tracking_number: str
    status: str | None
    detail: str
    public_url: str | None = None


class Carrier(Protocol):
    code: str

    def rates(self, request: RateRequest) -> list[Rate]: ...

    def buy(self, request: RateRequest, rate: Rate) -> Purchase: ...

    def void(self, tracking_number: str, external_id: str | None) -> None: ...

    def track(self, tracking_number: str, shipped_at: datetime | None) -> Tracking: ...


def choose_rate(rates: list[Rate], today: date, deliver_by: date | None) -> Rate | None:
    """Rate shopping: the cheapest rate that arrives by ``deliver_by`` (any, without a date);
    when none can, the fastest (then cheapest), so the parcel is as little late as may be."""
    if not rates:
        return None
    if deliver_by is None:
        return min(rates, key=lambda r: (r.amount, r.transit_days or 99, r.carrier, r.service))
    on_time = [
        r
        for r in rates
        if r.transit_days is not None and today + timedelta(days=r.transit_days) <= deliver_by
    ]
    if on_time:
        return min(on_time, key=lambda r: (r.amount, r.transit_days or 0, r.carrier, r.service))
    return min(rates, key=lambda r: (r.transit_days or 99, r.amount, r.carrier, r.service))


# --- tracking numbers ---------------------------------------------------------------------


def check_digit(digits: str) -> int:
    """The Luhn (mod 10) check digit of a string of digits."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return (10 - total % 10) % 10


def with_check_digit(prefix: str, number: int, width: int = 12) -> str:
    """``PD`` + ``width`` digits + check digit, e.g. ``PD0000000012349``."""
    digits = f"{number:0{width}d}"
    return f"{prefix}{digits}{check_digit(digits)}"


def valid_tracking_number(value: str, prefix: str = "PD") -> bool:
    body = value[len(prefix) :]
    return (
        value.startswith(prefix)
        and body.isdigit()
        and len(body) >= 2
        and check_digit(body[:-1]) == int(body[-1])
    )


# --- EasyPost -----------------------------------------------------------------------------

# EasyPost tracker statuses → shipment statuses (None: nothing to change).
EASYPOST_STATUS: dict[str, str | None] = {
    "unknown": None,
    "pre_transit": None,
    "in_transit": "in_transit",
    "out_for_delivery": "out_for_delivery",
    "available_for_pickup": "out_for_delivery",
    "delivered": "delivered",
    "return_to_sender": "returned_to_sender",
    "failure": "exception",
    "cancelled": "exception",
    "error": "exception",
}


def easypost_signature(secret: str, body: bytes) -> str:
    """``hmac-sha256-hex=<hex>``: HMAC-SHA256 over the exact body, keyed with the NFKD form of
    the secret (as EasyPost's client libraries compute it)."""
    key = unicodedata.normalize("NFKD", secret).encode("utf-8")
    return "hmac-sha256-hex=" + hmac.new(key, body, hashlib.sha256).hexdigest()


def verify_easypost_signature(secret: str, body: bytes, header: str | None) -> bool:
    if not header:
        return False
    return hmac.compare_digest(easypost_signature(secret, body), header.strip())


def ounces(grams: int) -> float:
    """EasyPost weighs parcels in ounces (one decimal, at least 0.1)."""
    return max(0.1, math.ceil(grams / 28.349523125 * 10) / 10)


# --- inputs and views ---------------------------------------------------------------------


class AccountIn(Input):
    code: Code
    type: Literal["table_rate", "easypost"]
    name: str | None = Field(default=None, max_length=200)
    api_key: str | None = Field(default=None, min_length=1, max_length=200)
    webhook_secret: str | None = Field(default=None, min_length=1, max_length=200)
    base_url: str | None = Field(default=None, max_length=500, pattern=r"^https?://\S+$")


class AccountView(BaseModel):
    code: str
    type: str
    name: str
    api_key: str | None  # masked
    webhook_secret: str | None  # masked
    base_url: str | None
    active: bool
    builtin: bool = False


class LabelIn(Input):
    carrier: Code | None = None
    service: str | None = Field(default=None, min_length=1, max_length=64)
    deliver_by: date | None = None
    weight_grams: JsonInt | None = Field(default=None, ge=1, le=150_000)
