"""Stripe accounts and label formats from the command line (issue 14, items 17 and 19)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from podium.cli import app
from support import Api, seed_store


def test_a_stripe_account_is_configured_from_the_cli_with_its_secrets_masked(
    api: Api, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PODIUM_DATABASE_URL", database_url)
    monkeypatch.setenv("PODIUM_STRIPE_SECRET_KEY", "sk_test_from_the_environment_1234")
    runner = CliRunner()
    made = runner.invoke(
        app, ["payments", "gateway", "stripe", "--webhook-secret", "whsec_cli_secret_5678"]
    )
    assert made.exit_code == 0, made.output
    assert "****1234" in made.output and "****5678" in made.output
    assert "sk_test_from" not in made.output and "whsec_cli" not in made.output
    assert "/api/v1/payments/gateways/stripe/webhooks" in made.output
    listed = runner.invoke(app, ["payments", "gateways"])
    assert listed.exit_code == 0 and "stripe  stripe  active" in listed.output
    bad = runner.invoke(app, ["payments", "gateway", "other", "--secret-key", "not-a-key"])
    assert bad.exit_code != 0 and "Traceback" not in bad.output
    [view] = api.ok("get", "/payments/gateways")["items"]
    assert view["secret_key"] == "****1234"


def test_a_warehouse_printer_format_is_set_from_the_cli(
    api: Api, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PODIUM_DATABASE_URL", database_url)
    seed_store(api, {("TEE", "EAST"): 1})
    changed = CliRunner().invoke(app, ["warehouse", "settings", "EAST", "--label-format", "zpl"])
    assert changed.exit_code == 0 and "label_format: ZPL" in changed.output
    assert api.ok("get", "/warehouses/EAST/fulfillment")["label_format"] == "ZPL"
