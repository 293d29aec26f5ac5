"""Numbers and booleans as inputs: bounded to what the database stores, and never in disguise.

Python's ``bool`` is an ``int``, and pydantic's lax mode turns ``false`` into ``0`` and
``"5"`` into ``5``: ``{"version": false}`` once rolled the routing rules back to version 0.
JSON bodies therefore use the strict types here (numbers only); path and query parameters,
which always arrive as text, use :data:`DbInt`, parsed from ASCII digits and bounded to a
BIGINT so that ``99999999999999999999`` is a 4xx rather than an overflow in the driver.
"""

from __future__ import annotations

from typing import Annotated

from annotated_types import Ge, Le
from pydantic import Strict

__all__ = [
    "BIGINT_MAX",
    "INT_MAX",
    "DbInt",
    "DbInt32",
    "JsonBool",
    "JsonFloat",
    "JsonInt",
    "parse_db_int",
]

BIGINT_MAX = 2**63 - 1
INT_MAX = 2**31 - 1  # an INTEGER column on PostgreSQL (routing rule versions)

# A whole number from a path or query string ("42"), within a signed 64-bit column.
DbInt = Annotated[int, Ge(0), Le(BIGINT_MAX)]
# The same for a number kept in an INTEGER column.
DbInt32 = Annotated[int, Ge(0), Le(INT_MAX)]
# A whole number in a JSON body: 42, not true and not "42". Bounds stay with each field's
# Field(ge=…, le=…): bounds here would replace those rather than add to them.
JsonInt = Annotated[int, Strict()]
# A measure in a JSON body: 40 or 40.5, not false and not "40".
JsonFloat = Annotated[float, Strict()]
# A yes/no in a JSON body: true or false, not 0, 1, "true" or "yes" (lax mode takes all of
# those). Query parameters stay plain ``bool``: they arrive as text ("true", "1").
JsonBool = Annotated[bool, Strict()]


def parse_db_int(text: str, limit: int = BIGINT_MAX) -> int | None:
    """``text`` as a row number if it is ASCII digits up to ``limit`` (a BIGINT), else None.

    ``str.isdigit`` says yes to "¹" and "٥", which ``int`` then refuses or reads as another
    number, so the check is on ASCII explicitly.
    """
    if not text or len(text) > 19 or not (text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if value <= limit else None
