"""What a channel is told about stock: available less a buffer, at most a cap (pure).

Stock owns this rule; a channel's settings carry an ``availability`` section of this shape
and channels push the quantity it gives.
"""

from __future__ import annotations

import math

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["Availability", "published_quantity"]


class Availability(BaseModel):
    """What a channel is told: available minus a buffer (units or percent), at most ``cap``."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    buffer: int = Field(default=0, ge=0, le=1_000_000)
    buffer_percent: int = Field(default=0, ge=0, le=100)
    cap: int | None = Field(default=None, ge=0, le=10_000_000)


def published_quantity(available: int, rules: Availability) -> int:
    """What a channel is told: available less the buffer, never below 0, at most the cap."""
    held_back = max(rules.buffer, math.ceil(max(available, 0) * rules.buffer_percent / 100))
    told = max(0, available - held_back)
    if rules.cap is not None:
        told = min(told, rules.cap)
    return told
