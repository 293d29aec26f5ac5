"""The settings models of the built-in channel types (pure). Which fields are secrets, and
which model a type uses, each connector declares in its ``ConnectorSpec``."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from podium.inventory import Availability

__all__ = [
    "AmazonSettings",
    "IdString",
    "PlainSettings",
    "SettingsBase",
    "ShopifySettings",
    "WooCommerceSettings",
]


def _id_text(value: Any) -> Any:
    """Platform ids arrive as numbers or strings; keep them as exact strings."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


IdString = Annotated[str, BeforeValidator(_id_text)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class SettingsBase(_Strict):
    """What every channel's settings may hold besides its connector's own fields."""

    availability: Availability = Field(default_factory=Availability)
    # Sections other capabilities own and check themselves: customer e-mails (notify/), the
    # capture policy (payments/) and the return policy (returns/).
    notifications: dict[str, Any] | None = None
    payment: dict[str, Any] | None = None
    returns: dict[str, Any] | None = None
    # Issue 14: the platform's locations whose sales were handed over outside Podium's
    # warehouses, mapped to the Podium warehouse whose stock they sold: a Shopify POS store
    # (its location id) or the channel's own fulfilment network (key ``by_channel``, e.g.
    # Amazon FBA stock kept as a Podium warehouse). An unmapped store location holds the order.
    locations: dict[IdString, str] = Field(default_factory=dict, max_length=500)

    @field_validator("locations")
    @classmethod
    def _location_codes(cls, value: dict[str, str]) -> dict[str, str]:
        for key, code in value.items():
            if not key.strip() or not code.strip() or len(key) > 200 or len(code) > 64:
                raise ValueError("maps a platform location id to a warehouse code")
        return {k.strip(): c.strip() for k, c in value.items()}


def _base_url(value: str) -> str:
    if not value.startswith(("http://", "https://")):
        raise ValueError("must be an http(s) URL")
    return value.rstrip("/")


class ShopifySettings(SettingsBase):
    shop_url: str = Field(min_length=8, max_length=500)
    access_token: str = Field(min_length=1, max_length=500)
    webhook_secret: str = Field(min_length=1, max_length=500)
    previous_webhook_secret: str | None = Field(default=None, min_length=1, max_length=500)
    location_id: IdString = Field(min_length=1, max_length=200)
    api_version: str = Field(default="2024-04", pattern=r"^\d{4}-\d{2}$")

    _url = field_validator("shop_url")(_base_url)


class WooCommerceSettings(SettingsBase):
    site_url: str = Field(min_length=8, max_length=500)
    consumer_key: str = Field(min_length=1, max_length=500)
    consumer_secret: str = Field(min_length=1, max_length=500)
    webhook_secret: str = Field(min_length=1, max_length=500)
    previous_webhook_secret: str | None = Field(default=None, min_length=1, max_length=500)

    _url = field_validator("site_url")(_base_url)


class AmazonSettings(SettingsBase):
    endpoint: str = Field(min_length=8, max_length=500)
    access_token: str = Field(min_length=1, max_length=2000)
    seller_id: IdString = Field(min_length=1, max_length=100)
    marketplace_id: str = Field(min_length=1, max_length=100)
    product_type: str = Field(default="PRODUCT", min_length=1, max_length=100)

    _url = field_validator("endpoint")(_base_url)


class PlainSettings(SettingsBase):
    """A channel type without a connector (manual, POS, CSV)."""
