"""E-mail templates: defaults for every event, escaping, per-channel overrides."""

from __future__ import annotations

from pathlib import Path

import pytest

from podium.errors import ValidationFailed
from podium.notify.model import EMAIL_TEMPLATES
from podium.notify.templates import Renderer

ORDER = {
    "number": "100001",
    "currency": "USD",
    "total": "39.98",
    "lines": [{"quantity": 2, "name": "Tee", "total": "39.98"}],
}


def _context(**extra: object) -> dict[str, object]:
    return {"brand": "Acme", "customer_name": "Ann", "order": ORDER, **extra}


@pytest.mark.parametrize("template", sorted(set(EMAIL_TEMPLATES.values())))
def test_every_event_has_a_subject_a_text_and_an_html_part(template: str) -> None:
    rendered = Renderer().render(template, _context(tracking_url="https://t.example/1"))
    assert "100001" in rendered.subject
    assert "100001" in rendered.text
    assert rendered.html.startswith("<!doctype html>")
    assert "Acme" in rendered.html


def test_html_escapes_customer_input_and_text_keeps_it_verbatim() -> None:
    evil = '<script>alert("x")</script>'
    rendered = Renderer().render("order_confirmation", _context(customer_name=evil))
    assert evil not in rendered.html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in rendered.html
    assert evil in rendered.text


def test_a_subject_never_spans_lines() -> None:
    rendered = Renderer().render("order_cancelled", _context(order={**ORDER, "number": "1\r\n2"}))
    assert "\n" not in rendered.subject and "\r" not in rendered.subject


def test_the_shipped_mail_carries_the_tracking_link() -> None:
    rendered = Renderer().render(
        "shipment_shipped",
        _context(tracking_url="https://track.example/1Z?x=1&y=2", tracking_number="1Z"),
    )
    assert "https://track.example/1Z?x=1&y=2" in rendered.text
    assert 'href="https://track.example/1Z?x=1&amp;y=2"' in rendered.html


def test_a_templates_dir_overrides_per_channel_then_for_all(tmp_path: Path) -> None:
    (tmp_path / "pos").mkdir()
    (tmp_path / "pos" / "order_confirmation.subject.txt").write_text("Receipt {{ order.number }}")
    (tmp_path / "order_confirmation.subject.txt").write_text("Thanks for {{ order.number }}")
    renderer = Renderer(str(tmp_path))
    assert renderer.render("order_confirmation", _context(), channel="pos").subject == (
        "Receipt 100001"
    )
    assert renderer.render("order_confirmation", _context(), channel="web").subject == (
        "Thanks for 100001"
    )
    # Parts not overridden come from the defaults.
    assert "Thank you for your order" in renderer.render("order_confirmation", _context()).text


def test_channel_settings_override_a_template_inline() -> None:
    rendered = Renderer().render(
        "order_confirmation",
        _context(),
        channel="web",
        overrides={"order_confirmation.html": "<p>{{ customer_name }} from {{ brand }}</p>"},
    )
    assert rendered.html == "<p>Ann from Acme</p>"


def test_a_broken_template_is_a_clear_error_and_the_sandbox_holds() -> None:
    with pytest.raises(ValidationFailed) as caught:
        Renderer().render(
            "order_confirmation", _context(), overrides={"order_confirmation.html": "{% if %}"}
        )
    assert caught.value.code == "template_error"
    with pytest.raises(ValidationFailed):
        Renderer().render(
            "order_confirmation",
            _context(),
            overrides={"order_confirmation.html": "{{ ''.__class__.__mro__[1].__subclasses__() }}"},
        )
