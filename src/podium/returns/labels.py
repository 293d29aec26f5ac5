"""The seam for return labels (pure interface; no carrier is called from here yet).

When the carriers package offers return labels, an adapter implementing
:class:`ReturnLabelProvider` is built in ``bootstrap`` and ``returns.service.ship_back`` (the
``approved → in_transit`` step) or an approve hook asks it for a label whose tracking number is
stored on the return (``returns.carrier`` / ``returns.tracking_number`` already exist).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

__all__ = ["ReturnLabel", "ReturnLabelProvider"]


@dataclass(frozen=True, slots=True)
class ReturnLabel:
    carrier: str
    service: str
    tracking_number: str
    label_pdf: bytes


class ReturnLabelProvider(Protocol):
    def return_label(
        self, return_id: str, from_address: dict[str, str], to_warehouse: str, weight_grams: int
    ) -> ReturnLabel: ...
