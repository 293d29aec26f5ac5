"""Variant option values (issue 17): ordered, named in lower-case words, at most three."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from podium.catalog import ProductIn, VariantPatch


def test_options_keep_their_order_and_lose_surrounding_spaces() -> None:
    made = ProductIn(
        sku="TEE-M", name="Tee", group="TEE", options={"Size": " M ", "colour": "Blue"}
    )
    assert made.options == {"size": "M", "colour": "Blue"}
    assert list(made.options) == ["size", "colour"]


def test_no_options_means_none() -> None:
    assert ProductIn(sku="MUG", name="Mug", options={}).options is None
    assert VariantPatch(group=None, options=None).options is None


@pytest.mark.parametrize(
    "options",
    [
        {"size": ""},
        {"size": "x" * 101},
        {"siz e": "M"},
        {"": "M"},
        {"a": "1", "b": "2", "c": "3", "d": "4"},
        {"size": "M", "SIZE": "L"},
    ],
)
def test_bad_options_are_refused(options: dict[str, str]) -> None:
    with pytest.raises(ValidationError) as caught:
        ProductIn(sku="TEE-M", name="Tee", group="TEE", options=options)
    assert caught.value.errors()[0]["loc"][0] == "options"


def test_a_group_is_a_code() -> None:
    with pytest.raises(ValidationError):
        VariantPatch(group="no spaces please", options=None)
