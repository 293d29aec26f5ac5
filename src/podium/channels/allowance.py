"""Units a channel may sell beyond its stock: planning's pre-order allowance (issue 16 item
4), given at the composition root as a function of the connection and the SKUs, since
channels may not import planning. Without one, channels publish their stock alone."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping

from sqlalchemy import Connection

__all__ = ["Allowance", "allowances", "use_allowance"]

# (conn, skus) -> {(channel, sku): units the channel may sell ahead of incoming stock}
Allowance = Callable[[Connection, Collection[str]], Mapping[tuple[str, str], int]]

_provider: list[Allowance] = []  # the one in use (bootstrap sets it; stateless, per call)


def use_allowance(provider: Allowance | None) -> None:
    """Publish ``provider``'s allowance on top of each channel's stock (None: stock alone)."""
    _provider.clear()
    if provider is not None:
        _provider.append(provider)


def allowances(conn: Connection, skus: Collection[str]) -> Mapping[tuple[str, str], int]:
    if not _provider or not skus:
        return {}
    return _provider[0](conn, skus)
