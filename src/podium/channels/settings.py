"""The settings models of the built-in channel types (pure). Which fields are secrets, and
which model a type uses, each connector declares in its ``ConnectorSpec``."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationInfo,
    field_validator,
    model_validator,
)

from podium.inventory import Availability

__all__ = [
    "LWA_TOKEN_URL",
    "SHOPIFY_API_VERSION",
    "SHOPIFY_OLDEST_SUPPORTED",
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
    # Refunds and cancellations made in Podium are made on the platform too (issue 14).
    push_refunds: bool = True
    push_cancellations: bool = True
    # Issue 14: the platform's locations whose sales were handed over outside Podium's
    # warehouses, mapped to the Podium warehouse whose stock they sold: a Shopify POS store
    # (its location id) or the channel's own fulfilment network (key ``by_channel``, e.g.
    # Amazon FBA stock kept as a Podium warehouse). An unmapped store location holds the order.
    locations: dict[IdString, str] = Field(default_factory=dict, max_length=500)
    # Issue 17: the language of the shopper's pages and e-mails (podium.shopper.LOCALES).
    locale: Literal["en", "de", "fr", "es"] = "en"

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


# The Admin API version Podium's Shopify documents are written for, and the oldest one Shopify
# still serves (it answers an older request with the oldest supported version anyway).
SHOPIFY_API_VERSION = "2026-04"
SHOPIFY_OLDEST_SUPPORTED = "2025-07"


class ShopifySettings(SettingsBase):
    shop_url: str = Field(min_length=8, max_length=500)
    access_token: str = Field(min_length=1, max_length=500)
    webhook_secret: str = Field(min_length=1, max_length=500)
    previous_webhook_secret: str | None = Field(default=None, min_length=1, max_length=500)
    location_id: IdString = Field(min_length=1, max_length=200)
    api_version: str = Field(default=SHOPIFY_API_VERSION, pattern=r"^\d{4}-\d{2}$")

    _url = field_validator("shop_url")(_base_url)
    _upgraded_from: str | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _supported_version(self) -> ShopifySettings:
        """A version Shopify no longer serves (stored before Podium moved on) is read as the
        one Podium's documents are written for; ``notes`` says so."""
        if self.api_version < SHOPIFY_OLDEST_SUPPORTED:
            self._upgraded_from = self.api_version
            self.api_version = SHOPIFY_API_VERSION
        return self

    def notes(self) -> list[str]:
        if self._upgraded_from is None:
            return []
        return [
            f"Shopify API version {self._upgraded_from} is no longer supported "
            f"(Shopify serves {SHOPIFY_OLDEST_SUPPORTED} or later): Podium uses "
            f"{SHOPIFY_API_VERSION}. Save the settings to store it."
        ]


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
