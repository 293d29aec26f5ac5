"""Rate shopping across carrier accounts (shipment and return labels alike), and the client
for a bought label's carrier."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime

from podium.carriers import _store as store
from podium.carriers.accounts import Carriers, CarrierUnavailable
from podium.carriers.model import Carrier, CarrierError, Rate, RateRequest, choose_rate
from podium.carriers.tablerate import BUILTIN_CODE
from podium.db.database import Database
from podium.errors import ValidationFailed

__all__ = ["carrier_for", "shop"]

log = logging.getLogger("podium.carriers")


def _carriers_to_ask(db: Database, carriers: Carriers, code: str | None) -> list[Carrier]:
    with db.read() as conn:
        if code is None:
            return [carriers.build(None)] + [
                carriers.build(r) for r in store.accounts(conn) if r["active"]
            ]
        if code == BUILTIN_CODE:
            return [carriers.build(None)]
        row = store.account(conn, code)
    if row is None or not row["active"]:
        raise ValidationFailed(
            f"Unknown carrier {code}.", code="unknown_carrier", details={"field": "carrier"}
        )
    return [carriers.build(row)]


def shop(
    db: Database,
    carriers: Carriers,
    request: RateRequest,
    code: str | None,
    service: str | None,
    deliver_by: date | None,
) -> tuple[Rate, Carrier]:
    """Rate shopping: ``code``'s rates (every active carrier's when None), ``service`` only
    when named, then the cheapest that arrives by ``deliver_by``; a carrier that fails is
    skipped while another answers."""
    rates: list[Rate] = []
    by_code: dict[str, Carrier] = {}
    failures: list[str] = []
    errors: list[CarrierError] = []
    for carrier in _carriers_to_ask(db, carriers, code):
        by_code[carrier.code] = carrier
        try:
            rates += carrier.rates(request)
        except CarrierError as exc:
            log.warning("rates from %s failed: %s", carrier.code, exc)
            failures.append(f"{carrier.code}: {exc}")
            errors.append(exc)
    if service is not None:
        rates = [r for r in rates if r.service.lower() == service.lower()]
        if not rates and not failures:
            raise ValidationFailed(
                f"No service {service} here.",
                code="unknown_service",
                details={"field": "service"},
            )
    today = datetime.now(UTC).date()
    rate = choose_rate(rates, today, deliver_by)
    if rate is None:
        why = CarrierError("No carrier offered a rate: " + "; ".join(failures))
        if errors and all(type(e) is type(errors[0]) for e in errors):
            why.status, why.code = errors[0].status, errors[0].code  # all timed out, say
        raise CarrierUnavailable.of(why, {"failures": failures})
    return rate, by_code[rate.carrier]


def carrier_for(db: Database, carriers: Carriers, code: str) -> Carrier:
    """The client for a label's carrier account (the built-in one when it is gone)."""
    with db.read() as conn:
        row = store.account(conn, code) if code != BUILTIN_CODE else None
    return carriers.build(row)
