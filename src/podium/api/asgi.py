"""ASGI entry point for uvicorn (``podium.api.asgi:app``): built lazily per process."""

from __future__ import annotations

from typing import Any

from starlette.types import Receive, Scope, Send

__all__ = ["app"]

_app: Any = None


async def app(scope: Scope, receive: Receive, send: Send) -> None:
    global _app
    if _app is None:
        from podium import logs
        from podium.api.app import create_app
        from podium.bootstrap import bootstrap

        podium = bootstrap(migrate=False)
        logs.configure(podium.settings.log_format, podium.settings.log_level)
        _app = create_app(podium)
    await _app(scope, receive, send)
