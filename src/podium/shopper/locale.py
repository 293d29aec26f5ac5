"""The shopper's language: message catalogues (gettext, compiled by Babel) and money and
dates formatted for the locale. English is the source language; ``locales/`` holds the others.
"""

from __future__ import annotations

import functools
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_datetime
from babel.numbers import format_currency
from babel.support import NullTranslations, Translations

__all__ = [
    "DEFAULT_LOCALE",
    "LOCALES",
    "LOCALES_DIR",
    "best_locale",
    "long_date",
    "moment",
    "money",
    "pick_locale",
    "short_date",
    "translations",
]

LOCALES = ("en", "de", "fr", "es")
DEFAULT_LOCALE = "en"
LOCALES_DIR = Path(__file__).parent / "locales"


def pick_locale(value: object) -> str:
    """A supported locale code, or the default for anything else (an old or bad setting)."""
    if isinstance(value, str):
        code = value.strip().lower().replace("_", "-").split("-")[0]
        if code in LOCALES:
            return code
    return DEFAULT_LOCALE


def best_locale(accept_language: str | None) -> str:
    """The best supported match for a browser's ``Accept-Language`` header."""
    if not accept_language:
        return DEFAULT_LOCALE
    wanted: list[tuple[float, str]] = []
    for part in accept_language.split(",")[:20]:
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag:
            wanted.append((quality, tag))
    wanted.sort(key=lambda item: -item[0])
    try:
        found = Locale.negotiate([tag for _, tag in wanted], list(LOCALES), sep="-")
    except (ValueError, UnknownLocaleError):
        found = None
    return pick_locale(str(found)) if found else DEFAULT_LOCALE


@functools.cache
def translations(locale: str) -> NullTranslations:
    """The catalogue of ``locale`` (English: the messages as written)."""
    if locale == DEFAULT_LOCALE:
        return NullTranslations()
    return Translations.load(str(LOCALES_DIR), [locale], domain="messages")


def money(amount: str, currency: str, locale: str) -> str:
    """``"19.90", "EUR", "de"`` → ``19,90 €``."""
    try:
        value = Decimal(amount)
    except (InvalidOperation, TypeError):
        return f"{amount} {currency}"
    return format_currency(value, currency, locale=locale)


def long_date(value: date | None, locale: str) -> str:
    return format_date(value, format="long", locale=locale) if value else ""


def short_date(value: date | None, locale: str) -> str:
    return format_date(value, format="medium", locale=locale) if value else ""


def moment(value: datetime | None, locale: str) -> str:
    """A date and time (UTC, said so) for a tracking event."""
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return format_datetime(value, format="medium", tzinfo=UTC, locale=locale) + " UTC"
