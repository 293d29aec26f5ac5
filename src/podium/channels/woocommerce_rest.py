"""The WooCommerce REST API's answers and Podium's care with its key (pure helpers for the
connector): listing ids, stock counts, which batch items WooCommerce refused, and keeping the
API key out of errors and of httpx's request logs."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import Any

from podium.errors import DomainError

__all__ = [
    "count_of",
    "credentials",
    "listing_ids",
    "redact_http_logs",
    "refused",
    "without_secrets",
]


_CREDENTIAL_PARAM = re.compile(r"(consumer_(?:key|secret)=)[^&\s\"']*")


class _RedactQueryCredentials(logging.Filter):
    """httpx logs every request's URL at INFO, query string included: mask the key there."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "consumer_" in message:
            record.msg, record.args = _CREDENTIAL_PARAM.sub(r"\1****", message), None
        return True


def credentials(auth: str, key: str, secret: str, **kw: Any) -> dict[str, Any]:
    """The request's keyword arguments with the REST credentials added: HTTP Basic, or the
    ``consumer_key``/``consumer_secret`` query parameters (``auth: "query"``, for hosts that
    strip ``Authorization``) kept out of the URL Podium reports."""
    if auth == "query":
        return {
            **kw,
            "params": {**(kw.get("params") or {}), "consumer_key": key, "consumer_secret": secret},
        }
    return {**kw, "auth": (key, secret)}


def redact_http_logs() -> None:
    logger = logging.getLogger("httpx")
    if not any(isinstance(f, _RedactQueryCredentials) for f in logger.filters):
        logger.addFilter(_RedactQueryCredentials())


def listing_ids(remote_id: str) -> tuple[str, str] | None:
    """(product id, variation id or "") of a listing's ``remote_id``, or None when it is not
    ``<product>[:<variation>]`` in digits."""
    product, _, variation = remote_id.strip().partition(":")
    if not product.isdigit() or (variation and not variation.isdigit()):
        return None
    return product, variation


def count_of(value: Any) -> int | None:
    """A stock count as WooCommerce shows it (negative when backordered), or None."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        return int(str(value).strip())
    except ValueError:
        return None


def refused(chunk: Sequence[tuple[str, dict[str, Any]]], answer: Any) -> dict[str, str]:
    """SKUs of ``chunk`` the batch answer refused, with why. The answer lists the updates in
    the order sent, each the saved object or ``{"id", "error": {"code", "message", "data"}}``;
    an item the answer does not account for is not counted as pushed either."""
    listed = answer.get("update") if isinstance(answer, dict) else None
    answered = listed if isinstance(listed, list) else []
    out: dict[str, str] = {}
    for i, (sku, update) in enumerate(chunk):
        item = answered[i] if i < len(answered) else None
        if not isinstance(item, dict) or str(item.get("id")) != str(update["id"]):
            # Out of order or missing: find it by id.
            item = next(
                (
                    a
                    for a in answered
                    if isinstance(a, dict) and str(a.get("id")) == str(update["id"])
                ),
                None,
            )
        if item is None:
            out[sku] = f"WooCommerce's batch answer does not mention id {update['id']}"
            continue
        error = item.get("error")
        if error is not None:
            error = error if isinstance(error, dict) else {"message": str(error)}
            code = str(error.get("code") or "error")
            message = str(error.get("message") or "").strip()
            out[sku] = f"{code}: {message}"[:500] if message else code[:500]
    return out


def without_secrets(exc: DomainError, secrets: Sequence[str]) -> DomainError:
    """The same error with every secret in its message and details masked (a URL in an
    error must never carry the API key)."""

    def scrub(value: Any) -> Any:
        if isinstance(value, str):
            for secret in secrets:
                if secret:
                    value = value.replace(secret, "****")
            return value
        if isinstance(value, dict):
            return {k: scrub(v) for k, v in value.items()}
        if isinstance(value, list):
            return [scrub(v) for v in value]
        return value

    exc.message = scrub(exc.message)
    exc.details = scrub(exc.details)
    exc.args = tuple(scrub(a) for a in exc.args)
    return exc
