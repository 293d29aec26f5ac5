"""Reusable field types for inputs: codes, SKUs, addresses, e-mail, money strings.

Errors raised here carry machine-readable codes (``invalid_currency``, ``invalid_email``…) that
the API puts in its error body.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

from podium.money import InvalidMoney, normalise_currency
from podium.numbers import JsonFloat

__all__ = [
    "Address",
    "Code",
    "CountryCode",
    "CurrencyCode",
    "Email",
    "Input",
    "MoneyString",
    "Sku",
]

_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_SKU = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:+-]{0,63}$")
# Deliberately practical: one @, a dot in the domain, no spaces. Deliverability is the mail
# server's business.
_EMAIL = re.compile(
    r"^[^@\s]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)+$"
)
_MONEY = re.compile(r"^-?\d{1,16}(\.\d{1,6})?$")


class Input(BaseModel):
    """Base for request bodies: unknown fields are refused, strings are stripped."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def _code(value: str) -> str:
    if not _CODE.match(value):
        raise PydanticCustomError(
            "invalid_code",
            "must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit",
        )
    return value


def _sku(value: str) -> str:
    if not _SKU.match(value):
        raise PydanticCustomError(
            "invalid_sku",
            "a SKU is 1-64 letters, digits or . _ : + -, starting with a letter or digit",
        )
    return value


def _email(value: str) -> str:
    if len(value) > 320 or not _EMAIL.match(value):
        raise PydanticCustomError("invalid_email", "is not a valid e-mail address")
    return value.lower()


def _currency(value: Any) -> str:
    try:
        return normalise_currency(value)
    except InvalidMoney as exc:
        raise PydanticCustomError("invalid_currency", exc.message) from exc


def _money_string(value: Any) -> str:
    if not isinstance(value, str) or not _MONEY.match(value.strip()):
        raise PydanticCustomError(
            "invalid_money", 'money travels as a decimal string such as "19.99"'
        )
    return value.strip()


Code = Annotated[str, AfterValidator(_code)]
CountryCode = Annotated[
    str, Field(min_length=2, max_length=2, pattern=r"^[A-Za-z]{2}$"), AfterValidator(str.upper)
]
Sku = Annotated[str, AfterValidator(_sku)]
Email = Annotated[str, AfterValidator(_email)]
CurrencyCode = Annotated[str, BeforeValidator(_currency)]
MoneyString = Annotated[str, BeforeValidator(_money_string)]


class Address(BaseModel):
    """A postal address; coordinates are optional and win over geocoding when given."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str | None = Field(default=None, max_length=200)
    company: str | None = Field(default=None, max_length=200)
    line1: str | None = Field(default=None, max_length=200)
    line2: str | None = Field(default=None, max_length=200)
    city: str | None = Field(default=None, max_length=100)
    region: str | None = Field(default=None, max_length=100)
    postal_code: str | None = Field(default=None, max_length=20)
    country: CountryCode
    phone: str | None = Field(default=None, max_length=50)
    latitude: JsonFloat | None = Field(default=None, ge=-90, le=90)
    longitude: JsonFloat | None = Field(default=None, ge=-180, le=180)
