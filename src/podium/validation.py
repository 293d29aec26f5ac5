"""Reusable field types for inputs: codes, SKUs, addresses, e-mail, money strings.

Errors raised here carry machine-readable codes (``invalid_currency``, ``invalid_email``…) that
the API puts in its error body. Every request model derives from :class:`Input`, which refuses
control characters in text fields once, for all of them (``invalid_characters``).
"""

from __future__ import annotations

import ipaddress
import re
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

from podium.money import InvalidMoney, normalise_currency
from podium.numbers import JsonFloat

__all__ = [
    "MULTILINE_FIELDS",
    "Address",
    "Code",
    "CountryCode",
    "CurrencyCode",
    "Email",
    "Input",
    "IpAddress",
    "MoneyString",
    "Sku",
    "clean_text",
    "strip_control",
]

_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_SKU = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:+-]{0,63}$")
# Deliberately practical: one @, a dot in the domain, no spaces. Deliverability is the mail
# server's business.
_EMAIL = re.compile(
    r"^[^@\s]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)+$"
)
_MONEY = re.compile(r"^-?\d{1,16}(\.\d{1,6})?$")


# Control characters (Unicode category Cc: U+0000-U+001F, U+007F-U+009F). A NUL byte or an
# escape sequence in a name or an address ends up in labels, CSV files, e-mails and terminals.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# Multi-line text keeps its line breaks and tabs (a browser's textarea sends CRLF, kept as LF).
_CONTROL_MULTILINE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Fields of free text that may span lines, by name, wherever they appear; every other text
# field is one line. Nested JSON objects (settings, rule sets) may hold templates: multi-line.
MULTILINE_FIELDS = frozenset({"note", "notes", "message", "description", "comment", "body"})


def _control_error(multiline: bool) -> PydanticCustomError:
    allowed = " (line breaks and tabs are fine)" if multiline else ""
    return PydanticCustomError(
        "invalid_characters", f"must not contain control characters{allowed}"
    )


def clean_text(value: Any, *, multiline: bool) -> Any:
    """``value`` with every string in it checked for control characters (lists, tuples and
    dicts are looked into); raises ``invalid_characters``. Multi-line CRLF becomes LF."""
    if isinstance(value, str):
        if multiline:
            value = value.replace("\r\n", "\n")
            if _CONTROL_MULTILINE.search(value):
                raise _control_error(True)
        elif _CONTROL.search(value):
            raise _control_error(False)
        return value
    if isinstance(value, list | tuple):
        return type(value)(clean_text(v, multiline=multiline) for v in value)
    if isinstance(value, dict):
        return {
            clean_text(k, multiline=False): clean_text(v, multiline=True) for k, v in value.items()
        }
    return value


def strip_control(value: Any, *, multiline_keys: frozenset[str] = MULTILINE_FIELDS) -> Any:
    """``value`` with control characters replaced by spaces (kept: line breaks and tabs under
    multi-line keys). For what platforms send: an order must not be lost to a stray byte."""
    if isinstance(value, str):
        return _CONTROL.sub(" ", value)
    if isinstance(value, list):
        return [strip_control(v, multiline_keys=multiline_keys) for v in value]
    if isinstance(value, dict):
        return {
            k: _CONTROL_MULTILINE.sub(" ", v.replace("\r\n", "\n"))
            if k in multiline_keys and isinstance(v, str)
            else strip_control(v, multiline_keys=multiline_keys)
            for k, v in value.items()
        }
    return value


class Input(BaseModel):
    """Base for request bodies: unknown fields are refused, strings are stripped, and control
    characters in any text field are refused (422 ``invalid_characters`` naming the field)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*", mode="after")
    @classmethod
    def _no_control_characters(cls, value: Any, info: ValidationInfo) -> Any:
        if isinstance(value, BaseModel) or value is None:
            return value  # a nested model checks its own fields
        return clean_text(value, multiline=info.field_name in MULTILINE_FIELDS)


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


def _ip(value: Any) -> str:
    """An IPv4 or IPv6 address, written the standard way ("2001:DB8::1" -> "2001:db8::1")."""
    try:
        return str(ipaddress.ip_address(str(value).strip()))
    except ValueError as exc:
        raise PydanticCustomError(
            "invalid_ip", "is not an IP address (IPv4 such as 203.0.113.7, or IPv6)"
        ) from exc


Code = Annotated[str, AfterValidator(_code)]
IpAddress = Annotated[str, Field(max_length=64), AfterValidator(_ip)]
CountryCode = Annotated[
    str, Field(min_length=2, max_length=2, pattern=r"^[A-Za-z]{2}$"), AfterValidator(str.upper)
]
Sku = Annotated[str, AfterValidator(_sku)]
Email = Annotated[str, AfterValidator(_email)]
CurrencyCode = Annotated[str, BeforeValidator(_currency)]
MoneyString = Annotated[str, BeforeValidator(_money_string)]


class Address(Input):
    """A postal address; coordinates are optional and win over geocoding when given."""

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
