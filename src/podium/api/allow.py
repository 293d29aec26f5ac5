"""The ``Allow`` header of a 405: every method the URL accepts, not one route's.

The router answers 405 from the first route whose path matches, so for a path served by
several routes (``GET /orders`` and ``POST /orders`` are two) ``Allow`` named only that
route's methods and sent clients to a method that is refused as well.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from fastapi.routing import iter_route_contexts
from starlette.requests import Request

__all__ = ["allowed_methods"]


def allowed_methods(request: Request) -> list[str]:
    """The methods routes declare for this request's path, with HEAD wherever GET is served."""
    path = request.scope.get("path", "")
    found: set[str] = set()
    for route in _routes(request.app.routes):
        regex = getattr(route, "path_regex", None)
        methods = getattr(route, "methods", None)
        if regex is not None and methods and regex.match(path):
            found.update(methods)
    if "GET" in found:
        found.add("HEAD")
    return sorted(found)


def _routes(routes: Iterable[Any]) -> Iterable[Any]:
    return iter_route_contexts(list(routes))
