"""A location's shipping rate table: parcel prices by distance band × weight band.

Stored with the warehouse (``shipping_rates``) and checked when it is saved; routing prices the
parcels it plans with it (``routing.costs``, ``routing.engine``).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

__all__ = ["DISTANCE_BANDS_KM", "SERVICE_PERCENT", "RateTable", "band_of"]

# Upper bounds (km) of the distance bands, nearest first; the last band is open-ended.
DISTANCE_BANDS_KM: tuple[int, ...] = (150, 500, 1000, 1800, 3000)
# Price multiplier per service level, in percent.
SERVICE_PERCENT = {"standard": 100, "express": 180, "next_day": 300}


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
        return base * SERVICE_PERCENT.get(service, 100) // 100

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
