"""The carrier cost model routing decides with: pure data and functions, no I/O.

A rate table prices one parcel by distance band × weight band, in integer minor units. Service
levels (standard, express, next day) scale the price and set the transit days per distance band.
A location ships the day an order arrives when that is a working day before its cut-off time, else
on its next working day; carriers deliver on weekdays. An order's promise is the date it gave at
intake, or the date its service level implies.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = [
    "DEFAULT_RATES",
    "SERVICE_LEVELS",
    "Calendar",
    "RateTable",
    "ServiceLevel",
    "add_business_days",
    "delivery_date",
    "promise_for",
    "ship_date",
    "transit_days",
]

ServiceLevel = Literal["standard", "express", "next_day"]
SERVICE_LEVELS: tuple[ServiceLevel, ...] = ("standard", "express", "next_day")

# Upper bounds (km) of the distance bands, nearest first; the last band is open-ended.
DISTANCE_BANDS_KM: tuple[int, ...] = (150, 500, 1000, 1800, 3000)
# Carrier transit days (weekdays) per distance band, for each service level.
_TRANSIT: dict[str, tuple[int, ...]] = {
    "standard": (1, 2, 3, 4, 5, 6),
    "express": (1, 1, 2, 2, 2, 3),
    "next_day": (1, 1, 1, 1, 1, 2),
}
# Price multiplier per service level, in percent.
_SERVICE_PERCENT = {"standard": 100, "express": 180, "next_day": 300}
# Business days from the order date to the promise when the intake gave none.
_PROMISE_DAYS = {"standard": 5, "express": 2, "next_day": 1}
WEEKDAYS = (1, 2, 3, 4, 5)


def band_of(distance_km: float | None) -> int:
    """The distance band's index; an unknown distance counts as the farthest band."""
    if distance_km is None:
        return len(DISTANCE_BANDS_KM)
    for i, limit in enumerate(DISTANCE_BANDS_KM):
        if distance_km <= limit:
            return i
    return len(DISTANCE_BANDS_KM)


@dataclass(frozen=True, slots=True)
class RateTable:
    """Standard-service parcel prices (minor units) by distance band × weight band.

    ``weights_g`` are the weight bands' upper bounds; a parcel above the last one pays the last
    price plus ``extra_per_kg`` for each started kilogram beyond it.
    """

    weights_g: tuple[int, ...]
    prices: tuple[tuple[int, ...], ...]  # one row per distance band (len(DISTANCE_BANDS_KM)+1)
    extra_per_kg: tuple[int, ...]  # per distance band

    def price(self, distance_km: float | None, weight_g: int, service: str = "standard") -> int:
        band = band_of(distance_km)
        row = self.prices[min(band, len(self.prices) - 1)]
        for i, limit in enumerate(self.weights_g):
            if weight_g <= limit:
                base = row[i]
                break
        else:
            over = weight_g - self.weights_g[-1]
            base = row[-1] + -(-over // 1000) * self.extra_per_kg[min(band, len(row) - 1)]
        return base * _SERVICE_PERCENT.get(service, 100) // 100

    def as_json(self) -> dict[str, object]:
        return {
            "weights_g": list(self.weights_g),
            "prices": [list(r) for r in self.prices],
            "extra_per_kg": list(self.extra_per_kg),
        }

    @classmethod
    def from_json(cls, data: dict[str, object]) -> RateTable:
        weights = tuple(int(w) for w in data["weights_g"])  # type: ignore[attr-defined]
        prices = tuple(tuple(int(p) for p in row) for row in data["prices"])  # type: ignore[attr-defined]
        extra = tuple(int(x) for x in data["extra_per_kg"])  # type: ignore[attr-defined]
        bands = len(DISTANCE_BANDS_KM) + 1
        if not weights or any(b <= a for a, b in itertools.pairwise(weights)):
            raise ValueError("weights_g must be increasing and not empty")
        if len(prices) != bands or any(len(r) != len(weights) for r in prices):
            raise ValueError(f"prices must be {bands} rows (distance bands) of {len(weights)}")
        if len(extra) != bands or any(p < 0 for r in prices for p in r) or min(extra) < 0:
            raise ValueError(f"extra_per_kg must be {bands} non-negative prices")
        return cls(weights, prices, extra)


# A ground-parcel table in US cents, shaped like the big carriers' zone charts.
DEFAULT_RATES = RateTable(
    weights_g=(500, 1000, 2000, 5000, 10000),
    prices=(
        (620, 680, 790, 1050, 1480),
        (690, 760, 900, 1240, 1820),
        (780, 870, 1060, 1520, 2310),
        (880, 990, 1240, 1850, 2900),
        (990, 1130, 1450, 2230, 3560),
        (1120, 1290, 1690, 2650, 4300),
    ),
    extra_per_kg=(120, 150, 190, 240, 290, 350),
)


def transit_days(distance_km: float | None, service: str) -> int:
    days = _TRANSIT.get(service, _TRANSIT["standard"])
    return days[min(band_of(distance_km), len(days) - 1)]


def add_business_days(start: date, days: int, working: tuple[int, ...] = WEEKDAYS) -> date:
    current = start
    while days > 0:
        current += timedelta(days=1)
        if current.isoweekday() in working:
            days -= 1
    return current


@dataclass(frozen=True, slots=True)
class Calendar:
    """When a location hands parcels to the carrier."""

    cutoff: time | None = None  # None: any time of day
    time_zone: str = "UTC"
    working_days: tuple[int, ...] = WEEKDAYS  # ISO weekdays, Monday = 1

    def zone(self) -> ZoneInfo:
        try:
            return ZoneInfo(self.time_zone)
        except (ZoneInfoNotFoundError, ValueError):
            return ZoneInfo("UTC")


def ship_date(now: datetime, calendar: Calendar) -> date:
    """The local date an order arriving at ``now`` (aware) leaves this location."""
    local = now.astimezone(calendar.zone())
    day = local.date()
    late = calendar.cutoff is not None and local.time() >= calendar.cutoff
    if day.isoweekday() in calendar.working_days and not late:
        return day
    working = calendar.working_days or WEEKDAYS
    day += timedelta(days=1)
    while day.isoweekday() not in working:
        day += timedelta(days=1)
    return day


def delivery_date(
    now: datetime, calendar: Calendar, distance_km: float | None, service: str
) -> date:
    return add_business_days(ship_date(now, calendar), transit_days(distance_km, service))


def promise_for(placed: datetime, service: str | None, promised: date | None) -> date | None:
    """The date the order was promised: given at intake, or implied by its service level."""
    if promised is not None:
        return promised
    if service is None:
        return None
    return add_business_days(placed.date(), _PROMISE_DAYS.get(service, 5))
