"""The payment gateway interface, the built-in manual gateway and the registry.

A gateway moves money; Podium records what it answered as a transaction on the order. Adapters
for real processors implement :class:`Gateway`. The registry knows the built-in ones and those
added in ``bootstrap``, and builds configured accounts (``payment_gateways``: Stripe) on
demand; the channel setting ``{"payment": {"gateway": "<code>"}}`` picks one.

Every call carries an idempotency key that Podium derives from the order and the operation
(:func:`operation_key`), so a retried operation (a relay retry after a rollback, a client's
retry) reuses it and the processor answers the first outcome again instead of moving money
twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

import sqlalchemy as sa
from sqlalchemy import Connection

from podium.errors import ValidationFailed
from podium.ids import new_id
from podium.payments import _store as store

__all__ = [
    "Gateway",
    "GatewayResult",
    "Gateways",
    "ManualGateway",
    "operation_key",
]


@dataclass(frozen=True, slots=True)
class GatewayResult:
    succeeded: bool
    reference: str
    message: str = ""


class Gateway(Protocol):
    name: str

    def authorize(
        self, order_id: str, amount: int, currency: str, *, idempotency_key: str = ""
    ) -> GatewayResult: ...

    def capture(
        self, reference: str | None, amount: int, currency: str, *, idempotency_key: str = ""
    ) -> GatewayResult: ...

    def refund(
        self, reference: str | None, amount: int, currency: str, *, idempotency_key: str = ""
    ) -> GatewayResult: ...

    def void(self, reference: str | None, *, idempotency_key: str = "") -> GatewayResult: ...


def operation_key(order_id: str, kind: str, sequence: int) -> str:
    """The idempotency key of an order's ``sequence``-th payment operation (counted over the
    transactions recorded before it): the same operation retried after a rollback gets the
    same key; the next operation, once this one is recorded, gets another."""
    return f"podium-{order_id}-{kind}-{sequence}"


class ManualGateway:
    """Money handled outside Podium (cash, bank transfer, a terminal): every call succeeds and
    is given a reference, so the order's ledger of payments stays complete."""

    name = "manual"

    def authorize(
        self, order_id: str, amount: int, currency: str, *, idempotency_key: str = ""
    ) -> GatewayResult:
        return GatewayResult(True, new_id("man"))

    def capture(
        self, reference: str | None, amount: int, currency: str, *, idempotency_key: str = ""
    ) -> GatewayResult:
        return GatewayResult(True, new_id("man"))

    def refund(
        self, reference: str | None, amount: int, currency: str, *, idempotency_key: str = ""
    ) -> GatewayResult:
        return GatewayResult(True, new_id("man"))

    def void(self, reference: str | None, *, idempotency_key: str = "") -> GatewayResult:
        return GatewayResult(True, new_id("man"))


# Builds a gateway from a ``payment_gateways`` row (type, code, settings); set per type.
Builder = Callable[[sa.RowMapping], Gateway]


@dataclass
class Gateways:
    by_name: dict[str, Gateway] = field(default_factory=lambda: {"manual": ManualGateway()})
    # Gateway types that configured accounts may have ("stripe"), registered in bootstrap.
    builders: dict[str, Builder] = field(default_factory=dict)
    _built: dict[tuple[str, str], Gateway] = field(default_factory=dict)

    def add(self, gateway: Gateway) -> None:
        self.by_name[gateway.name] = gateway

    def add_type(self, type_: str, builder: Builder) -> None:
        self.builders[type_] = builder

    def get(self, name: str, conn: Connection | None = None) -> Gateway:
        """A built-in or added gateway, else the configured account ``name`` (read through
        ``conn``; built once per version of its settings)."""
        found = self.by_name.get(name)
        if found is None and conn is not None:
            found = self._account(conn, name)
        if found is None:
            raise ValidationFailed(
                f"No payment gateway {name} is configured.",
                code="unknown_gateway",
                details={"field": "gateway", "gateway": name},
            )
        return found

    def _account(self, conn: Connection, code: str) -> Gateway | None:
        row = store.gateway_account(conn, code)
        if row is None or not row["active"] or row["type"] not in self.builders:
            return None
        version = (code, str(row["updated_at"]))
        if version not in self._built:
            self._built[version] = self.builders[row["type"]](row)
        return self._built[version]
