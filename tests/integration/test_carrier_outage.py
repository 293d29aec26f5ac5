"""A carrier that hangs: the label request is answered 504 ``carrier_timeout`` within the
timeout, then 503 ``carrier_unavailable`` at once while its circuit is open; nothing is bought."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from fulfilment_fakes import fake_easypost
from podium.bootstrap import Podium, bootstrap
from podium.config import Settings
from podium.geo.geocoder import default_geocoder
from support import Api, order_body, seed_store


@pytest.fixture
def podium(database_url: str) -> Iterator[Podium]:
    settings = Settings(
        database_url=database_url,
        relay_poll_seconds=0.05,
        carrier_timeout_seconds=0.3,
        circuit_failures=2,
    )
    p = bootstrap(settings, geocoder=default_geocoder())
    try:
        yield p
    finally:
        p.close()


def _buy(api: Api, shipment_id: str) -> tuple[int, str, float]:
    started = time.monotonic()
    r = api.client.post(
        f"/api/v1/shipments/{shipment_id}/label", json={"carrier": "ep"}, headers=api.headers()
    )
    return r.status_code, r.json()["error"]["code"], time.monotonic() - started


def test_a_hanging_carrier_is_a_504_within_the_timeout_then_a_fast_503_while_its_circuit_is_open(
    api: Api,
) -> None:
    seed_store(api, {("TEE", "EAST"): 5})
    order = api.ok("post", "/orders", order_body([("TEE", 1)], external_id="hang-1"))
    shipment_id = order["shipments"][0]["id"]
    with fake_easypost() as fake:
        api.ok(
            "post",
            "/carriers",
            {
                "code": "ep",
                "type": "easypost",
                "api_key": "EZTK_test_key",
                "webhook_secret": "whsec_outage",
                "base_url": fake.url,
            },
        )
        fake.hang_seconds = 2.0
        for _ in range(2):
            status, code, took = _buy(api, shipment_id)
            assert (status, code) == (504, "carrier_timeout")
            assert took < 1.5  # the 0.3 s bound, not the carrier's 2 s
        status, code, took = _buy(api, shipment_id)
        assert (status, code) == (503, "carrier_unavailable")
        assert took < 0.5  # not called while its circuit is open
        fake.hang_seconds = 0.0
        assert not any(path.endswith("/buy") for _, path, _ in fake.calls)
    r = api.client.get(f"/api/v1/shipments/{shipment_id}/label", headers=api.headers())
    assert r.status_code == 404  # nothing half-written
