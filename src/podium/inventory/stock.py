"""Stock levels other capabilities read (and lock) inside their own transaction, as typed
``Level`` rows keyed by (sku, warehouse). Moving stock goes through ``inventory.service``."""

from __future__ import annotations

from podium.inventory._store import levels

__all__ = ["levels"]
