"""Every credential of every connector comes back masked."""

from __future__ import annotations

from podium.channels.registry import masked, specs

_CREDENTIAL_WORDS = ("secret", "token", "key", "password")


def test_every_credential_field_of_every_connector_is_a_secret_field() -> None:
    for spec in specs():
        for name in spec.settings.model_fields:
            if any(word in name for word in _CREDENTIAL_WORDS) and not name.endswith("_endpoint"):
                assert name in spec.secret_fields, f"{spec.type}.{name} would be shown unmasked"


def test_woocommerce_consumer_key_is_masked_like_the_consumer_secret() -> None:
    shown = masked(
        "woocommerce",
        {
            "site_url": "https://shop.example",
            "consumer_key": "ck_0123456789abcdef",
            "consumer_secret": "cs_0123456789abcdef",
        },
    )
    assert shown["consumer_key"] == "****cdef"
    assert shown["consumer_secret"] == "****cdef"
    assert shown["site_url"] == "https://shop.example"


def test_a_channel_whose_type_is_gone_hides_every_known_secret() -> None:
    shown = masked("uninstalled", {"access_token": "shpat_0123456789", "shop_url": "https://x"})
    assert shown == {"access_token": "****6789", "shop_url": "https://x"}
