"""Payment gateway accounts (Stripe): configured through the API and the CLI, secrets masked.

A channel uses an account by naming its code: ``{"payment": {"gateway": "<code>",
"capture": …}}`` in the channel's settings.
"""

from __future__ import annotations

from typing import Any, Literal

import sqlalchemy as sa
from pydantic import BaseModel, Field, StrictBool

from podium.db.database import Database
from podium.errors import NotFound, ValidationFailed
from podium.payments import _store as store
from podium.validation import Code, Input

__all__ = [
    "GatewayIn",
    "GatewayView",
    "gateway_account",
    "list_gateways",
    "mask",
    "put_gateway",
]

BUILT_IN = frozenset({"manual"})
SECRETS = ("secret_key", "webhook_secret")


def mask(value: str | None) -> str | None:
    """A secret fit to show: its last four characters."""
    if not value:
        return None
    return "****" + value[-4:] if len(value) > 8 else "****"


class GatewayIn(Input):
    type: Literal["stripe"] = "stripe"
    secret_key: str | None = Field(
        default=None,
        min_length=8,
        max_length=500,
        pattern=r"^(sk|rk)_\S+$",
        description="The Stripe secret (sk_…) or restricted (rk_…) key. Kept when omitted.",
    )
    webhook_secret: str | None = Field(
        default=None,
        min_length=8,
        max_length=500,
        pattern=r"^whsec_\S+$",
        description="The webhook endpoint's signing secret (whsec_…). Kept when omitted.",
    )
    base_url: str | None = Field(
        default=None, max_length=500, pattern=r"^https?://\S+$", description="Tests only."
    )
    active: StrictBool = True


class GatewayView(BaseModel):
    code: str
    type: str
    secret_key: str | None  # masked
    webhook_secret: str | None  # masked
    base_url: str | None
    active: bool
    webhook_path: str


def _view(row: sa.RowMapping) -> GatewayView:
    s = row["settings"]
    return GatewayView(
        code=row["code"],
        type=row["type"],
        secret_key=mask(s.get("secret_key")),
        webhook_secret=mask(s.get("webhook_secret")),
        base_url=s.get("base_url"),
        active=row["active"],
        webhook_path=f"/api/v1/payments/gateways/{row['code']}/webhooks",
    )


def put_gateway(db: Database, code: Code, data: GatewayIn) -> GatewayView:
    """Create or change a gateway account; a secret not given keeps its stored value."""
    if code in BUILT_IN:
        raise ValidationFailed(
            f"{code} is a built-in gateway.", code="reserved_gateway", details={"field": "code"}
        )
    with db.write() as conn:
        row = store.gateway_account(conn, code)
        settings: dict[str, Any] = dict(row["settings"]) if row is not None else {}
        for name in (*SECRETS, "base_url"):
            value = getattr(data, name)
            if value is not None:
                settings[name] = value
        for name in SECRETS:
            if not settings.get(name):
                raise ValidationFailed(
                    f"A Stripe account needs {name}.",
                    code="missing_credentials",
                    details={"field": name},
                )
        store.put_gateway_account(
            conn, {"code": code, "type": data.type, "settings": settings, "active": data.active}
        )
        saved = store.gateway_account(conn, code)
    if saved is None:
        raise RuntimeError(f"gateway {code} not found after it was saved")
    return _view(saved)


def list_gateways(db: Database) -> list[GatewayView]:
    with db.read() as conn:
        return [_view(r) for r in store.gateway_accounts(conn)]


def gateway_account(db: Database, code: str) -> sa.RowMapping:
    """The stored account (settings unmasked: for the webhook check), or 404."""
    with db.read() as conn:
        row = store.gateway_account(conn, code)
    if row is None:
        raise NotFound(f"No payment gateway {code}.", code="gateway_not_found")
    return row
