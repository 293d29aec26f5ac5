"""EasyPost over its REST API (v2): shipments with rates, buy, refund (void), trackers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import httpx

from podium.carriers.model import (
    EASYPOST_STATUS,
    CarrierDown,
    CarrierError,
    CarrierTimeout,
    Purchase,
    Rate,
    RateRequest,
    Tracking,
    ounces,
)
from podium.money import InvalidMoney, normalise_currency, parse_amount
from podium.resilience import CircuitBreaker, Timeouts

__all__ = [
    "DEFAULT_BASE_URL",
    "LABEL_URL_FIELDS",
    "EasyPostCarrier",
    "label_url_of",
    "parse_rates",
    "parse_tracker",
]

DEFAULT_BASE_URL = "https://api.easypost.com/v2"


def _address(name: str, a: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": name,
        "street1": a.get("line1") or "",
        "street2": a.get("line2"),
        "city": a.get("city"),
        "state": a.get("region"),
        "zip": a.get("postal_code"),
        "country": a.get("country") or "US",
        "phone": a.get("phone"),
    }


def parse_rates(code: str, shipment: dict[str, Any]) -> list[Rate]:
    """Rates of an EasyPost shipment; amounts are decimal strings in their own currency."""
    out: list[Rate] = []
    rates = shipment.get("rates")
    for r in rates if isinstance(rates, list) else []:
        if not isinstance(r, dict):
            continue
        try:
            currency = normalise_currency(r.get("currency") or "USD")
            amount = parse_amount(str(r["rate"]), currency)
        except (InvalidMoney, KeyError):
            continue  # a rate we cannot price is a rate we do not offer
        days = r.get("delivery_days") if r.get("delivery_days") is not None else None
        if days is None:
            days = r.get("est_delivery_days")
        out.append(
            Rate(
                code,
                str(r.get("carrier") or "EasyPost"),
                str(r.get("service") or ""),
                amount,
                currency,
                int(days) if days is not None else None,
                f"{shipment.get('id', r.get('shipment_id', ''))}:{r.get('id', '')}",
            )
        )
    return out


# Where a bought shipment's postage label says each format's file is.
LABEL_URL_FIELDS = {"PDF": "label_pdf_url", "ZPL": "label_zpl_url", "PNG": "label_url"}


def label_url_of(shipment: dict[str, Any], fmt: str) -> str | None:
    """The URL of the postage label in ``fmt``, if EasyPost made one."""
    postage = shipment.get("postage_label")
    if not isinstance(postage, dict):
        return None
    url = postage.get(LABEL_URL_FIELDS.get(fmt, "label_url"))
    return url if isinstance(url, str) and url else None


def parse_tracker(tracker: dict[str, Any]) -> Tracking:
    status = str(tracker.get("status") or "unknown")
    details = tracker.get("tracking_details")
    last = details[-1] if isinstance(details, list) and details else {}
    where = last.get("tracking_location") if isinstance(last, dict) else None
    where = where if isinstance(where, dict) else {}
    place = ", ".join(str(x) for x in (where.get("city"), where.get("state")) if x)
    message = str(last.get("message") or status) if isinstance(last, dict) else status
    return Tracking(
        str(tracker.get("tracking_code") or ""),
        EASYPOST_STATUS.get(status),
        f"{message}" + (f" ({place})" if place else ""),
        url if isinstance(url := tracker.get("public_url"), str) else None,
    )


class EasyPostCarrier:
    def __init__(
        self,
        code: str,
        api_key: str,
        client: httpx.Client,
        base_url: str,
        timeouts: Timeouts | None = None,
        breaker: CircuitBreaker | None = None,
    ) -> None:
        self.code = code
        self._key = api_key
        self._client = client
        self._base = base_url.rstrip("/")
        self._timeouts = timeouts or Timeouts(5.0, 30.0, 30.0)
        self._breaker = breaker

    def _request(self, method: str, url: str, what: str, **kw: Any) -> httpx.Response:
        """One bounded call: refused at once while the carrier's circuit is open; a timeout
        is a ``CarrierTimeout``; 5xx, 429 and no answer count against the circuit."""
        if self._breaker is not None and not self._breaker.allow():
            raise CarrierDown(
                f"{what} is failing; not called again for "
                f"{self._breaker.retry_in():.0f} s (circuit open)."
            )
        try:
            r = self._client.request(method, url, timeout=self._timeouts.httpx_timeout(), **kw)
        except httpx.TimeoutException as exc:
            self._failed()
            raise CarrierTimeout(
                f"{what} did not answer within {self._timeouts.total:g} s."
            ) from exc
        except httpx.HTTPError as exc:
            self._failed()
            raise CarrierError(f"{what} is unreachable: {exc}") from exc
        if r.status_code >= 500 or r.status_code == 429:
            self._failed()
        elif self._breaker is not None:
            self._breaker.succeeded()
        return r

    def _failed(self) -> None:
        if self._breaker is not None:
            self._breaker.failed()

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        r = self._request(
            method, f"{self._base}{path}", "EasyPost", json=body, auth=(self._key, "")
        )
        if r.status_code >= 400:
            try:
                message = r.json().get("error", {}).get("message", r.text)
            except (ValueError, AttributeError):
                message = r.text
            raise CarrierError(f"EasyPost answered {r.status_code}: {message}")
        try:
            body = r.json()
        except ValueError as exc:
            raise CarrierError("EasyPost answered with something that is not JSON.") from exc
        if not isinstance(body, dict):
            raise CarrierError("EasyPost answered with JSON that is not an object.")
        return body

    def rates(self, request: RateRequest) -> list[Rate]:
        sender = _address(request.from_name, request.from_address)
        receiver = _address(request.to_name, request.to_address)
        body: dict[str, Any] = {
            "reference": request.reference,
            "from_address": sender,
            "to_address": receiver,
            "parcel": {"weight": ounces(request.weight_grams)},
            # Without label_format EasyPost makes a 4x6 PNG; ask for what the printer takes.
            "options": {"currency": request.currency, "label_format": request.label_format},
        }
        if request.is_return:
            # EasyPost takes a return with the outbound parcel's addresses and swaps them.
            body.update(from_address=receiver, to_address=sender, is_return=True)
        shipment = self._call("POST", "/shipments", {"shipment": body})
        return parse_rates(self.code, shipment)

    def buy(self, request: RateRequest, rate: Rate) -> Purchase:
        shipment_id, _, rate_id = rate.ref.partition(":")
        if not shipment_id or not rate_id:
            raise CarrierError("This EasyPost rate has no shipment to buy it on.")
        bought = self._call("POST", f"/shipments/{shipment_id}/buy", {"rate": {"id": rate_id}})
        tracking = bought.get("tracking_code")
        if not tracking:
            raise CarrierError("EasyPost bought the label but sent no tracking code.")
        tracker = bought.get("tracker") if isinstance(bought.get("tracker"), dict) else {}
        fmt = request.label_format
        url = label_url_of(bought, fmt)
        if url is None and fmt != "PNG":
            # Made in another format (a carrier that ignores the option): EasyPost converts.
            converted = self._call(
                "GET", f"/shipments/{bought.get('id') or shipment_id}/label?file_format={fmt}"
            )
            url = label_url_of(converted, fmt)
        if url is None:
            raise CarrierError(f"EasyPost bought the label but sent no {fmt} of it.")
        return Purchase(
            str(tracking),
            str(bought.get("id") or shipment_id),
            tracker.get("public_url"),
            url,
            fmt,
            self._download(url, fmt),
        )

    def _download(self, url: str, fmt: str) -> bytes:
        """The label file itself (EasyPost's URLs are public; no key is sent to them)."""
        r = self._request("GET", url, f"The {fmt} label's host", follow_redirects=True)
        if r.status_code >= 400:
            raise CarrierError(f"The {fmt} label could not be fetched ({r.status_code}).")
        body = r.content
        if fmt == "PDF" and not body.startswith(b"%PDF"):
            raise CarrierError("EasyPost's PDF label is not a PDF.")
        if fmt == "ZPL" and b"^XA" not in body[:200].upper():
            raise CarrierError("EasyPost's ZPL label is not ZPL.")
        return body

    def void(self, tracking_number: str, external_id: str | None) -> None:
        if external_id:
            self._call("POST", f"/shipments/{external_id}/refund")

    def track(self, tracking_number: str, shipped_at: datetime | None) -> Tracking:
        tracker = self._call("POST", "/trackers", {"tracker": {"tracking_code": tracking_number}})
        return parse_tracker(tracker)
