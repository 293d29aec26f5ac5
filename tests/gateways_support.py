"""A gateway that captures but declines refunds, for the integration tests."""

from __future__ import annotations

from podium.ids import new_id
from podium.payments.gateways import GatewayResult


class DecliningRefunds:
    name = "declines"

    def authorize(self, order_id: str, amount: int, currency: str, **_: str) -> GatewayResult:
        return GatewayResult(True, new_id("dec"))

    def capture(self, reference: str | None, amount: int, currency: str, **_: str) -> GatewayResult:
        return GatewayResult(True, new_id("dec"))

    def refund(self, reference: str | None, amount: int, currency: str, **_: str) -> GatewayResult:
        return GatewayResult(False, new_id("dec"), "declined")

    def void(self, reference: str | None, **_: str) -> GatewayResult:
        return GatewayResult(False, new_id("dec"), "declined")
