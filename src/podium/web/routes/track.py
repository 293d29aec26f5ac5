"""The shopper's order status page (``/track/{token}``) and the look-up by order number and
e-mail (``/track``). No staff session and no staff actions; see docs/shopper.md.

The look-up (web/shopper_lookup.py) answers an unknown order and a wrong e-mail with the same
page, status and words, counts every attempt against the caller's address and the order
number (throttle), and takes only a form carrying the token of the cookie set with it (CSRF).
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from podium.web.core import dashboard
from podium.web.nav import NavItem
from podium.web.shopper_lookup import CSRF_COOKIE, look_up, lookup_form
from podium.web.shopper_pages import page_locale, render_shopper

router = APIRouter(include_in_schema=False)
NAV: list[NavItem] = []


@router.get("/track", response_model=None)
def lookup_page(request: Request) -> Response:
    return lookup_form(request, page_locale(request), action="/track")


@router.post("/track", response_model=None)
async def lookup(request: Request) -> Response:
    locale = page_locale(request)
    found = await look_up(request)
    if found.token is None:
        return lookup_form(request, locale, action="/track", found=found)
    target = f"/track/{quote(found.token, safe='')}"
    if "lang" in request.query_params:
        target += f"?lang={locale}"
    response = RedirectResponse(target, status_code=303)
    response.delete_cookie(CSRF_COOKIE, path="/track")
    return response


@router.get("/track/{token}", response_model=None)
def status_page(request: Request, token: str) -> Response:
    found = dashboard(request).podium.shopper.status(token)
    if found is None:
        return render_shopper(page_locale(request), "missing.html", status=404)
    page, channel_locale = found
    locale = page_locale(request, channel_locale)
    response = render_shopper(locale, "status.html", brand=page.brand, page=page, token=token)
    response.headers["Referrer-Policy"] = "no-referrer"  # the token is in the URL
    return response
