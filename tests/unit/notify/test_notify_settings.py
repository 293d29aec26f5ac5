"""The PODIUM_SMTP_*, PODIUM_TEMPLATES_DIR and PODIUM_WEBHOOK* settings."""

from __future__ import annotations

import pytest

from podium.config import Settings


def test_email_and_webhook_settings_are_read_from_the_environment() -> None:
    s = Settings.from_env(
        {
            "PODIUM_SMTP_HOST": "mail.example.com",
            "PODIUM_SMTP_PORT": "587",
            "PODIUM_SMTP_USERNAME": "podium",
            "PODIUM_SMTP_PASSWORD": "s3cret",
            "PODIUM_SMTP_STARTTLS": "yes",
            "PODIUM_SMTP_FROM": "Shop <orders@shop.example>",
            "PODIUM_TEMPLATES_DIR": "/etc/podium/templates",
            "PODIUM_WEBHOOKS_ALLOW_PRIVATE": "1",
            "PODIUM_WEBHOOK_MAX_ATTEMPTS": "3",
            "PODIUM_WEBHOOK_PAUSE_AFTER_FAILURES": "5",
            "PODIUM_WEBHOOK_PAUSE_AFTER_SECONDS": "60",
        }
    )
    assert (s.smtp_host, s.smtp_port, s.smtp_username, s.smtp_password) == (
        "mail.example.com",
        587,
        "podium",
        "s3cret",
    )
    assert s.smtp_starttls and s.webhooks_allow_private
    assert s.smtp_from == "Shop <orders@shop.example>"
    assert s.templates_dir == "/etc/podium/templates"
    assert (s.webhook_max_attempts, s.webhook_pause_after_failures) == (3, 5)
    assert s.webhook_pause_after_seconds == 60.0


def test_by_default_email_is_off_and_private_webhook_targets_are_refused() -> None:
    s = Settings.from_env({})
    assert s.smtp_host is None and not s.smtp_starttls and not s.webhooks_allow_private


@pytest.mark.parametrize("raw", ["maybe", "2", "y e s"])
def test_a_bad_switch_names_the_variable(raw: str) -> None:
    with pytest.raises(ValueError, match=r"^PODIUM_SMTP_STARTTLS must be"):
        Settings.from_env({"PODIUM_SMTP_STARTTLS": raw})
