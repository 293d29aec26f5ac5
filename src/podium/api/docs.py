"""The API's documentation pages, with Swagger UI and ReDoc served from Podium itself.

FastAPI's defaults load both from a CDN, so /docs was blank on a machine without internet
access; the assets are vendored under ``web/static`` like htmx.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.openapi.docs import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)
from fastapi.responses import HTMLResponse

__all__ = ["DOCS_URL", "REDOC_URL", "install_docs"]

DOCS_URL = "/docs"
REDOC_URL = "/redoc"
_OAUTH2_REDIRECT = "/docs/oauth2-redirect"
# Both UIs reach for images on other hosts (ReDoc's footer logo, Swagger UI's validator badge):
# offline that is a failed request per page, online a leak of who reads the docs. Images come
# from Podium only; everything else keeps the UIs' own needs (inline styles, a worker).
_IMAGES_HERE = {"Content-Security-Policy": "img-src 'self' data:"}


def install_docs(app: FastAPI) -> None:
    """Add /docs and /redoc; the app must be built with ``docs_url=None, redoc_url=None``."""
    openapi_url = app.openapi_url or "/openapi.json"
    title = f"{app.title} API"

    @app.get(DOCS_URL, include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        page = get_swagger_ui_html(
            openapi_url=openapi_url,
            title=title,
            swagger_js_url="/static/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url="/static/swagger-ui/swagger-ui.css",
            swagger_favicon_url="/favicon.ico",
            oauth2_redirect_url=_OAUTH2_REDIRECT,
            swagger_ui_parameters={"validatorUrl": None},
        )
        page.headers.update(_IMAGES_HERE)
        return page

    @app.get(_OAUTH2_REDIRECT, include_in_schema=False)
    def swagger_ui_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    @app.get(REDOC_URL, include_in_schema=False)
    def redoc() -> HTMLResponse:
        page = get_redoc_html(
            openapi_url=openapi_url,
            title=title,
            redoc_js_url="/static/redoc/redoc.standalone.js",
            redoc_favicon_url="/favicon.ico",
            with_google_fonts=False,
        )
        page.headers.update(_IMAGES_HERE)
        return page
