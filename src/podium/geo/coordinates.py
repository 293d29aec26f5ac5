"""Points on Earth and the great-circle distance between them."""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = ["EARTH_RADIUS_KM", "Coordinates", "haversine_km"]

EARTH_RADIUS_KM = 6371.0088


@dataclass(frozen=True, slots=True)
class Coordinates:
    """A point on Earth in decimal degrees (WGS 84)."""

    latitude: float
    longitude: float


def haversine_km(a: Coordinates, b: Coordinates) -> float:
    """Great-circle distance between two points, in kilometres."""
    lat1, lat2 = math.radians(a.latitude), math.radians(b.latitude)
    dlat = lat2 - lat1
    dlon = math.radians(b.longitude - a.longitude)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))
