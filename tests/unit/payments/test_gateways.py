"""The gateway registry and the manual gateway."""

from __future__ import annotations

import pytest

from podium.errors import ValidationFailed
from podium.payments.gateways import GatewayResult, Gateways, ManualGateway


class DecliningGateway:
    name = "declines"

    def authorize(self, order_id: str, amount: int, currency: str, **_: str) -> GatewayResult:
        return GatewayResult(False, "d-1", "card declined")

    def capture(self, reference: str | None, amount: int, currency: str, **_: str) -> GatewayResult:
        return GatewayResult(False, "d-2", "declined")

    def refund(self, reference: str | None, amount: int, currency: str, **_: str) -> GatewayResult:
        return GatewayResult(False, "d-3", "declined")

    def void(self, reference: str | None, **_: str) -> GatewayResult:
        return GatewayResult(False, "d-4", "declined")


def test_manual_gateway_always_succeeds_with_a_fresh_reference() -> None:
    gw = ManualGateway()
    a, b = gw.capture(None, 100, "USD"), gw.capture(None, 100, "USD")
    assert a.succeeded and b.succeeded
    assert a.reference != b.reference


def test_registry_knows_manual_and_added_gateways_and_refuses_others() -> None:
    gateways = Gateways()
    assert gateways.get("manual").name == "manual"
    gateways.add(DecliningGateway())
    assert not gateways.get("declines").authorize("ord_1", 100, "USD").succeeded
    with pytest.raises(ValidationFailed) as caught:
        gateways.get("stripe")
    assert caught.value.code == "unknown_gateway"
