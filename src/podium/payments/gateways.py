"""The payment gateway interface and the built-in manual gateway.

A gateway moves money; Podium records what it answered as a transaction on the order. Adapters
for real processors implement :class:`Gateway` and are registered in ``bootstrap``; the channel
setting ``{"payment": {"gateway": "<name>"}}`` picks one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from podium.errors import ValidationFailed
from podium.ids import new_id

__all__ = ["Gateway", "GatewayResult", "Gateways", "ManualGateway"]


@dataclass(frozen=True, slots=True)
class GatewayResult:
    succeeded: bool
    reference: str
    message: str = ""


class Gateway(Protocol):
    name: str

    def authorize(self, order_id: str, amount: int, currency: str) -> GatewayResult: ...

    def capture(self, reference: str | None, amount: int, currency: str) -> GatewayResult: ...

    def refund(self, reference: str | None, amount: int, currency: str) -> GatewayResult: ...

    def void(self, reference: str | None) -> GatewayResult: ...


class ManualGateway:
    """Money handled outside Podium (cash, bank transfer, a terminal): every call succeeds and
    is given a reference, so the order's ledger of payments stays complete."""

    name = "manual"

    def authorize(self, order_id: str, amount: int, currency: str) -> GatewayResult:
        return GatewayResult(True, new_id("man"))

    def capture(self, reference: str | None, amount: int, currency: str) -> GatewayResult:
        return GatewayResult(True, new_id("man"))

    def refund(self, reference: str | None, amount: int, currency: str) -> GatewayResult:
        return GatewayResult(True, new_id("man"))

    def void(self, reference: str | None) -> GatewayResult:
        return GatewayResult(True, new_id("man"))


@dataclass
class Gateways:
    by_name: dict[str, Gateway] = field(default_factory=lambda: {"manual": ManualGateway()})

    def add(self, gateway: Gateway) -> None:
        self.by_name[gateway.name] = gateway

    def get(self, name: str) -> Gateway:
        found = self.by_name.get(name)
        if found is None:
            raise ValidationFailed(
                f"No payment gateway {name} is configured.",
                code="unknown_gateway",
                details={"field": "gateway", "gateway": name},
            )
        return found
