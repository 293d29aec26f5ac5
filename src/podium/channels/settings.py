"""The settings models of the built-in channel types (pure). Which fields are secrets, and
which model a type uses, each connector declares in its ``ConnectorSpec``."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
)

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
    # How the REST API key travels: "basic" (HTTP Basic, the default) or "query"
    # (``consumer_key``/``consumer_secret`` as query parameters, for servers that strip the
    # Authorization header). WooCommerce accepts either over HTTPS only.
    auth: Literal["basic", "query"] = "basic"

    _url = field_validator("site_url")(_base_url)

    @field_validator("auth")
    @classmethod
    def _query_auth_needs_https(cls, value: str, info: ValidationInfo) -> str:
        site = str(info.data.get("site_url") or "")
        if value == "query" and not site.startswith("https://"):
            raise ValueError(
                "query-string auth puts the API key in the URL: the site_url must be https://"
            )
        return value


class AmazonSettings(SettingsBase):
    endpoint: str = Field(min_length=8, max_length=500)
    access_token: str = Field(min_length=1, max_length=2000)
    seller_id: IdString = Field(min_length=1, max_length=100)
    marketplace_id: str = Field(min_length=1, max_length=100)
    product_type: str = Field(default="PRODUCT", min_length=1, max_length=100)

    _url = field_validator("endpoint")(_base_url)


class PlainSettings(SettingsBase):
    """A channel type without a connector (manual, POS, CSV)."""
