"""What every list endpoint shares: the page envelope and the refusal of unknown parameters."""

from __future__ import annotations

from fastapi import Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from pydantic import BaseModel, Field

from podium.errors import ValidationFailed

__all__ = ["CURSOR_HELP", "ListPage", "TotalOut", "refuse_unknown_query"]

CURSOR_HELP = (
    "An opaque token from `next_cursor` or `prev_cursor` of the previous answer (give the same "
    "filters). Any other value is refused with 422 `invalid_cursor`."
)


class TotalOut(BaseModel):
    value: int = Field(description="How many items match (at most 10,000 are counted).")
    exact: bool = Field(description="False when more than `value` match.")


class ListPage(BaseModel):
    """The envelope of every list: ``items`` (in the subclass) and the ways on."""

    next_cursor: str | None = Field(description="The next page's cursor; null on the last page.")
    prev_cursor: str | None = Field(
        default=None, description="The previous page's cursor; null on the first page."
    )
    total: TotalOut | None = Field(
        default=None, description="How many items match the filters (capped, see `exact`)."
    )


def _query_names(dependant: Dependant) -> set[str]:
    names = {p.alias for p in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_names(sub)
    return names


async def refuse_unknown_query(request: Request) -> None:
    """On a GET that takes query parameters (every list), one it does not declare is a mistake
    (a misspelt filter would otherwise return everything): 422 ``unknown_parameter`` names it."""
    if request.method not in ("GET", "HEAD") or not request.query_params:
        return
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return
    known = _query_names(route.dependant)  # a walk over a dozen nodes: cheaper than a cache
    if not known:  # nothing to misspell: /health behind a prober that adds ?ts= stays up
        return
    for name in request.query_params:
        if name not in known:
            field = name[:100]
            allowed = ", ".join(sorted(known)) or "none"
            raise ValidationFailed(
                f"Unknown query parameter {field!r} (this operation takes: {allowed}).",
                code="unknown_parameter",
                details={"field": field, "allowed": sorted(known)},
            )
