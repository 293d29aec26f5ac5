"""Customer e-mails in the channel's language: every template's words come from the catalogue,
money and dates are formatted for the locale, the HTML says its language."""

from __future__ import annotations

import re

import pytest
from jinja2.ext import babel_extract

from podium import shopper
from podium.notify.model import EMAIL_TEMPLATES, EXCHANGE_SHIPPED
from podium.notify.templates import DEFAULT_TEMPLATES, Renderer

TEMPLATES = sorted({*EMAIL_TEMPLATES.values(), EXCHANGE_SHIPPED, "test"})
# Messages some languages write as English does (French and Spanish "Total").
SAME_WORDS = {"Total", "Total: %(amount)s"}
LOCALES = [code for code in shopper.LOCALES if code != shopper.DEFAULT_LOCALE]
ORDER = {
    "number": "PD-100001",
    "currency": "EUR",
    "total": "1234.50",
    "status": "on_hold",
    "placed_at": "2026-12-04T10:30:00+00:00",
    "lines": [
        {"quantity": 2, "name": "Tee", "sku": "TEE", "total": "1234.50", "quantity_cancelled": 1}
    ],
}


def _everything(locale: str, **extra: object) -> dict[str, object]:
    """A context that takes every branch that prints words (all optional parts present)."""
    return {
        "brand": "Acme",
        "customer_name": "Ann",
        "support_email": "help@acme.example",
        "locale": locale,
        "order": ORDER,
        "shipment": {"lines": [{"quantity": 2}]},
        "tracking_number": "1Z999",
        "tracking_url": "https://track.example/1Z999",
        "carrier": "UPS",
        "reason": "out of stock",
        "refund": {"amount": "19.90", "currency": "EUR"},
        "rma": {"id": "rma_1", "status": "received", "lines": [{"quantity": 1, "name": "Tee"}]},
        "return_url": "https://shop.example/returns/x",
        "rejection": "worn",
        "label": {"carrier_name": "DHL", "tracking_number": "L123"},
        **extra,
    }


def _sparse(locale: str) -> dict[str, object]:
    """The other branches: no name, no reason, no label, nothing optional."""
    return {"brand": "Acme", "locale": locale, "order": {**ORDER, "status": "open"}, "refund": {}}


def _msgids(template: str) -> set[str | tuple[str, ...]]:
    """The messages a template (and the base it extends) asks the catalogue for."""
    found: set[str | tuple[str, ...]] = set()
    names = [f"{template}{suffix}" for suffix in (".subject.txt", ".txt", ".html")]
    for name in [*names, "base.txt", "base.html"]:
        with (DEFAULT_TEMPLATES / name).open("rb") as f:
            for _, _, message, _ in babel_extract(
                f, ["gettext", "ngettext"], [], {"extensions": "jinja2.ext.i18n"}
            ):
                if isinstance(message, str):
                    found.add(message)
                elif message:  # (singular, plural, …)
                    found.add((str(message[0]), str(message[1])))
    return found


def _english_words(msgid: str) -> list[str]:
    """The fixed English parts of a message, long enough to be telling."""
    return [part for part in re.split(r"%\(\w+\)s", msgid) if len(part.strip()) > 3]


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("locale", LOCALES)
def test_every_email_renders_in_each_locale_with_no_english_left(
    template: str, locale: str
) -> None:
    say = shopper.translations(locale)
    msgids = _msgids(template)
    assert msgids, template
    for context in (_everything(locale), _sparse(locale)):
        rendered = Renderer().render(template, context)
        everything = "\n".join((rendered.subject, rendered.text, rendered.html))
        for message in msgids:
            pairs = (
                [(message, say.gettext(message))]
                if isinstance(message, str)
                else [
                    (message[0], say.ngettext(message[0], message[1], 1)),
                    (message[1], say.ngettext(message[0], message[1], 2)),
                ]
            )
            for msgid, translated in pairs:
                assert translated != msgid or msgid in SAME_WORDS, (locale, msgid)
                for words in _english_words(msgid):
                    if words not in translated:
                        assert words not in everything, (template, locale, words)


@pytest.mark.parametrize("locale", shopper.LOCALES)
def test_the_html_part_says_its_language(locale: str) -> None:
    rendered = Renderer().render("order_confirmation", _everything(locale))
    assert rendered.html.startswith(f'<!doctype html>\n<html lang="{locale}">')


def test_an_unknown_or_missing_locale_renders_english() -> None:
    for locale in (None, "xx", 42):
        rendered = Renderer().render("order_confirmation", {**_everything("en"), "locale": locale})
        assert rendered.subject == "Order PD-100001 confirmed"
        assert '<html lang="en">' in rendered.html


def test_german_confirmation_words_money_and_date() -> None:
    rendered = Renderer().render("order_confirmation", _everything("de"))
    assert rendered.subject == "Bestellung PD-100001 bestätigt"
    assert rendered.text.startswith("Hallo Ann,\n\nVielen Dank für Ihre Bestellung!")
    assert "Bestelldatum: 4. Dezember 2026" in rendered.text
    assert "Summe: 1.234,50\xa0€" in rendered.text
    assert "1.234,50\xa0€</td>" in rendered.html
    assert "Bestellung PD-100001 - Acme - Fragen? help@acme.example" in rendered.text


@pytest.mark.parametrize(
    ("locale", "total", "placed"),
    [
        ("en", "€1,234.50", "December 4, 2026"),
        ("de", "1.234,50\xa0€", "4. Dezember 2026"),
        ("fr", "1\u202f234,50\xa0€", "4 décembre 2026"),
        ("es", "1.234,50\xa0€", "4 de diciembre de 2026"),
    ],
)
def test_money_and_dates_are_written_for_the_locale(locale: str, total: str, placed: str) -> None:
    rendered = Renderer().render("order_confirmation", _everything(locale))
    assert total in rendered.text and total in rendered.html
    assert placed in rendered.text and placed in rendered.html


def test_a_refund_amount_is_money_in_the_locale() -> None:
    french = Renderer().render("refund_issued", _everything("fr"))
    assert "Nous vous avons remboursé 19,90\xa0€ pour la commande PD-100001." in french.text
    assert "remboursé <strong>19,90\xa0€</strong>" in french.html
    english = Renderer().render("refund_issued", _everything("en"))
    assert "We have refunded €19.90 for order PD-100001." in english.text


def test_the_english_subjects_and_sentences_are_unchanged() -> None:
    rendered = Renderer().render("shipment_shipped", _everything("en"))
    assert rendered.subject == "Order PD-100001 has shipped"
    assert "Good news: order PD-100001 is on the way.\nTracking number: 1Z999 (UPS)" in (
        rendered.text
    )
    assert "Good news: order <strong>PD-100001</strong> is on the way (2 items)." in (rendered.html)


def test_the_html_escapes_what_goes_into_a_translated_sentence() -> None:
    rendered = Renderer().render(
        "order_cancelled", _everything("es", reason="<b>x</b>", customer_name="<i>A</i>")
    )
    assert "cancelado: &lt;b&gt;x&lt;/b&gt;." in rendered.html
    assert "Hola, &lt;i&gt;A&lt;/i&gt;:" in rendered.html
    assert "<strong>PD-100001</strong>" in rendered.html


def test_an_override_can_use_the_catalogue_and_the_locale_filters() -> None:
    rendered = Renderer().render(
        "order_confirmation",
        _everything("de"),
        channel="web",
        overrides={
            "order_confirmation.subject.txt": (
                "{% trans %}Track your package{% endtrans %}: {{ order.total | money('EUR') }}"
            )
        },
    )
    assert rendered.subject == "Sendung verfolgen: 1.234,50 €"  # a subject is one plain line
    assert rendered.text.startswith("Hallo Ann,")  # the parts not overridden: defaults, German
