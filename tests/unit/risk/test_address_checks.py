"""Address checks against the offline postal data, and the lists risk looks things up in."""

from __future__ import annotations

from typing import Any

import pytest

from podium.geo import Geocoder
from podium.risk import check_address, disposable_domain, forwarder_of

GEO = Geocoder()
REFUSED = frozenset({"express", "next_day"})


def problems(address: dict[str, Any], service_level: str | None = None) -> list[str]:
    found = check_address(
        {"country": "US", **address}, GEO, service_level=service_level, po_box_refused_by=REFUSED
    )
    return [p.code for p in found]


SEATTLE = {"line1": "1 Pike St", "city": "Seattle", "region": "WA", "postal_code": "98101"}


def test_a_good_address_passes() -> None:
    assert problems(SEATTLE) == []
    assert problems({**SEATTLE, "region": "Washington", "postal_code": "98101-1234"}) == []


def test_seattle_wa_10001_is_a_new_york_zip() -> None:
    found = check_address(
        {**SEATTLE, "postal_code": "10001", "country": "US"},
        GEO,
        service_level=None,
        po_box_refused_by=REFUSED,
    )
    assert [p.code for p in found] == ["postal_region_mismatch"]
    assert "NY" in found[0].detail


def test_a_zip_code_that_does_not_exist() -> None:
    assert problems({**SEATTLE, "postal_code": "00000"}) == ["postal_code_unknown"]


def test_a_city_the_zip_code_does_not_serve() -> None:
    assert problems({**SEATTLE, "city": "Spokane"}) == ["postal_city_mismatch"]


def test_city_names_compare_loosely() -> None:
    st_paul = {"line1": "1 Main St", "city": "St. Paul", "region": "MN", "postal_code": "55101"}
    assert problems(st_paul) == []
    assert problems({**st_paul, "city": "SAINT PAUL"}) == []


def test_missing_street_number() -> None:
    assert problems({**SEATTLE, "line1": "Pike Street"}) == ["street_number_missing"]


@pytest.mark.parametrize("line1", ["PO Box 123", "P.O. Box 9", "p o box 4", "Post Office Box 7"])
def test_po_boxes_refused_only_by_the_named_services(line1: str) -> None:
    assert problems({**SEATTLE, "line1": line1}, "express") == ["po_box_refused"]
    assert problems({**SEATTLE, "line1": line1}, "standard") == []
    assert problems({**SEATTLE, "line1": line1}) == []


def test_other_countries_get_the_street_checks_only() -> None:
    london = {"line1": "Downing Street", "city": "London", "postal_code": "X", "country": "GB"}
    found = check_address(london, GEO, service_level=None, po_box_refused_by=REFUSED)
    assert [p.code for p in found] == ["street_number_missing"]


def test_disposable_domains() -> None:
    assert disposable_domain("a@mailinator.com") == "mailinator.com"
    assert disposable_domain("a@eu.mailinator.com") == "eu.mailinator.com"
    assert disposable_domain("a@example.com") is None
    assert disposable_domain(None) is None


def test_forwarders_by_name_and_by_configured_postal_code() -> None:
    assert forwarder_of({"company": "Shipito", "line1": "1 Main St"}) == "shipito"
    assert forwarder_of({"line2": "MyUS.com Suite 123"}) == "myus"
    assert forwarder_of({"line1": "1 Shipitoaster Rd"}) is None  # words, not fragments
    assert forwarder_of({"line1": "1 Main St", "postal_code": "97230"}) is None
    assert forwarder_of({"postal_code": "97230"}, ["zip:97230"]) == "warehouse postal code 97230"
    assert forwarder_of({"line1": "9 Globex Parcel Hub"}, ["globex parcel"]) == "globex parcel"
