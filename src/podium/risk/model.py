"""Fraud risk at placement (pure): the facts gathered about an order, the signals they raise,
and the score and level those make. No I/O: the facts are gathered by the caller (orders, in
the placement transaction) and the lists (disposable domains, forwarders) are looked up before.

Every signal is documented in docs/operations.md ("Risk and address checks"); its points are
fixed here, its thresholds are settings (:class:`RiskSettings`, from ``PODIUM_RISK_*``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from podium.money import CURRENCY_EXPONENTS

__all__ = [
    "POINTS",
    "Assessment",
    "RiskFacts",
    "RiskSettings",
    "Signal",
    "assess",
    "level_of",
]

Level = Literal["low", "medium", "high"]

# Points per signal; the score is their sum, capped at 100.
POINTS: dict[str, int] = {
    "billing_country_mismatch": 25,
    "billing_postal_mismatch": 10,
    "first_order_high_value": 20,
    "velocity_email": 15,
    "velocity_address": 15,
    "velocity_ip": 15,
    "disposable_email": 25,
    "freight_forwarder": 25,
    "postal_mismatch": 15,
    "channel_risk_high": 40,
    "channel_risk_medium": 15,
}


@dataclass(frozen=True, slots=True)
class RiskSettings:
    """Thresholds (``PODIUM_RISK_*``, read by ``config.Settings``; bootstrap builds this)."""

    medium_score: int = 40
    high_score: int = 70
    # A first order (no earlier order for the e-mail) worth at least this much in its own
    # currency raises ``first_order_high_value``.
    first_order_value: Decimal = Decimal("500")
    velocity_window_minutes: int = 60
    # Earlier orders within the window (same e-mail / shipping address / IP) that raise a
    # velocity signal.
    velocity_limit: int = 3
    # Service levels whose carriers refuse PO boxes (an address check, not a risk signal).
    po_box_refused_by: frozenset[str] = frozenset({"express", "next_day"})
    # Extra freight-forwarder markers (lower case) on top of the packaged list.
    extra_forwarders: tuple[str, ...] = ()
    enabled: bool = True


@dataclass(frozen=True, slots=True)
class RiskFacts:
    """What is known about an order being placed, gathered before scoring."""

    total: int  # minor units of the order's currency
    currency: str
    shipping_country: str
    shipping_postal: str | None
    billing_country: str | None = None
    billing_postal: str | None = None
    earlier_orders_by_email: int | None = None  # None: no e-mail on the order
    recent_by_email: int = 0  # earlier orders within the velocity window
    recent_by_address: int = 0
    recent_by_ip: int = 0
    disposable_domain: str | None = None
    forwarder: str | None = None  # the forwarder the shipping address names
    postal_problem: str | None = None  # postal code not matching region/city (detail)
    channel_risk: str | None = None  # the channel's own "low" / "medium" / "high"
    channel_risk_detail: str | None = None


@dataclass(frozen=True, slots=True)
class Signal:
    code: str
    points: int
    detail: str

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "points": self.points, "detail": self.detail}


@dataclass(frozen=True, slots=True)
class Assessment:
    score: int
    level: Level
    signals: tuple[Signal, ...] = field(default_factory=tuple)

    def as_dict(self) -> dict[str, Any]:
        return {
            "score": self.score,
            "level": self.level,
            "signals": [s.as_dict() for s in self.signals],
        }


def level_of(score: int, settings: RiskSettings) -> Level:
    if score >= settings.high_score:
        return "high"
    if score >= settings.medium_score:
        return "medium"
    return "low"


def _postal(code: str | None) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def _signal(code: str, detail: str) -> Signal:
    return Signal(code, POINTS[code], detail)


def signals_of(facts: RiskFacts, settings: RiskSettings) -> list[Signal]:
    """Every signal the facts raise, in the fixed order of :data:`POINTS`."""
    found: list[Signal] = []
    if facts.billing_country and facts.billing_country != facts.shipping_country:
        found.append(
            _signal(
                "billing_country_mismatch",
                f"billed in {facts.billing_country}, shipped to {facts.shipping_country}",
            )
        )
    elif (
        facts.billing_country
        and _postal(facts.billing_postal)
        and _postal(facts.shipping_postal)
        and _postal(facts.billing_postal) != _postal(facts.shipping_postal)
    ):
        found.append(
            _signal(
                "billing_postal_mismatch",
                f"billing postal code {facts.billing_postal}, shipping {facts.shipping_postal}",
            )
        )
    exponent = CURRENCY_EXPONENTS.get(facts.currency.upper(), 2)
    threshold = settings.first_order_value.scaleb(exponent)
    if facts.earlier_orders_by_email == 0 and facts.total >= threshold:
        found.append(
            _signal("first_order_high_value", "first order for this e-mail, above the threshold")
        )
    window = settings.velocity_window_minutes
    for code, count, what in (
        ("velocity_email", facts.recent_by_email, "e-mail"),
        ("velocity_address", facts.recent_by_address, "shipping address"),
        ("velocity_ip", facts.recent_by_ip, "IP address"),
    ):
        if count >= settings.velocity_limit:
            found.append(
                _signal(code, f"{count} earlier order(s) from this {what} in {window} minutes")
            )
    if facts.disposable_domain:
        found.append(
            _signal("disposable_email", f"{facts.disposable_domain} is a disposable e-mail domain")
        )
    if facts.forwarder:
        found.append(
            _signal("freight_forwarder", f"ships to a freight forwarder ({facts.forwarder})")
        )
    if facts.postal_problem:
        found.append(_signal("postal_mismatch", facts.postal_problem))
    if facts.channel_risk in ("high", "medium"):
        detail = facts.channel_risk_detail or f"the channel rates it {facts.channel_risk}"
        found.append(_signal(f"channel_risk_{facts.channel_risk}", detail))
    return found


def assess(facts: RiskFacts, settings: RiskSettings) -> Assessment:
    """The order's score (0-100: the signals' points summed, capped) and level."""
    found = signals_of(facts, settings)
    score = max(0, min(100, sum(s.points for s in found)))
    return Assessment(score, level_of(score, settings), tuple(found))
