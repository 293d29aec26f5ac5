"""Rendering the shopper's pages (no staff session): their own layout and the channel's
language, through Jinja's i18n extension over the shopper catalogues (podium.shopper)."""

from __future__ import annotations

import functools
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from podium import shopper
from podium.web.core import TEMPLATES, harden

__all__ = ["page_locale", "render_shopper"]


@functools.cache
def _environment(locale: str) -> Environment:
    """One compiled environment per language (four at most)."""
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES / "shopper")),
        autoescape=select_autoescape(default=True),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(  # type: ignore[attr-defined]
        shopper.translations(locale), newstyle=True
    )
    return env


def page_locale(request: Request, default: str | None = None) -> str:
    """``?lang=`` when it names a language we have, else ``default`` (the channel's), else
    the browser's preference."""
    asked = request.query_params.get("lang")
    if asked and asked in shopper.LOCALES:
        return asked
    if default:
        return default
    return shopper.best_locale(request.headers.get("accept-language"))


def render_shopper(
    locale: str,
    template: str,
    *,
    status: int = 200,
    brand: str = "",
    style: shopper.Style | None = None,
    **context: Any,
) -> HTMLResponse:
    say = shopper.translations(locale).gettext
    html = (
        _environment(locale)
        .get_template(template)
        .render(
            locale=locale,
            brand=brand or say("Order status"),
            style=style,
            languages=list(shopper.LANGUAGE_NAMES.items()),
            money=functools.partial(shopper.money, locale=locale),
            long_date=functools.partial(shopper.long_date, locale=locale),
            moment=functools.partial(shopper.moment, locale=locale),
            step_name=lambda key: say(shopper.STEP_NAMES.get(str(key)) or str(key)),
            status_name=lambda key: say(shopper.STATUS_NAMES.get(str(key)) or str(key)),
            **context,
        )
    )
    response = HTMLResponse(html, status_code=status)
    response.headers["Content-Language"] = locale
    harden(response)
    if style is not None and style.logo_url:  # the channel's logo is on its own server
        csp = response.headers["Content-Security-Policy"]
        response.headers["Content-Security-Policy"] = csp.replace(
            "img-src 'self' data:", "img-src 'self' data: https:"
        )
    return response
