"""The issue's risky order: $2,000, first order, disposable e-mail, billed in one country and
shipped to a freight forwarder in another."""

from __future__ import annotations

from typing import Any

from support import order_body

FORWARDER = {
    "name": "Ivan Petrov",
    "company": "Shipito",
    "line1": "1010 W 190th St",
    "line2": "Suite 48213",
    "city": "Torrance",
    "region": "CA",
    "postal_code": "90502",
    "country": "US",
}
BILLED_ABROAD = {
    "name": "Ivan Petrov",
    "line1": "12 Tverskaya St",
    "city": "London",
    "postal_code": "SW1A 1AA",
    "country": "GB",
}


def risky_order_body(external_id: str = "fraud-1") -> dict[str, Any]:
    body = order_body([("TV", 1)], external_id=external_id)
    body["lines"][0]["unit_price"] = "2000.00"
    body["customer"] = {"email": "burner@mailinator.com", "name": "Ivan Petrov"}
    body["shipping_address"] = FORWARDER
    body["billing_address"] = BILLED_ABROAD
    body["client_ip"] = "203.0.113.7"
    return body
