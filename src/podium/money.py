"""Exact money: amounts are integers in a currency's minor units (cents for USD).

On the wire money travels as a decimal string ("19.99"); :func:`parse_amount` turns it into
minor units and :func:`format_amount` turns minor units back into that string. No float is
ever involved.
"""

from __future__ import annotations

import re

__all__ = [
    "CURRENCY_EXPONENTS",
    "MAX_MINOR",
    "InvalidMoney",
    "format_amount",
    "minor_unit",
    "normalise_currency",
    "parse_amount",
]

# ISO 4217 list one: active codes and their minor-unit exponent. Codes whose minor unit is
# "N.A." (precious metals XAU XAG XPD XPT, bond-market units XBA-XBD, XDR, XSU, XUA, and the
# XTS/XXX test and no-currency codes) are left out: they cannot price an order. ANG, SLL and
# ZWL are kept while their successors (XCG, SLE, ZWG) phase them out.
CURRENCY_EXPONENTS: dict[str, int] = {
    "AED": 2,
    "AFN": 2,
    "ALL": 2,
    "AMD": 2,
    "ANG": 2,
    "AOA": 2,
    "ARS": 2,
    "AUD": 2,
    "AWG": 2,
    "AZN": 2,
    "BAM": 2,
    "BBD": 2,
    "BDT": 2,
    "BGN": 2,
    "BHD": 3,
    "BIF": 0,
    "BMD": 2,
    "BND": 2,
    "BOB": 2,
    "BOV": 2,
    "BRL": 2,
    "BSD": 2,
    "BTN": 2,
    "BWP": 2,
    "BYN": 2,
    "BZD": 2,
    "CAD": 2,
    "CDF": 2,
    "CHE": 2,
    "CHF": 2,
    "CHW": 2,
    "CLF": 4,
    "CLP": 0,
    "CNY": 2,
    "COP": 2,
    "COU": 2,
    "CRC": 2,
    "CUC": 2,
    "CUP": 2,
    "CVE": 2,
    "CZK": 2,
    "DJF": 0,
    "DKK": 2,
    "DOP": 2,
    "DZD": 2,
    "EGP": 2,
    "ERN": 2,
    "ETB": 2,
    "EUR": 2,
    "FJD": 2,
    "FKP": 2,
    "GBP": 2,
    "GEL": 2,
    "GHS": 2,
    "GIP": 2,
    "GMD": 2,
    "GNF": 0,
    "GTQ": 2,
    "GYD": 2,
    "HKD": 2,
    "HNL": 2,
    "HTG": 2,
    "HUF": 2,
    "IDR": 2,
    "ILS": 2,
    "INR": 2,
    "IQD": 3,
    "IRR": 2,
    "ISK": 0,
    "JMD": 2,
    "JOD": 3,
    "JPY": 0,
    "KES": 2,
    "KGS": 2,
    "KHR": 2,
    "KMF": 0,
    "KPW": 2,
    "KRW": 0,
    "KWD": 3,
    "KYD": 2,
    "KZT": 2,
    "LAK": 2,
    "LBP": 2,
    "LKR": 2,
    "LRD": 2,
    "LSL": 2,
    "LYD": 3,
    "MAD": 2,
    "MDL": 2,
    "MGA": 2,
    "MKD": 2,
    "MMK": 2,
    "MNT": 2,
    "MOP": 2,
    "MRU": 2,
    "MUR": 2,
    "MVR": 2,
    "MWK": 2,
    "MXN": 2,
    "MXV": 2,
    "MYR": 2,
    "MZN": 2,
    "NAD": 2,
    "NGN": 2,
    "NIO": 2,
    "NOK": 2,
    "NPR": 2,
    "NZD": 2,
    "OMR": 3,
    "PAB": 2,
    "PEN": 2,
    "PGK": 2,
    "PHP": 2,
    "PKR": 2,
    "PLN": 2,
    "PYG": 0,
    "QAR": 2,
    "RON": 2,
    "RSD": 2,
    "RUB": 2,
    "RWF": 0,
    "SAR": 2,
    "SBD": 2,
    "SCR": 2,
    "SDG": 2,
    "SEK": 2,
    "SGD": 2,
    "SHP": 2,
    "SLE": 2,
    "SLL": 2,
    "SOS": 2,
    "SRD": 2,
    "SSP": 2,
    "STN": 2,
    "SVC": 2,
    "SYP": 2,
    "SZL": 2,
    "THB": 2,
    "TJS": 2,
    "TMT": 2,
    "TND": 3,
    "TOP": 2,
    "TRY": 2,
    "TTD": 2,
    "TWD": 2,
    "TZS": 2,
    "UAH": 2,
    "UGX": 0,
    "USD": 2,
    "USN": 2,
    "UYI": 0,
    "UYU": 2,
    "UYW": 4,
    "UZS": 2,
    "VED": 2,
    "VES": 2,
    "VND": 0,
    "VUV": 0,
    "WST": 2,
    "XAF": 0,
    "XCD": 2,
    "XCG": 2,
    "XOF": 0,
    "XPF": 0,
    "YER": 2,
    "ZAR": 2,
    "ZMW": 2,
    "ZWG": 2,
    "ZWL": 2,
}

MAX_MINOR = 10**15
"""Largest absolute amount, in minor units, that :func:`parse_amount` accepts."""

_AMOUNT = re.compile(r"(-?)([0-9]+)(?:\.([0-9]+))?")
_MAX_DIGITS = len(str(MAX_MINOR))


class InvalidMoney(ValueError):
    """A currency or amount the contract refuses; ``code`` is machine-readable."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def normalise_currency(code: object) -> str:
    """Return the upper-case ISO 4217 code, or raise ``invalid_currency``."""
    if not isinstance(code, str):
        raise InvalidMoney("invalid_currency", "currency must be an ISO 4217 code like 'USD'")
    normalised = code.strip().upper()
    if normalised not in CURRENCY_EXPONENTS:
        raise InvalidMoney("invalid_currency", f"unknown currency {code!r}")
    return normalised


def minor_unit(currency: str) -> int:
    """Digits after the decimal point for ``currency`` (2 for USD, 0 for JPY)."""
    return CURRENCY_EXPONENTS[normalise_currency(currency)]


def parse_amount(value: object, currency: str, *, allow_negative: bool = False) -> int:
    """Parse a decimal string such as "19.99" into minor units of ``currency``."""
    exponent = minor_unit(currency)
    if not isinstance(value, str):
        raise InvalidMoney(
            "invalid_money",
            f'money travels as a decimal string like "19.99", not {type(value).__name__}',
        )
    text = value.strip()
    match = _AMOUNT.fullmatch(text)
    if match is None:
        raise InvalidMoney("invalid_money", f'{value!r} is not a decimal amount like "19.99"')
    sign, whole, fraction = match.group(1), match.group(2), match.group(3) or ""
    if sign and not allow_negative:
        raise InvalidMoney("invalid_money", f"{value!r}: negative amounts are not allowed here")
    kept, extra = fraction[:exponent], fraction[exponent:]
    if extra.strip("0"):
        raise InvalidMoney(
            "invalid_money",
            f"{value!r} has more than {exponent} decimal place(s) for {currency.strip().upper()}",
        )
    digits = (whole + kept.ljust(exponent, "0")).lstrip("0")
    if len(digits) > _MAX_DIGITS or int(digits or "0") > MAX_MINOR:
        raise InvalidMoney("invalid_money", f"{value!r} is too large")
    minor = int(digits or "0")
    return -minor if sign else minor


def format_amount(minor: int, currency: str) -> str:
    """Render minor units as the wire's decimal string: 1999 USD -> "19.99"."""
    exponent = minor_unit(currency)
    if isinstance(minor, bool) or not isinstance(minor, int):
        raise InvalidMoney("invalid_money", "amounts in minor units must be integers")
    sign = "-" if minor < 0 else ""
    digits = str(abs(minor))
    if exponent == 0:
        return sign + digits
    digits = digits.rjust(exponent + 1, "0")
    return f"{sign}{digits[:-exponent]}.{digits[-exponent:]}"
