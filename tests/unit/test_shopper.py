"""Tracking tokens, locales and the shipped message catalogues (pure)."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from podium import shopper
from podium.config import Settings
from podium.shopper.locale import LOCALES_DIR

KEY = shopper.derive_key("a server secret")


def test_a_token_names_its_order_and_only_its_maker_can_read_it() -> None:
    token = shopper.make_token(KEY, "ord_01ABC")

    assert shopper.read_token(KEY, token) == "ord_01ABC"
    assert shopper.read_token(shopper.derive_key("another secret"), token) is None
    assert len(token.split(".")[1]) == 32  # 192 bits of HMAC


@pytest.mark.parametrize(
    "forged",
    ["", "ord_01ABC", "ord_01ABC.", ".abc", "ord_01ABD.{mac}", "ord_01ABC.{mac}x", "ä.{mac}"],
)
def test_an_altered_token_reads_as_nothing(forged: str) -> None:
    mac = shopper.make_token(KEY, "ord_01ABC").split(".")[1]
    assert shopper.read_token(KEY, forged.format(mac=mac)) is None


def test_a_token_is_not_made_for_something_that_is_not_an_order_id() -> None:
    with pytest.raises(ValueError):
        shopper.make_token(KEY, "ord/../x")


def test_locales_come_from_a_setting_or_the_browser_else_english() -> None:
    assert shopper.pick_locale("de") == "de"
    assert shopper.pick_locale("fr_CA") == "fr"
    assert shopper.pick_locale("xx") == "en"
    assert shopper.pick_locale(None) == "en"
    assert shopper.best_locale("es-MX,es;q=0.9,en;q=0.8") == "es"
    assert shopper.best_locale("ja, de;q=0.5") == "de"
    assert shopper.best_locale("en;q=0.1, fr;q=0.9") == "fr"
    assert shopper.best_locale("ja") == "en"
    assert shopper.best_locale(";;;,q=") == "en"


def test_money_and_dates_are_formatted_for_the_locale() -> None:
    assert shopper.money("1234.50", "EUR", "de") == "1.234,50\xa0€"
    assert shopper.money("1234.50", "USD", "en") == "$1,234.50"
    assert shopper.money("1234.50", "EUR", "fr") == "1\u202f234,50\xa0€"
    assert shopper.long_date(date(2026, 12, 4), "es") == "4 de diciembre de 2026"
    assert shopper.long_date(date(2026, 12, 4), "de") == "4. Dezember 2026"


def _strings(catalog: Catalog) -> dict[Any, Any]:
    """Each message's translation (plural ids and forms as tuples: .mo gives lists)."""

    def plain(value: Any) -> Any:
        return value if isinstance(value, str) else tuple(value)

    return {plain(m.id): plain(m.string) for m in catalog if m.id}


@pytest.mark.parametrize("locale", ["de", "fr", "es"])
def test_every_message_is_translated_and_the_shipped_mo_matches_the_po(locale: str) -> None:
    with (LOCALES_DIR / "messages.pot").open("rb") as f:
        template = read_po(f)
    folder = LOCALES_DIR / locale / "LC_MESSAGES"
    with (folder / "messages.po").open("rb") as f:
        po = read_po(f, locale=locale)
    with (folder / "messages.mo").open("rb") as f:
        mo = read_mo(io.BytesIO(f.read()))

    wanted = {m.id if isinstance(m.id, str) else m.id[0] for m in template if m.id}
    for message in po:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings) and not message.fuzzy, message.id
    assert {m.id if isinstance(m.id, str) else m.id[0] for m in po if m.id} == wanted
    # `make messages` compiles the .mo; a .po edited without it would ship stale words.
    assert _strings(mo) == _strings(po)
    assert shopper.translations(locale).gettext("Track your order") != "Track your order"


def test_the_public_url_must_be_a_web_address() -> None:
    assert Settings.from_env({"PODIUM_PUBLIC_URL": "https://shop.example.com/"}).shopper_url == (
        "https://shop.example.com"
    )
    assert Settings.from_env({"PODIUM_PORT": "8001"}).shopper_url == "http://127.0.0.1:8001"
    for bad in ("shop.example.com", "javascript:alert(1)", "https://x/?a=1"):
        with pytest.raises(ValueError, match="PODIUM_PUBLIC_URL"):
            Settings.from_env({"PODIUM_PUBLIC_URL": bad})
