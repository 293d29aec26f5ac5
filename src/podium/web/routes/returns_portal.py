"""The returns portal (``/returns/start``): a shopper finds their order (by its tracking
token, or number and e-mail through the shared look-up), picks items, a reason, refund or
exchange, sees the channel's policy and confirms; then follows the return on its own
token-protected page (``/returns/status/{token}``) with the label once approved. No staff
session and no staff actions; every form carries a CSRF token matching its cookie. See
docs/shopper.md "The returns portal".
"""

from __future__ import annotations

import secrets
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response

from podium import fulfillment, returns, shopper
from podium.errors import DomainError
from podium.web.core import dashboard
from podium.web.nav import NavItem
from podium.web.portal_photo import PhotoRefused, read_photo, save_photo
from podium.web.shopper_lookup import CSRF_COOKIE, look_up, lookup_form
from podium.web.shopper_pages import page_locale, render_shopper

router = APIRouter(include_in_schema=False)
NAV: list[NavItem] = []
START = "/returns/start"
SUBMIT = "/returns/submit"
FORM_COOKIE = "podium_return_csrf"


def _private(response: Response) -> Response:
    response.headers["Referrer-Policy"] = "no-referrer"  # tokens are in the URLs
    return response


def _with_lang(path: str, request: Request, locale: str, sep: str = "?") -> str:
    return f"{path}{sep}lang={locale}" if "lang" in request.query_params else path


def _form_page(
    request: Request,
    token: str,
    form: shopper.PortalForm,
    *,
    status: int = 200,
    error: str | None = None,
    code: str | None = None,
    field: str | None = None,
    asked: shopper.PortalRequest | None = None,
) -> Response:
    """The form; after a refusal, with the message, its machine-readable ``code`` and the
    ``field`` it is about (``data-code``/``data-field`` on the alert, ``aria-invalid`` on
    the field)."""
    locale = page_locale(request, form.locale)
    csrf = secrets.token_urlsafe(32)
    say = shopper.translations(locale).gettext
    response = render_shopper(
        locale,
        "return_form.html",
        status=status,
        brand=form.brand,
        style=shopper.channel_style(dashboard(request).podium.db, form.channel),
        form=form,
        token=token,
        lang_prefix=f"{START}?order={quote(token, safe='')}&",
        csrf=csrf,
        error=error,
        error_code=code,
        error_field=field,
        asked=asked,
        reason_label=lambda code: say(shopper.reason_name(code)),
        return_status=lambda key: say(shopper.RETURN_STATUS_NAMES.get(key) or key),
        return_link=lambda rid: (
            f"/returns/status/{dashboard(request).podium.shopper.return_token(rid)}"
        ),
    )
    response.set_cookie(
        FORM_COOKIE,
        csrf,
        max_age=3600,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path=SUBMIT,
    )
    return _private(response)


def _missing(request: Request) -> Response:
    return _private(render_shopper(page_locale(request), "return_missing.html", status=404))


@router.get(START, response_model=None)
def start_page(request: Request) -> Response:
    token = request.query_params.get("order")
    if not token:
        return lookup_form(
            request, page_locale(request), action=START, template="return_lookup.html"
        )
    board = dashboard(request)
    order_id = shopper.read_token(board.podium.shopper.key, token)
    form = shopper.portal_form(board.podium.db, order_id) if order_id else None
    if form is None:
        return _missing(request)
    return _form_page(request, token, form)


@router.post(START, response_model=None)
async def start_lookup(request: Request) -> Response:
    locale = page_locale(request)
    found = await look_up(request)
    if found.token is None:
        return lookup_form(
            request, locale, action=START, found=found, template="return_lookup.html"
        )
    target = f"{START}?order={quote(found.token, safe='')}"
    response = RedirectResponse(_with_lang(target, request, locale, "&"), status_code=303)
    response.delete_cookie(CSRF_COOKIE, path=START)
    return _private(response)


def _asked(form: Any, portal: shopper.PortalForm) -> shopper.PortalRequest:
    quantities: dict[str, int] = {}
    swaps: dict[str, str] = {}
    for line in portal.lines:
        raw = str(form.get(f"quantity_{line.sku}") or "0").strip()
        quantities[line.sku] = int(raw) if raw.isdigit() and len(raw) < 7 else -1
        swap = str(form.get(f"exchange_{line.sku}") or "").strip()[:64]
        if swap:
            swaps[line.sku] = swap
    return shopper.PortalRequest(
        quantities=quantities,
        reason=str(form.get("reason") or ""),
        comment=str(form.get("comment") or "")[:2000],
        resolution="exchange" if form.get("resolution") == "exchange" else "refund",
        exchange_for=swaps,
    )


@router.post(SUBMIT, response_model=None)
async def submit(request: Request) -> Response:
    token = request.query_params.get("order") or ""
    board = dashboard(request)
    order_id = shopper.read_token(board.podium.shopper.key, token)
    portal = (
        await run_in_threadpool(shopper.portal_form, board.podium.db, order_id)
        if order_id
        else None
    )
    if portal is None:
        return _missing(request)
    say = shopper.translations(page_locale(request, portal.locale)).gettext
    form = await request.form()
    cookie = request.cookies.get(FORM_COOKIE) or ""
    if not cookie or not secrets.compare_digest(
        cookie.encode(), str(form.get("csrf_token") or "").encode()
    ):
        words = say("This form expired; please try again.")
        return _form_page(request, token, portal, status=403, error=words, code="csrf_failed")
    asked = _asked(form, portal)
    try:
        photo = await read_photo(form.get("photo"))
    except PhotoRefused as exc:
        return _form_page(
            request,
            token,
            portal,
            status=exc.status,
            error=say(exc.words),
            code="photo_refused",
            field="photo",
            asked=asked,
        )
    try:
        made = await run_in_threadpool(shopper.submit_return, board.podium.db, portal, asked)
    except DomainError as exc:
        words = _ERRORS.get(
            exc.code, shopper.N_("This return cannot be made; please check your choices.")
        )
        field = exc.details.get("field") if exc.details else None
        return _form_page(
            request,
            token,
            portal,
            status=exc.status,
            error=say(words),
            code=exc.code,
            field=field if isinstance(field, str) else None,
            asked=asked,
        )
    if photo is not None:
        await run_in_threadpool(save_photo, board.podium.settings, made.id, photo)
    target = f"/returns/status/{board.podium.shopper.return_token(made.id)}"
    response = RedirectResponse(
        _with_lang(target, request, page_locale(request, portal.locale)), 303
    )
    response.delete_cookie(FORM_COOKIE, path=SUBMIT)
    return _private(response)


_ERRORS = {
    "no_items": shopper.N_("Choose at least one item to return."),
    "not_returnable": shopper.N_("One of the items you chose cannot be returned."),
    "invalid_quantity": shopper.N_("Choose a quantity no larger than you can return."),
    "exchange_out_of_stock": shopper.N_(
        "We are out of stock for an exchange of one of these items; please choose a refund."
    ),
    "exchange_not_a_variant": shopper.N_(
        "Choose a replacement from the sizes and colours offered for this item."
    ),
    "invalid_return_reason": shopper.N_("Choose a reason from the list."),
    "too_long": shopper.N_("The comment is too long (800 characters at most)."),
    "return_window_closed": shopper.N_("The return window for this order has closed."),
    "return_exceeds_shipped": shopper.N_("Choose a quantity no larger than you can return."),
}


def _found(request: Request, token: str) -> tuple[shopper.ReturnPage, str] | None:
    board = dashboard(request)
    return_id = board.podium.shopper.read_return_token(token)
    return shopper.return_page(board.podium.db, return_id) if return_id else None


@router.get("/returns/status/{token}", response_model=None)
def status_page(request: Request, token: str) -> Response:
    found = _found(request, token)
    if found is None:
        return _missing(request)
    page, channel_locale = found
    locale = page_locale(request, channel_locale)
    say = shopper.translations(locale).gettext
    board = dashboard(request)
    response = render_shopper(
        locale,
        "return_status.html",
        brand=page.brand,
        style=shopper.channel_style(board.podium.db, page.channel),
        page=page,
        token=token,
        order_token=board.podium.shopper.token(page.order_id),
        reason_label=lambda code: say(shopper.reason_name(code)),
        return_status=lambda key: say(shopper.RETURN_STATUS_NAMES.get(key) or key),
    )
    return _private(response)


@router.get("/returns/status/{token}/label.pdf", response_model=None)
def label_pdf(request: Request, token: str) -> Response:
    found = _found(request, token)
    if found is None or found[0].label is None:
        return _missing(request)
    doc = returns.return_label_document(dashboard(request).podium.db, found[0].return_id)
    response = Response(fulfillment.label_pdf(doc), media_type="application/pdf")
    name = f"return-label-{doc.tracking_number}.pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    return _private(response)


@router.get("/returns/brand/{channel}.css", response_model=None)
def brand_css(request: Request, channel: str) -> Response:
    """The channel's header colour for its portal pages (the pages allow no inline style)."""
    style = shopper.channel_style(dashboard(request).podium.db, channel[:64])
    body = f".bar {{ background: {style.colour}; color: {style.ink}; }}\n" if style.colour else ""
    response = Response(body, media_type="text/css")
    response.headers["Cache-Control"] = "public, max-age=300"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
