"""Structured logs (issue 19; docs/operations.md "Logs"): JSON lines or readable text, with
the request id, order id and channel where known, and secrets and personal data masked.

``configure`` installs one handler on the root logger (``podium serve``, ``podium worker``);
library code only logs (``logging.getLogger("podium.…")``) and may ``bind`` what it knows to the
request it serves (``bind(order_id=…, channel=…)``).
"""

from __future__ import annotations

import logging
import re
import sys
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, TextIO

import orjson

__all__ = [
    "FORMATS",
    "JsonFormatter",
    "RedactingFilter",
    "TextFormatter",
    "bind",
    "configure",
    "context",
    "current",
    "redact",
    "request_id_from",
    "scope",
]

FORMATS = ("json", "text", "auto")

# What a request knows about itself (request_id, order_id, channel). One dict per request,
# shared with the worker threads its handler runs in (a context copy is shallow), so what a
# handler binds also reaches the access line the middleware writes afterwards.
_CONTEXT: ContextVar[dict[str, str] | None] = ContextVar("podium_log_context", default=None)


def current() -> dict[str, str]:
    """A copy of what the current request or scope has bound."""
    found = _CONTEXT.get()
    return dict(found) if found else {}


def bind(**values: str | None) -> None:
    """Add ``values`` to the current request's or scope's context; outside both, nothing (a
    long-lived thread must not carry one order's id into every later line)."""
    found = _CONTEXT.get()
    if found is not None:
        found.update({k: str(v) for k, v in values.items() if v is not None})


@contextmanager
def scope(**values: str | None) -> Iterator[dict[str, str]]:
    """A fresh context for one unit of work (a request, an event being delivered)."""
    fresh = {**current(), **{k: str(v) for k, v in values.items() if v is not None}}
    token = _CONTEXT.set(fresh)
    try:
        yield fresh
    finally:
        _CONTEXT.reset(token)


def context() -> ContextVar[dict[str, str] | None]:
    """The context variable itself, for an ASGI middleware that sets and resets it."""
    return _CONTEXT


_SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:/+=-]{0,127}")


def request_id_from(header: str | bytes | None) -> str:
    """The caller's ``X-Request-ID`` when it is sane (1-128 of letters, digits and ``._:/+=-``,
    so nothing can forge a log line or fill the disk), else a new random one."""
    if header:
        text = header.decode("latin-1") if isinstance(header, bytes) else header
        if _SANE_REQUEST_ID.fullmatch(text):
            return text
    return uuid.uuid4().hex


# --- redaction ---------------------------------------------------------------------------

_MASK = "[redacted]"
_SECRET_NAMES = (
    r"password|passwd|pwd|secret|client_secret|consumer_secret|api[_-]?key|apikey|token"
    r"|access_token|refresh_token|authorization|cookie|session|signature|cvc|cvv"
)
_SECRET_PAIR = re.compile(
    rf"(?i)\b([\w-]*(?:{_SECRET_NAMES})[\w-]*)(\"?'?\s*[:=]\s*\"?'?)([^\s\"'&,;}}]+)"
)
_BEARER = re.compile(r"(?i)\b(bearer|basic|token)\s+[A-Za-z0-9._~+/=-]{8,}")
_PODIUM_KEY = re.compile(r"\bpdm_[0-9a-f]{6,}_[A-Za-z0-9_-]+")
_URL_PASSWORD = re.compile(r"(\w+://[^:/@\s]+):[^@/\s]+@")
_EMAIL = re.compile(r"\b([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})\b")
_CARD = re.compile(r"\b(?:\d[ -]?){12,18}\d\b")
_SECRET_KEY = re.compile(rf"(?i)(?:{_SECRET_NAMES})")


def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


def _card(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    if 13 <= len(digits) <= 19 and _luhn(digits):
        return "*" * (len(digits) - 4) + digits[-4:]
    return match.group(0)


# Cheap tests first: most lines hold none of these, and a substring search costs far less
# than a regular expression (an access line is redacted in about a microsecond).
_SUSPECT = re.compile(
    r"passw|pwd|secret|key|token|auth|cookie|session|signature|cv|bearer|basic", re.IGNORECASE
)
_LONG_NUMBER = re.compile(r"\d[ -]?\d[ -]?\d[ -]?\d[ -]?\d[ -]?\d[ -]?\d[ -]?\d[ -]?\d")


def redact(text: str) -> str:
    """``text`` with credentials, card numbers and e-mail addresses masked."""
    if not text:
        return text
    if "pdm_" in text:
        text = _PODIUM_KEY.sub("pdm_" + _MASK, text)
    if _SUSPECT.search(text):
        text = _BEARER.sub(lambda m: f"{m.group(1)} {_MASK}", text)
        text = _SECRET_PAIR.sub(rf"\1\2{_MASK}", text)
    if "@" in text:
        text = _URL_PASSWORD.sub(rf"\1:{_MASK}@", text)
        text = _EMAIL.sub(r"\1***@\2", text)
    if _LONG_NUMBER.search(text):
        text = _CARD.sub(_card, text)
    return text


@lru_cache(maxsize=1024)
def _secret_name(name: str) -> bool:
    return _SECRET_KEY.search(name) is not None


def _redact_value(name: str, value: Any) -> Any:
    if _secret_name(name):
        return _MASK
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, Mapping):
        return {str(k): _redact_value(str(k), v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_redact_value(name, v) for v in value]
    return value


# Attributes every LogRecord has: anything else came in through ``extra=``.
_STANDARD = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}


class RedactingFilter(logging.Filter):
    """Masks secrets and personal data in a record's message, traceback and extras, whichever
    logger wrote it (Podium's, httpx's, uvicorn's), before any handler formats it."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        record.exc_info = None  # formatted (and masked) above: never formatted again
        for name in [n for n in vars(record) if n not in _STANDARD]:
            setattr(record, name, _redact_value(name, getattr(record, name)))
        return True


def _fields(record: logging.LogRecord) -> dict[str, Any]:
    """The record's request context and extras."""
    fields: dict[str, Any] = dict(current())
    for name, value in vars(record).items():
        if name not in _STANDARD:
            fields[name] = value
    return fields


class JsonFormatter(logging.Formatter):
    """One JSON object a line: ts, level, logger, msg, then request_id, order_id, channel and
    any extras; ``exc`` holds a traceback."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
            **_fields(record),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            line["exc"] = record.exc_text
        return orjson.dumps(line, default=str).decode()


class TextFormatter(logging.Formatter):
    """For a person at a terminal: time, level, logger, message, then ``key=value`` context."""

    def format(self, record: logging.LogRecord) -> str:
        at = datetime.fromtimestamp(record.created).strftime("%H:%M:%S")
        extra = " ".join(f"{k}={v}" for k, v in _fields(record).items())
        text = f"{at} {record.levelname:<7} {record.name}: {record.getMessage()}"
        text = f"{text}  {extra}" if extra else text
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        return f"{text}\n{record.exc_text}" if record.exc_text else text


_INSTALLED = "_podium_handler"


def configure(fmt: str = "auto", level: str = "INFO", stream: TextIO | None = None) -> None:
    """Send every log record to ``stream`` (stderr) as JSON lines or text, masked; ``auto``
    is text on a terminal and JSON elsewhere. Calling it again replaces Podium's handler."""
    if fmt not in FORMATS:
        raise ValueError(f"log format must be one of {', '.join(FORMATS)}, got {fmt!r}")
    out = stream if stream is not None else sys.stderr
    if fmt == "auto":
        fmt = "text" if out.isatty() else "json"
    handler = logging.StreamHandler(out)
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    handler.addFilter(RedactingFilter())
    setattr(handler, _INSTALLED, True)
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, _INSTALLED, False)]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())
