"""The returns portal (issue 17): a shopper starts a return from their order's token or by
number and e-mail (the same answer for an unknown order and a wrong e-mail), picks items, a
reason, refund or exchange (stock checked), adds a photo (checked and re-encoded), sees the
policy, and follows the return with its label; CSRF on every form; nothing half-written."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from dashboard_support import sign_in
from PIL import Image

from podium.bootstrap import Podium, bootstrap
from podium.config import Settings
from podium.geo.geocoder import default_geocoder
from support import Api, order_body, seed_store


@pytest.fixture
def podium(database_url: str, tmp_path: Path) -> Iterator[Podium]:
    settings = Settings(
        database_url=database_url, relay_poll_seconds=0.05, uploads_dir=str(tmp_path / "up")
    )
    p = bootstrap(settings, geocoder=default_geocoder())
    try:
        yield p
    finally:
        p.close()


def _shipped(api: Api, stock: int = 10, external_id: str = "p1") -> Any:
    seed_store(api, {("TEE", "EAST"): stock, ("CAP", "EAST"): 5})
    order = api.ok("post", "/orders", order_body([("TEE", 2), ("CAP", 1)], external_id=external_id))
    for s in order["shipments"]:
        api.ok("post", f"/shipments/{s['id']}/ship", {"tracking_number": "1Z1", "carrier": "ups"})
    return order


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, html
    return found.group(1)


def _form(api: Api, podium: Podium, order: Any, query: str = "") -> tuple[str, Any]:
    token = podium.shopper.token(order["id"])
    page = api.client.get(f"/returns/start?order={token}{query}")
    assert page.status_code == 200, page.text
    return token, page


def _submit(
    api: Api,
    podium: Podium,
    order: Any,
    fields: dict[str, str],
    files: dict[str, Any] | None = None,
    csrf: str | None = None,
) -> Any:
    token, page = _form(api, podium, order)
    body = {"csrf_token": csrf if csrf is not None else _csrf(page.text), **fields}
    return api.client.post(
        f"/returns/submit?order={token}", data=body, files=files, follow_redirects=False
    )


def _returns(api: Api, order: Any) -> list[Any]:
    return list(api.ok("get", f"/orders/{order['id']}/returns")["items"])


def test_a_shopper_returns_items_and_follows_the_return_to_its_label_and_receipt(
    api: Api, podium: Podium
) -> None:
    order = _shipped(api)
    _, page = _form(api, podium, order)
    assert "Our return policy" in page.text
    assert "within 30 days of shipping" in page.text
    assert "Size or fit" in page.text  # the channel's reasons, in words
    assert page.headers["Referrer-Policy"] == "no-referrer"

    sent = _submit(
        api, podium, order, {"quantity_TEE": "1", "quantity_CAP": "0", "reason": "size_fit"}
    )
    assert sent.status_code == 303, sent.text
    status_url = sent.headers["location"]
    assert status_url.startswith("/returns/status/")
    (rma,) = _returns(api, order)
    assert rma["status"] == "requested"
    assert [(ln["sku"], ln["quantity"], ln["reason"]) for ln in rma["lines"]] == [
        ("TEE", 1, "size_fit")
    ]
    assert rma["created_by"] == "customer:ann@example.com"
    status = api.client.get(status_url)
    assert status.status_code == 200
    assert "Waiting for approval" in status.text
    assert "label.pdf" not in status.text

    api.ok("post", f"/returns/{rma['id']}/approve", {})
    label = api.ok("post", f"/returns/{rma['id']}/label", {})
    status = api.client.get(status_url)
    assert "Approved: send it back" in status.text
    assert label["tracking_number"] in status.text
    pdf = api.client.get(f"{status_url}/label.pdf")
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")

    receive = {"lines": [{"sku": "TEE", "quantity": 1, "disposition": "restock"}]}
    api.ok("post", f"/returns/{rma['id']}/receive", receive)
    assert "Received" in api.client.get(status_url).text


def test_the_lookup_finds_the_order_and_answers_unknown_and_wrong_email_alike(
    api: Api, podium: Podium
) -> None:
    order = _shipped(api)

    def look(number: str, email: str) -> Any:
        form = api.client.get("/returns/start")
        assert form.status_code == 200
        assert "Return items" in form.text
        return api.client.post(
            "/returns/start",
            data={"number": number, "email": email, "csrf_token": _csrf(form.text)},
            follow_redirects=False,
        )

    found = look(order["number"], "ANN@example.com")
    assert found.status_code == 303
    assert found.headers["location"] == f"/returns/start?order={podium.shopper.token(order['id'])}"
    wrong, unknown = look(order["number"], "eve@example.com"), look("PD-999999", "ann@example.com")
    strip = re.compile(r'name="csrf_token" value="[^"]+"|value="[^"]*"')
    assert wrong.status_code == unknown.status_code == 404
    assert strip.sub("", wrong.text) == strip.sub("", unknown.text)
    assert "We could not find an order with that number and e-mail address." in wrong.text


def test_a_forged_or_missing_csrf_token_writes_nothing(api: Api, podium: Podium) -> None:
    order = _shipped(api)
    sent = _submit(api, podium, order, {"quantity_TEE": "1", "reason": "damaged"}, csrf="forged")
    assert sent.status_code == 403
    assert "This form expired" in sent.text
    assert _returns(api, order) == []


@pytest.mark.parametrize(
    ("fields", "status", "code", "field", "words"),
    [
        (
            {"quantity_TEE": "0", "reason": "damaged"},
            422,
            "no_items",
            "quantity",
            "Choose at least one item",
        ),
        (
            {"quantity_TEE": "3", "reason": "damaged"},
            422,
            "invalid_quantity",
            "quantity_TEE",
            "no larger than you can return",
        ),
        (
            {"quantity_TEE": "x", "reason": "damaged"},
            422,
            "invalid_quantity",
            "quantity_TEE",
            "no larger than you can return",
        ),
        (
            {"quantity_TEE": "1", "reason": "bored"},
            422,
            "invalid_return_reason",
            "reason",
            "Choose a reason from the list",
        ),
        (
            {"quantity_TEE": "1", "reason": "damaged", "comment": "x" * 900},
            422,
            "too_long",
            "comment",
            "too long",
        ),
    ],
)
def test_bad_choices_are_named_on_the_form_and_nothing_is_written(
    api: Api,
    podium: Podium,
    fields: dict[str, str],
    status: int,
    code: str,
    field: str,
    words: str,
) -> None:
    order = _shipped(api)
    sent = _submit(api, podium, order, fields)
    assert sent.status_code == status, sent.text
    assert words in sent.text
    assert f'role="alert" id="return-error" data-code="{code}" data-field="{field}"' in sent.text
    if field != "quantity":
        assert sent.text.count('aria-invalid="true"') == 1
    assert _returns(api, order) == []


def test_an_exchange_is_asked_for_when_in_stock_and_refused_when_not(
    api: Api, podium: Podium
) -> None:
    order = _shipped(api, stock=2)  # both tees sold: none left for an exchange
    _, page = _form(api, podium, order)
    assert "out of stock: refund only" in page.text
    refused = _submit(
        api, podium, order, {"quantity_TEE": "1", "reason": "damaged", "resolution": "exchange"}
    )
    assert refused.status_code == 409
    assert "out of stock for an exchange" in refused.text
    assert _returns(api, order) == []

    made = _submit(
        api, podium, order, {"quantity_CAP": "1", "reason": "damaged", "resolution": "exchange"}
    )
    assert made.status_code == 303, made.text
    (rma,) = _returns(api, order)
    assert "Shopper asks for an exchange: CAP × 1." in rma["note"]
    assert "An exchange" in api.client.get(made.headers["location"]).text


def test_the_policy_can_approve_at_once_refuse_skus_and_show_a_fee(
    api: Api, podium: Podium
) -> None:
    order = _shipped(api)
    policy = {
        "window_days": 14,
        "reasons": ["damaged", "other"],
        "auto_approve": True,
        "non_returnable": ["CAP"],
        "fee": "4.95",
    }
    put = api.client.put("/api/v1/channels/web/return-policy", json=policy, headers=api.headers())
    assert put.status_code == 200, put.text
    assert put.json()["returns"]["non_returnable"] == ["CAP"]
    _, page = _form(api, podium, order)
    assert "within 14 days of shipping" in page.text
    assert "cannot be returned" in page.text
    assert "$4.95" in page.text
    assert 'name="quantity_CAP"' not in page.text
    refused = _submit(api, podium, order, {"quantity_CAP": "1", "reason": "damaged"})
    assert refused.status_code == 422
    assert _returns(api, order) == []
    made = _submit(api, podium, order, {"quantity_TEE": "2", "reason": "other"})
    assert made.status_code == 303
    (rma,) = _returns(api, order)
    assert rma["status"] == "approved"


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def test_a_photo_is_checked_by_content_reencoded_and_shown_to_staff_only(
    api: Api, podium: Podium
) -> None:
    order = _shipped(api)
    fields = {"quantity_TEE": "1", "reason": "damaged"}
    fake = {"photo": ("photo.jpg", b"<script>alert(1)</script>", "image/jpeg")}
    refused = _submit(api, podium, order, fields, files=fake)
    assert refused.status_code == 422
    assert "must be a JPEG, PNG, WebP or GIF image" in refused.text
    assert _returns(api, order) == []

    made = _submit(api, podium, order, fields, files={"photo": ("x.png", _png(), "image/png")})
    assert made.status_code == 303, made.text
    (rma,) = _returns(api, order)
    stored = Path(podium.settings.uploads_dir) / "returns" / rma["id"] / "photo.jpg"
    with Image.open(stored) as image:
        assert (image.format, image.size) == ("JPEG", (64, 48))
    assert api.client.get(
        f"/returns/{rma['id']}/photo.jpg", follow_redirects=False
    ).status_code in (
        303,
        401,
    )  # no staff session: no photo
    board = sign_in(api.client.app, podium, "support")  # type: ignore[arg-type]
    page = board.get(f"/returns/{rma['id']}")
    assert f'src="/returns/{rma["id"]}/photo.jpg"' in page.text
    photo = board.get(f"/returns/{rma['id']}/photo.jpg")
    assert photo.status_code == 200
    assert photo.headers["content-type"] == "image/jpeg"
    assert photo.content.startswith(b"\xff\xd8")


def test_the_portal_speaks_the_channels_language(api: Api, podium: Podium) -> None:
    order = _shipped(api)
    api.ok("patch", "/channels/web/settings", {"locale": "de"})
    _, page = _form(api, podium, order)
    assert '<html lang="de">' in page.text
    token = podium.shopper.token(order["id"])
    assert f'href="/returns/start?order={token}&amp;lang=fr"' in page.text  # keeps the order
    assert "Unsere Rückgaberichtlinie" in page.text
    made = _submit(api, podium, order, {"quantity_TEE": "1", "reason": "size_fit"})
    status = api.client.get(made.headers["location"])
    assert "Wartet auf Freigabe" in status.text


def test_tokens_that_name_nothing_or_an_order_show_no_return(api: Api, podium: Podium) -> None:
    order = _shipped(api)
    order_token = podium.shopper.token(order["id"])
    for path in (
        f"/returns/status/{order_token}",
        "/returns/status/rma_x.abc",
        f"/returns/start?order={order_token}x",
        f"/returns/status/{order_token}/label.pdf",
    ):
        page = api.client.get(path)
        assert page.status_code == 404, path
        assert "Ann" not in page.text


def test_the_portal_wears_the_channels_colour_and_logo(api: Api, podium: Podium) -> None:
    order = _shipped(api)
    look = {"brand": "Tee Shop", "colour": "#0f766e", "logo_url": "https://cdn.example.com/l.png"}
    api.ok("patch", "/channels/web/settings", {"notifications": look})
    _, page = _form(api, podium, order)
    assert '<span class="brand">Tee Shop</span>' in page.text
    assert '<link rel="stylesheet" href="/returns/brand/web.css">' in page.text
    assert '<img class="logo" src="https://cdn.example.com/l.png"' in page.text
    assert "img-src 'self' data: https:" in page.headers["Content-Security-Policy"]
    css = api.client.get("/returns/brand/web.css")
    assert css.headers["content-type"].startswith("text/css")
    assert css.text == ".bar { background: #0f766e; color: #fff; }\n"
    pale = {"colour": "#fde68a", "logo_url": "http://insecure.example.com/l.png"}
    api.ok("patch", "/channels/web/settings", {"notifications": pale})
    assert (
        api.client.get("/returns/brand/web.css").text
        == ".bar { background: #fde68a; color: #000; }\n"
    )
    _, page = _form(api, podium, order)
    assert "insecure.example.com" not in page.text  # only https logos
    api.ok("patch", "/channels/web/settings", {"notifications": {"colour": "red;}body{x"}})
    assert api.client.get("/returns/brand/web.css").text == ""


def test_the_json_request_follows_the_same_policy_as_the_portal(api: Api, podium: Podium) -> None:
    order = _shipped(api)
    policy = {"window_days": 30, "reasons": ["damaged"], "auto_approve": True}
    policy["non_returnable"] = ["CAP"]
    put = api.client.put("/api/v1/channels/web/return-policy", json=policy, headers=api.headers())
    assert put.status_code == 200, put.text
    body: dict[str, Any] = {"order_number": order["number"], "email": "ann@example.com"}
    cap = {**body, "lines": [{"sku": "CAP", "quantity": 1, "reason": "damaged"}]}
    refused = api.client.post("/api/v1/returns/request", json=cap)
    assert refused.status_code == 422
    assert refused.json()["error"]["code"] == "not_returnable"
    assert refused.json()["error"]["details"]["field"] == "lines.0.sku"
    tee = {**body, "lines": [{"sku": "TEE", "quantity": 1, "reason": "damaged"}]}
    made = api.client.post("/api/v1/returns/request", json=tee)
    assert made.status_code == 201, made.text
    assert made.json()["status"] == "approved"
