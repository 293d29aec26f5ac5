"""The settings models of the built-in channel types (pure). Which fields are secrets, and
which model a type uses, each connector declares in its ``ConnectorSpec``."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from podium.inventory import Availability

__all__ = [
    "LWA_TOKEN_URL",
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

    _url = field_validator("site_url")(_base_url)


LWA_TOKEN_URL = "https://api.amazon.com/auth/o2/token"


class AmazonSettings(SettingsBase):
    """Login with Amazon: the app's ``client_id``/``client_secret`` and the seller's
    ``refresh_token`` are exchanged at ``token_endpoint`` for hour-long access tokens. A fixed
    ``access_token`` (how channels were set up before) is still read from channels that have
    one, but a new channel must sign in with Login with Amazon."""

    endpoint: str = Field(min_length=8, max_length=500)
    token_endpoint: str = Field(default=LWA_TOKEN_URL, min_length=8, max_length=500)
    client_id: str | None = Field(default=None, min_length=1, max_length=500)
    client_secret: str | None = Field(default=None, min_length=1, max_length=500)
    refresh_token: str | None = Field(default=None, min_length=1, max_length=2000)
    access_token: str | None = Field(default=None, min_length=1, max_length=2000)
    seller_id: IdString = Field(min_length=1, max_length=100)
    marketplace_id: str = Field(min_length=1, max_length=100)
    product_type: str = Field(default="PRODUCT", min_length=1, max_length=100)

    _url = field_validator("endpoint", "token_endpoint")(_base_url)

    @property
    def uses_lwa(self) -> bool:
        return bool(self.client_id and self.client_secret and self.refresh_token)

    @model_validator(mode="after")
    def _credentials(self, info: ValidationInfo) -> AmazonSettings:
        lwa = (self.client_id, self.client_secret, self.refresh_token)
        if any(lwa) and not all(lwa):
            missing = next(n for n, v in zip(_LWA_FIELDS, lwa, strict=True) if not v)
            raise ValueError(f"{missing} is needed with the other Login with Amazon settings")
        # Reading a stored channel (no context), or one that had a fixed token: it may stay.
        context = info.context
        kept = context is None or bool((context.get("previous") or {}).get("access_token"))
        if not self.uses_lwa and not (kept and self.access_token):
            raise ValueError(
                "client_id, client_secret and refresh_token (Login with Amazon) are required"
            )
        return self


_LWA_FIELDS = ("client_id", "client_secret", "refresh_token")


class PlainSettings(SettingsBase):
    """A channel type without a connector (manual, POS, CSV)."""
