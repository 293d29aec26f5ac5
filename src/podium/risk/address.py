"""Address checks: is this a place a parcel can go, as written?

* ``postal_code_unknown``: a US ZIP code that does not exist.
* ``postal_region_mismatch`` / ``postal_city_mismatch``: the ZIP code is in another state, or
  does not serve the city ("Seattle, WA 10001": 10001 is New York, NY).
* ``po_box_refused``: a PO box for a service level whose carriers refuse PO boxes
  (``PODIUM_ADDRESS_PO_BOX_REFUSED_BY``, default ``express,next_day``).
* ``street_number_missing``: a street address with no house number.

Postal data is offline (routing's geocoder: the ``zipcodes`` package), so postal checks cover
the United States; other countries get the PO box and street number checks only. The checks
are pure given the :class:`PostalData` they read (``geo.Geocoder`` is one).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from podium.geo import ZipPlace

__all__ = ["AddressProblem", "PostalData", "check_address", "postal_problem"]

_PO_BOX = re.compile(
    r"(?<![a-z0-9])(p\s*\.?\s*o\.?\s*box|post\s+office\s+box|pob|postfach|apartado)(?![a-z])",
    re.IGNORECASE,
)
_DIGIT = re.compile(r"[0-9]")


class PostalData(Protocol):
    def us_zip(self, postal_code: str) -> ZipPlace | None: ...

    def us_state(self, region: str) -> str | None: ...


@dataclass(frozen=True, slots=True)
class AddressProblem:
    code: str
    detail: str

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "detail": self.detail}


def _text(address: Mapping[str, Any], key: str) -> str:
    value = address.get(key)
    return value.strip() if isinstance(value, str) else ""


def postal_problem(address: Mapping[str, Any], data: PostalData) -> AddressProblem | None:
    """What is wrong with the address's postal code, region and city (US only), if anything."""
    if _text(address, "country").upper() != "US":
        return None
    postal = _text(address, "postal_code")
    if not postal:
        return AddressProblem("postal_code_missing", "no ZIP code")
    place = data.us_zip(postal)
    if place is None:
        return AddressProblem("postal_code_unknown", f"ZIP code {postal} does not exist")
    region = _text(address, "region")
    if region:
        state = data.us_state(region) or region.upper()
        if place.state and state != place.state:
            return AddressProblem(
                "postal_region_mismatch",
                f"ZIP code {postal} is in {place.state}, not {region}",
            )
    city = _text(address, "city")
    if city and place.cities and not place.takes_city(city):
        return AddressProblem(
            "postal_city_mismatch", f"ZIP code {postal} ({place.state}) does not serve {city}"
        )
    return None


def check_address(
    address: Mapping[str, Any],
    data: PostalData,
    *,
    service_level: str | None,
    po_box_refused_by: frozenset[str],
) -> list[AddressProblem]:
    """Everything wrong with a shipping address, empty when it is fine."""
    problems: list[AddressProblem] = []
    postal = postal_problem(address, data)
    if postal is not None:
        problems.append(postal)
    street = " ".join(_text(address, k) for k in ("line1", "line2")).strip()
    po_box = bool(_PO_BOX.search(street))
    if po_box and (service_level or "standard") in po_box_refused_by:
        problems.append(
            AddressProblem(
                "po_box_refused",
                f"a PO box cannot take {service_level or 'standard'} delivery",
            )
        )
    line1 = _text(address, "line1")
    if line1 and not po_box and not _DIGIT.search(line1):
        problems.append(AddressProblem("street_number_missing", f"no house number in {line1!r}"))
    return problems
