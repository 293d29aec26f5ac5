"""Every credential of every connector comes back masked."""

from __future__ import annotations

from podium.channels.settings import _BY_TYPE, SECRET_FIELDS, masked

_CREDENTIAL_WORDS = ("secret", "token", "key", "password")


def test_every_credential_field_of_every_connector_is_a_secret_field() -> None:
    for model in _BY_TYPE.values():
        for name in model.model_fields:
            if any(word in name for word in _CREDENTIAL_WORDS) and not name.endswith("_endpoint"):
                assert name in SECRET_FIELDS, f"{model.__name__}.{name} would be shown unmasked"


def test_woocommerce_consumer_key_is_masked_like_the_consumer_secret() -> None:
    shown = masked(
        {
            "site_url": "https://shop.example",
            "consumer_key": "ck_0123456789abcdef",
            "consumer_secret": "cs_0123456789abcdef",
        }
    )
    assert shown["consumer_key"] == "****cdef"
    assert shown["consumer_secret"] == "****cdef"
    assert shown["site_url"] == "https://shop.example"
