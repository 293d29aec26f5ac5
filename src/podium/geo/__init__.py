"""Geography shared by every capability: coordinates, distances and an offline geocoder."""

from podium.geo.coordinates import (
    Coordinates,
    haversine_km,
)
from podium.geo.geocoder import (
    Geocoder,
    ZipPlace,
)

__all__ = [
    "Coordinates",
    "Geocoder",
    "ZipPlace",
    "haversine_km",
]
