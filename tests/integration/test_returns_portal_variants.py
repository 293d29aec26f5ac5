"""Exchanges for another size or colour in the returns portal (issue 17): the portal lists
the other variants of a returned product with their live stock; the shopper picks one, the
return records it, staff see it and place the exchange for that SKU. Another group's SKU or
one without stock is refused naming the field, and nothing is written."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from dashboard_support import sign_in

from podium.bootstrap import Podium, bootstrap
from podium.config import Settings
from podium.geo.geocoder import default_geocoder
from support import Api, order_body, seed_store


@pytest.fixture
def podium(database_url: str, tmp_path: Path) -> Iterator[Podium]:
    settings = Settings(
        database_url=database_url, relay_poll_seconds=0.05, uploads_dir=str(tmp_path / "up")
    )
    p = bootstrap(settings, geocoder=default_geocoder())
    try:
        yield p
    finally:
        p.close()


def _variants(api: Api) -> Any:
    """Tee in M (ordered), L (3 in stock) and XL (none); a hat from another group."""
    seed_store(
        api, {("TEE-M", "EAST"): 2, ("TEE-L", "EAST"): 3, ("HAT", "EAST"): 5}, skus=["TEE-XL"]
    )
    for sku, size in (("TEE-M", "M"), ("TEE-L", "L"), ("TEE-XL", "XL")):
        api.ok(
            "patch",
            f"/products/{sku}",
            {"group": "TEE", "options": {"size": size, "colour": "Blue"}},
        )
    api.ok("patch", "/products/HAT", {"group": "HAT", "options": {"size": "M", "colour": "Blue"}})
    order = api.ok("post", "/orders", order_body([("TEE-M", 2)], external_id="v1"))
    for s in order["shipments"]:
        api.ok("post", f"/shipments/{s['id']}/ship", {"tracking_number": "1Z1", "carrier": "ups"})
    return order


def _submit(api: Api, podium: Podium, order: Any, fields: dict[str, str]) -> tuple[str, Any]:
    token = podium.shopper.token(order["id"])
    page = api.client.get(f"/returns/start?order={token}")
    assert page.status_code == 200, page.text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert csrf
    body = {"csrf_token": csrf.group(1), "reason": "size_fit", "resolution": "exchange", **fields}
    sent = api.client.post(f"/returns/submit?order={token}", data=body, follow_redirects=False)
    return page.text, sent


def _returns(api: Api, order: Any) -> list[Any]:
    return list(api.ok("get", f"/orders/{order['id']}/returns")["items"])


def test_a_shopper_exchanges_for_another_size_in_stock_and_staff_place_it(
    api: Api, podium: Podium
) -> None:
    order = _variants(api)
    form, sent = _submit(api, podium, order, {"quantity_TEE-M": "1", "exchange_TEE-M": "TEE-L"})
    assert 'name="exchange_TEE-M"' in form
    assert re.search(r'<option value="TEE-L">L / Blue — in stock</option>', form), form
    assert re.search(r'<option value="TEE-XL" disabled>XL / Blue — out of stock</option>', form)
    assert "HAT" not in form  # another product's sizes are not offered
    assert sent.status_code == 303, sent.text
    (rma,) = _returns(api, order)
    assert rma["exchange_for"] == {"TEE-M": "TEE-L"}
    assert "TEE-M × 1 → TEE-L" in rma["note"]
    status = api.client.get(sent.headers["location"]).text
    assert '<span id="exchange-swap">Product TEE-M for L / Blue</span>' in status
    german = api.client.get(sent.headers["location"] + "?lang=de").text
    assert "Product TEE-M gegen L / Blue" in german

    board = sign_in(api.client.app, podium, "operator")  # type: ignore[arg-type]
    page = board.get(f"/returns/{rma['id']}").text
    assert re.search(r'id="requested-exchange">Replacement asked for: TEE-M → .*TEE-L', page)
    api.ok("post", f"/returns/{rma['id']}/approve", {})
    page = board.get(f"/returns/{rma['id']}").text
    assert re.search(r'id="exchange-sku" name="sku" maxlength="64" required value="TEE-L"', page)
    made = api.ok(
        "post",
        f"/returns/{rma['id']}/exchange",
        {"lines": [{"sku": "TEE-L", "quantity": 1}], "advance": True},
    )
    replacement = api.ok("get", f"/orders/{made['order_id']}")
    assert [(ln["sku"], ln["quantity"]) for ln in replacement["lines"]] == [("TEE-L", 1)]


@pytest.mark.parametrize(
    ("swap", "status", "code"),
    [("TEE-XL", 409, "exchange_out_of_stock"), ("HAT", 422, "exchange_not_a_variant")],
)
def test_an_exchange_for_a_size_without_stock_or_from_another_product_is_refused(
    api: Api, podium: Podium, swap: str, status: int, code: str
) -> None:
    order = _variants(api)
    _, refused = _submit(api, podium, order, {"quantity_TEE-M": "1", "exchange_TEE-M": swap})
    assert refused.status_code == status, refused.text
    assert f'data-code="{code}"' in refused.text
    assert 'data-field="exchange_TEE-M"' in refused.text
    assert 'name="exchange_TEE-M" aria-invalid="true"' in refused.text
    assert _returns(api, order) == []  # nothing half-written


def test_the_staff_return_api_refuses_a_replacement_for_a_sku_not_returned(api: Api) -> None:
    seed_store(api, {("TEE-M", "EAST"): 2})
    order = api.ok("post", "/orders", order_body([("TEE-M", 1)], external_id="v2"))
    for s in order["shipments"]:
        api.ok("post", f"/shipments/{s['id']}/ship", {"tracking_number": "1Z1", "carrier": "ups"})
    body = {"lines": [{"sku": "TEE-M", "quantity": 1}], "exchange_for": {"CAP": "TEE-L"}}
    refused = api.post(f"/orders/{order['id']}/returns", body)
    assert refused.status_code == 422, refused.text
    assert "exchange_for" in refused.text
