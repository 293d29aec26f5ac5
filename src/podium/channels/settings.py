"""Channel settings, validated per connector type; secrets never leave Podium (pure)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, field_validator

from podium.errors import ValidationFailed
from podium.inventory.availability import Availability

__all__ = [
    "SECRET_FIELDS",
    "AmazonSettings",
    "IdString",
    "ShopifySettings",
    "WooCommerceSettings",
    "masked",
    "validate_settings",
]

# Every credential a connector holds. WooCommerce's consumer key is half of its API credential
# pair (it authenticates REST calls with the secret), so it is masked like the secret.
SECRET_FIELDS = frozenset(
    {
        "access_token",
        "consumer_key",
        "webhook_secret",
        "previous_webhook_secret",
        "consumer_secret",
        "refresh_token",
        "client_secret",
    }
)


def _id_text(value: Any) -> Any:
    """Platform ids arrive as numbers or strings; keep them as exact strings."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


IdString = Annotated[str, BeforeValidator(_id_text)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class _Base(_Strict):
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


class ShopifySettings(_Base):
    shop_url: str = Field(min_length=8, max_length=500)
    access_token: str = Field(min_length=1, max_length=500)
    webhook_secret: str = Field(min_length=1, max_length=500)
    previous_webhook_secret: str | None = Field(default=None, min_length=1, max_length=500)
    location_id: IdString = Field(min_length=1, max_length=200)
    api_version: str = Field(default="2024-04", pattern=r"^\d{4}-\d{2}$")

    _url = field_validator("shop_url")(_base_url)


class WooCommerceSettings(_Base):
    site_url: str = Field(min_length=8, max_length=500)
    consumer_key: str = Field(min_length=1, max_length=500)
    consumer_secret: str = Field(min_length=1, max_length=500)
    webhook_secret: str = Field(min_length=1, max_length=500)
    previous_webhook_secret: str | None = Field(default=None, min_length=1, max_length=500)

    _url = field_validator("site_url")(_base_url)


class AmazonSettings(_Base):
    endpoint: str = Field(min_length=8, max_length=500)
    access_token: str = Field(min_length=1, max_length=2000)
    seller_id: IdString = Field(min_length=1, max_length=100)
    marketplace_id: str = Field(min_length=1, max_length=100)
    product_type: str = Field(default="PRODUCT", min_length=1, max_length=100)

    _url = field_validator("endpoint")(_base_url)


class _Plain(_Base):
    pass


_BY_TYPE: dict[str, type[_Base]] = {
    "shopify": ShopifySettings,
    "woocommerce": WooCommerceSettings,
    "amazon": AmazonSettings,
    "manual": _Plain,
    "pos": _Plain,
    "csv": _Plain,
}


def validate_settings(channel_type: str, settings: dict[str, Any]) -> dict[str, Any]:
    """The settings as stored (defaults filled in), or 422 naming the field at fault."""
    model = _BY_TYPE.get(channel_type, _Plain)
    try:
        parsed = model.model_validate(settings)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(["settings", *(str(p) for p in first["loc"])])
        raise ValidationFailed(
            f"{field}: {first['msg']}.",
            code="invalid_settings",
            details={"field": field, "type": channel_type},
        ) from None
    return parsed.model_dump(mode="json", exclude_none=True)


def masked(settings: dict[str, Any]) -> dict[str, Any]:
    """Settings fit to show: every secret replaced by its last four characters."""
    out: dict[str, Any] = {}
    for key, value in settings.items():
        if key in SECRET_FIELDS and isinstance(value, str):
            out[key] = "****" + value[-4:] if len(value) > 8 else "****"
        else:
            out[key] = value
    return out


def typed(channel_type: str, settings: dict[str, Any]) -> Any:
    """The settings as their connector's model (for connectors)."""
    return _BY_TYPE.get(channel_type, _Plain).model_validate(settings)
