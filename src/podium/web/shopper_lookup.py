"""Finding a shopper's order by number and e-mail, for any shopper page that starts with it
(``/track`` now, the returns portal next): the form with its CSRF cookie, and the look-up's
steps in the order that keeps them safe. See docs/shopper.md "The look-up"."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from fastapi import Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from podium import shopper
from podium.throttle import LOOKUP_PER_ADDRESS, LOOKUP_PER_ORDER
from podium.web.core import client_address, dashboard
from podium.web.shopper_pages import render_shopper

__all__ = ["CSRF_COOKIE", "NOT_FOUND", "Found", "look_up", "lookup_form"]

CSRF_COOKIE = "podium_shopper_csrf"
NOT_FOUND = shopper.N_("We could not find an order with that number and e-mail address.")


@dataclass(frozen=True, slots=True)
class Found:
    """The look-up's answer: the order's tracking token, or why not (a message to show, in
    English: the form translates it) with the status to answer."""

    number: str
    email: str
    token: str | None = None
    error: str | None = None
    status: int = 200
    retry_after: int = 0


def lookup_form(
    request: Request,
    locale: str,
    *,
    action: str,
    found: Found | None = None,
    template: str = "lookup.html",
) -> Response:
    """The form (``action``: the path it posts to, which also scopes its CSRF cookie)."""
    token = secrets.token_urlsafe(32)
    error = found.error if found else None
    response = render_shopper(
        locale,
        template,
        status=found.status if found else 200,
        error=shopper.translations(locale).gettext(error) if error else None,
        csrf=token,
        action=action,
        number=found.number if found else "",
        email=found.email if found else "",
        lang_query="lang" in request.query_params,
    )
    response.set_cookie(
        CSRF_COOKIE,
        token,
        max_age=3600,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path=action,
    )
    if found and found.retry_after:
        response.headers["Retry-After"] = str(found.retry_after)
    return response


async def look_up(request: Request) -> Found:
    """The posted form's order: its CSRF token checked first (403), then both fields (422),
    then the attempt counted against the caller's address and the order number (429), then
    one answer, 404, whether the order is unknown or the e-mail is not its customer's."""
    form = await request.form()
    number = str(form.get("number") or "").strip().upper()[:32]
    email = str(form.get("email") or "").strip()[:320]
    cookie = request.cookies.get(CSRF_COOKIE) or ""
    submitted = str(form.get("csrf_token") or "")
    if not cookie or not secrets.compare_digest(cookie.encode(), submitted.encode()):
        return Found(
            number, email, error=shopper.N_("This form expired; please try again."), status=403
        )
    if not number or not email:
        message = shopper.N_("Enter both your order number and your e-mail address.")
        return Found(number, email, error=message, status=422)
    board = dashboard(request)
    checks = [(LOOKUP_PER_ADDRESS, client_address(request)), (LOOKUP_PER_ORDER, number)]
    wait = await run_in_threadpool(board.throttle.hit, checks)
    if wait:
        message = shopper.N_("Too many attempts. Please wait a few minutes and try again.")
        return Found(number, email, error=message, status=429, retry_after=wait)
    token = await run_in_threadpool(board.podium.shopper.lookup, number, email)
    if token is None:  # unknown order or wrong e-mail: one answer for both
        return Found(number, email, error=NOT_FOUND, status=404)
    return Found(number, email, token=token)
