"""Carrier accounts: the built-in table-rate carrier plus configured ones (secrets masked),
and the factory that turns an account into a carrier client."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import httpx
import sqlalchemy as sa

from podium.carriers import _store as store
from podium.carriers.easypost import DEFAULT_BASE_URL, EasyPostCarrier
from podium.carriers.model import AccountIn, AccountView, Carrier, CarrierError
from podium.carriers.parcels import ParcelTracker
from podium.carriers.tablerate import BUILTIN_CODE, TableRateCarrier
from podium.db.database import Database
from podium.errors import Conflict, DomainError, ValidationFailed
from podium.fulfillment import mask
from podium.resilience import Breakers, Timeouts

__all__ = ["BUILTIN", "CarrierUnavailable", "Carriers", "create_account", "list_accounts"]


class CarrierUnavailable(DomainError):
    status = 502
    code = "carrier_error"

    @classmethod
    def of(cls, exc: CarrierError, details: dict[str, Any] | None = None) -> CarrierUnavailable:
        """The API's answer to a carrier failure: 502 ``carrier_error``, 504
        ``carrier_timeout`` or 503 ``carrier_unavailable`` (its circuit is open)."""
        error = cls(str(exc), code=exc.code, details=details)
        error.status = exc.status
        return error


class Carriers:
    """Builds carrier clients from accounts; one shared HTTP client (made in bootstrap).
    Also carries the other capabilities' parcel trackers (return labels), registered in
    bootstrap, that tracking serves next to shipment labels."""

    def __init__(
        self,
        http: httpx.Client | None = None,
        timeouts: Timeouts | None = None,
        breakers: Breakers | None = None,
    ) -> None:
        self.http = http or httpx.Client(timeout=30)
        self.timeouts = timeouts or Timeouts(5.0, 30.0, 30.0)
        self.breakers = breakers or Breakers("carrier")
        self.trackers: list[ParcelTracker] = []

    def track_also(self, tracker: ParcelTracker) -> None:
        self.trackers.append(tracker)

    def build(self, row: sa.RowMapping | None) -> Carrier:
        if row is None:
            return TableRateCarrier()
        if row["type"] == "easypost":
            s = row["settings"]
            base_url = s.get("base_url") or DEFAULT_BASE_URL
            return EasyPostCarrier(
                row["code"],
                s.get("api_key", ""),
                self.http,
                base_url,
                self.timeouts,
                self.breakers(urlsplit(base_url).netloc or base_url),
            )
        return TableRateCarrier(row["code"], row["name"])

    def close(self) -> None:
        self.http.close()


def _account_view(row: sa.RowMapping) -> AccountView:
    s = row["settings"]
    return AccountView(
        code=row["code"],
        type=row["type"],
        name=row["name"],
        api_key=mask(s.get("api_key")),
        webhook_secret=mask(s.get("webhook_secret")),
        base_url=s.get("base_url"),
        active=row["active"],
    )


BUILTIN = AccountView(
    code=BUILTIN_CODE,
    type="table_rate",
    name="Podium Table Rate",
    api_key=None,
    webhook_secret=None,
    base_url=None,
    active=True,
    builtin=True,
)


def create_account(db: Database, data: AccountIn) -> AccountView:
    if data.code == BUILTIN_CODE:
        raise Conflict(
            "podium is the built-in carrier.", code="already_exists", details={"field": "code"}
        )
    if data.type == "easypost" and not (data.api_key and data.webhook_secret):
        raise ValidationFailed(
            "An EasyPost account needs api_key and webhook_secret.",
            code="missing_credentials",
            details={"field": "api_key" if not data.api_key else "webhook_secret"},
        )
    settings = {
        k: v
        for k, v in (
            ("api_key", data.api_key),
            ("webhook_secret", data.webhook_secret),
            ("base_url", data.base_url),
        )
        if v
    }
    with db.write() as conn:
        if store.account(conn, data.code) is not None:
            raise Conflict(
                f"Carrier {data.code} already exists.",
                code="already_exists",
                details={"field": "code"},
            )
        store.insert_account(
            conn,
            {
                "code": data.code,
                "type": data.type,
                "name": data.name or data.code,
                "settings": settings,
                "active": True,
            },
        )
        row = store.account(conn, data.code)
    if row is None:
        raise RuntimeError(f"carrier account {data.code} not found after it was saved")
    return _account_view(row)


def list_accounts(db: Database) -> list[AccountView]:
    with db.read() as conn:
        return [BUILTIN, *(_account_view(r) for r in store.accounts(conn))]
