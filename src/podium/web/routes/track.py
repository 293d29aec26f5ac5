"""The shopper's order status page (``/track/{token}``) and the look-up by order number and
e-mail (``/track``). No staff session and no staff actions; see docs/shopper.md.

The look-up answers an unknown order and a wrong e-mail with the same page, status and words,
counts every attempt against the caller's address and the order number (throttle), and takes
only a form carrying the token of the cookie set with it (CSRF)."""

from __future__ import annotations

import secrets
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response

from podium import shopper
from podium.throttle import LOOKUP_PER_ADDRESS, LOOKUP_PER_ORDER
from podium.web.core import client_address, dashboard
from podium.web.nav import NavItem
from podium.web.shopper_pages import page_locale, render_shopper

router = APIRouter(include_in_schema=False)
NAV: list[NavItem] = []

LOOKUP_CSRF = "podium_track_csrf"
NOT_FOUND = shopper.N_("We could not find an order with that number and e-mail address.")


def _form(
    request: Request,
    locale: str,
    *,
    error: str | None = None,
    status: int = 200,
    number: str = "",
    email: str = "",
) -> Response:
    token = secrets.token_urlsafe(32)
    response = render_shopper(
        locale,
        "lookup.html",
        status=status,
        error=shopper.translations(locale).gettext(error) if error else None,
        csrf=token,
        number=number,
        email=email,
        lang_query="lang" in request.query_params,
    )
    response.set_cookie(
        LOOKUP_CSRF,
        token,
        max_age=3600,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/track",
    )
    return response


@router.get("/track", response_model=None)
def lookup_page(request: Request) -> Response:
    return _form(request, page_locale(request))


@router.post("/track", response_model=None)
async def lookup(request: Request) -> Response:
    board = dashboard(request)
    locale = page_locale(request)
    form = await request.form()
    number = str(form.get("number") or "").strip().upper()[:32]
    email = str(form.get("email") or "").strip()[:320]
    cookie = request.cookies.get(LOOKUP_CSRF) or ""
    submitted = str(form.get("csrf_token") or "")
    if not cookie or not secrets.compare_digest(cookie.encode(), submitted.encode()):
        return _form(
            request,
            locale,
            error=shopper.N_("This form expired; please try again."),
            status=403,
            number=number,
            email=email,
        )
    if not number or not email:
        return _form(
            request,
            locale,
            error=shopper.N_("Enter both your order number and your e-mail address."),
            status=422,
            number=number,
            email=email,
        )
    checks = [(LOOKUP_PER_ADDRESS, client_address(request)), (LOOKUP_PER_ORDER, number)]
    wait = await run_in_threadpool(board.throttle.hit, checks)
    if wait:
        refused = _form(
            request,
            locale,
            error=shopper.N_("Too many attempts. Please wait a few minutes and try again."),
            status=429,
            number=number,
            email=email,
        )
        refused.headers["Retry-After"] = str(wait)
        return refused
    token = await run_in_threadpool(board.podium.shopper.lookup, number, email)
    if token is None:  # unknown order or wrong e-mail: one answer for both
        return _form(request, locale, error=NOT_FOUND, status=404, number=number, email=email)
    target = f"/track/{quote(token, safe='')}"
    if "lang" in request.query_params:
        target += f"?lang={locale}"
    response = RedirectResponse(target, status_code=303)
    response.delete_cookie(LOOKUP_CSRF, path="/track")
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
