"""The carrier cost model routing decides with: pure data and functions, no I/O.

A location's rate table (``catalog.rates.RateTable``) prices one parcel by distance band, weight
band and service level (standard, express, next day); the service level also sets the transit
days per distance band, here, next to the default table for locations that have none. A location
ships the day an order arrives when that is a working day before its cut-off time, else on its
next working day; carriers deliver on weekdays. An order's promise is the date it gave at
intake, or the date its service level implies.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from podium.catalog import RateTable, band_of

__all__ = [
    "DEFAULT_RATES",
    "SERVICE_LEVELS",
    "Calendar",
    "ServiceLevel",
    "add_business_days",
    "delivery_date",
    "promise_for",
    "ship_date",
    "transit_days",
]

ServiceLevel = Literal["standard", "express", "next_day"]
SERVICE_LEVELS: tuple[ServiceLevel, ...] = ("standard", "express", "next_day")

# Carrier transit days (weekdays) per distance band, for each service level.
_TRANSIT: dict[str, tuple[int, ...]] = {
    "standard": (1, 2, 3, 4, 5, 6),
    "express": (1, 1, 2, 2, 2, 3),
    "next_day": (1, 1, 1, 1, 1, 2),
}
# Business days from the order date to the promise when the intake gave none.
_PROMISE_DAYS = {"standard": 5, "express": 2, "next_day": 1}
WEEKDAYS = (1, 2, 3, 4, 5)


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
