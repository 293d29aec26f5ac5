"""Channel tokens, carrier keys and gateway secrets are ciphertext in the database, plaintext
to Podium; rotation re-encrypts everything (plaintext rows too); a wrong key is a clear error
(both engines)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from channel_support import SECRET, post_webhook, shopify_order
from podium.access.service import create_key
from podium.api.app import create_app
from podium.bootstrap import Podium, bootstrap
from podium.config import Settings
from podium.db.secret_rotation import rotate_secrets
from podium.db.secrets import KEYS_SETTING, PREFIX, new_key, use_keys
from podium.db.tables import fulfilment_settings, webhook_subscriptions
from podium.geo.geocoder import default_geocoder
from support import Api, seed_store

OLD, NEW = new_key(), new_key()
TOKEN = "shpat_token_0123456789"
EP_KEY = "EZTK_test_key_9876"
STRIPE_KEY = "sk_test_abcdef123456"


@pytest.fixture
def keyed(database_url: str) -> Iterator[tuple[Podium, Api]]:
    podium = bootstrap(
        Settings(database_url=database_url, encryption_keys=(OLD,)), geocoder=default_geocoder()
    )
    keys = {"admin": create_key(podium.db, "test admin", "admin")[1]}
    try:
        with TestClient(
            create_app(podium, run_relay=False), raise_server_exceptions=False
        ) as client:
            yield podium, Api(client, keys)
    finally:
        podium.close()
        use_keys(())


def _configure(api: Api) -> None:
    api.ok(
        "post",
        "/channels",
        {
            "code": "shop",
            "name": "Shop",
            "type": "shopify",
            "settings": {
                "shop_url": "https://shop.example.com",
                "access_token": TOKEN,
                "webhook_secret": SECRET,
                "location_id": "1001",
            },
        },
    )
    api.ok(
        "post",
        "/carriers",
        {"code": "ep", "type": "easypost", "api_key": EP_KEY, "webhook_secret": SECRET},
    )
    r = api.client.put(
        "/api/v1/payments/gateways/stripe",
        json={"type": "stripe", "secret_key": STRIPE_KEY, "webhook_secret": "whsec_abc123456"},
        headers=api.headers(),
    )
    assert r.status_code < 300, r.text


def _raw(podium: Podium) -> dict[str, dict[str, Any]]:
    """The settings documents as the database holds them, bypassing Podium's column types."""
    found = {}
    with podium.db.engine.connect() as conn:
        for table, code in (
            ("channels", "shop"),
            ("carrier_accounts", "ep"),
            ("payment_gateways", "stripe"),
        ):
            query = sa.text(f"SELECT settings FROM {table} WHERE code = :code")
            value = conn.execute(query, {"code": code}).scalar_one()
            found[table] = json.loads(value) if isinstance(value, str) else value
    return found


def test_secrets_are_ciphertext_in_the_database_and_plaintext_to_podium(
    keyed: tuple[Podium, Api],
) -> None:
    podium, api = keyed
    seed_store(api, {("TEE", "EAST"): 5})
    _configure(api)
    raw = _raw(podium)
    for doc in raw.values():
        for field in ("access_token", "webhook_secret", "api_key", "secret_key"):
            if field in doc:
                assert doc[field].startswith(PREFIX), (field, doc)
    text = json.dumps(raw)
    assert TOKEN not in text and EP_KEY not in text and STRIPE_KEY not in text
    assert SECRET not in text
    assert raw["channels"]["shop_url"] == "https://shop.example.com"  # the rest stays readable
    # Podium reads plaintext: the masked views end like the real secrets, and a webhook
    # signed with the real secret is accepted.
    shown = api.ok("get", "/channels/shop")["settings"]
    assert shown["access_token"] == "****" + TOKEN[-4:]
    assert api.ok("get", "/carriers")["items"][-1]["api_key"] == "****" + EP_KEY[-4:]
    payload = shopify_order(7001, [("TEE", 1, "19.99")])
    r = post_webhook(api, "shop", "orders/create", payload, delivery_id="d1")
    assert r.status_code < 300, r.text


def test_rotation_reencrypts_with_the_new_key_and_encrypts_old_plaintext_rows(
    keyed: tuple[Podium, Api],
) -> None:
    podium, api = keyed
    _configure(api)
    # A channel saved before encryption was configured: its token is plaintext.
    plain = {**_raw(podium)["channels"], "access_token": TOKEN, "webhook_secret": SECRET}
    with podium.db.engine.begin() as conn:
        conn.execute(
            sa.text("UPDATE channels SET settings = :s WHERE code = 'shop'"),
            {"s": json.dumps(plain)},
        )
    assert api.ok("get", "/channels/shop")["settings"]["access_token"] == "****" + TOKEN[-4:]
    before = _raw(podium)

    use_keys([NEW, OLD])
    done = rotate_secrets(podium.db)
    assert done["channels.settings"] >= 1 and done["carrier_accounts.settings"] == 1
    after = _raw(podium)
    assert after["channels"]["access_token"].startswith(PREFIX)
    assert after["carrier_accounts"]["api_key"] != before["carrier_accounts"]["api_key"]

    use_keys([NEW])  # the old key can go now
    assert api.ok("get", "/channels/shop")["settings"]["access_token"] == "****" + TOKEN[-4:]
    assert api.ok("get", "/carriers")["items"][-1]["api_key"] == "****" + EP_KEY[-4:]


def test_a_wrong_key_is_a_clear_error_naming_the_setting(keyed: tuple[Podium, Api]) -> None:
    _, api = keyed
    _configure(api)
    use_keys([NEW])
    r = api.get("/channels/shop")
    assert r.status_code == 500
    error = r.json()["error"]
    assert error["code"] == "encryption_key_mismatch"
    assert KEYS_SETTING in error["message"]
    assert TOKEN not in r.text


def test_webhook_subscription_secrets_are_encrypted_and_survive_key_rotation(
    keyed: tuple[Podium, Api],
) -> None:
    podium, api = keyed
    hook = api.ok(
        "post", "/webhooks", {"url": "https://hooks.example.com/podium", "event_types": ["*"]}
    )
    rotated = api.ok(
        "post", f"/webhooks/{hook['id']}/rotate-secret", {"previous_valid_for_seconds": 3600}
    )
    query = sa.text("SELECT secret, previous_secret FROM webhook_subscriptions WHERE id = :id")
    with podium.db.engine.connect() as conn:
        secret, previous = conn.execute(query, {"id": hook["id"]}).one()
    assert secret.startswith(PREFIX) and previous.startswith(PREFIX)
    assert rotated["secret"] not in secret and hook["secret"] not in previous

    use_keys([NEW, OLD])
    assert rotate_secrets(podium.db)["webhook_subscriptions.secret"] == 1
    use_keys([NEW])
    with podium.db.engine.connect() as conn:
        row = conn.execute(
            sa.select(
                webhook_subscriptions.c.secret, webhook_subscriptions.c.previous_secret
            ).where(webhook_subscriptions.c.id == hook["id"])
        ).one()
    assert (row.secret, row.previous_secret) == (rotated["secret"], hook["secret"])


def test_a_warehouse_handoff_secret_is_encrypted_and_survives_key_rotation(
    keyed: tuple[Podium, Api],
) -> None:
    podium, api = keyed
    seed_store(api, {})
    secret = "wms-signing-secret-0123456789"
    body = {
        "handoff": "webhook",
        "handoff_url": "https://wms.example.com/in",
        "handoff_secret": secret,
    }
    r = api.client.put("/api/v1/warehouses/EAST/fulfillment", json=body, headers=api.headers())
    assert r.status_code < 300, r.text
    query = sa.text("SELECT handoff_secret FROM fulfilment_settings WHERE warehouse = 'EAST'")
    with podium.db.engine.connect() as conn:
        stored = conn.execute(query).scalar_one()
    assert stored.startswith(PREFIX) and secret not in stored
    assert secret not in r.text  # masked in answers

    use_keys([NEW, OLD])
    assert rotate_secrets(podium.db)["fulfilment_settings.handoff_secret"] == 1
    use_keys([NEW])
    with podium.db.engine.connect() as conn:
        row = conn.execute(
            sa.select(fulfilment_settings.c.handoff_secret).where(
                fulfilment_settings.c.warehouse == "EAST"
            )
        ).one()
    assert row.handoff_secret == secret
