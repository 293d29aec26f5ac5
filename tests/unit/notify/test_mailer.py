"""Composing a message (pure: no server involved)."""

from __future__ import annotations

from podium.config import Settings
from podium.notify.mailer import Mailer


def test_a_message_has_text_then_html_and_a_message_id_on_the_senders_domain() -> None:
    mailer = Mailer(Settings(smtp_host="mail.example.com", smtp_from="Shop <orders@shop.example>"))
    message = mailer.compose(
        to="ann@example.com",
        subject="Order 1 confirmed",
        text="hello\n",
        html="<p>hello</p>",
        reply_to="help@shop.example",
    )
    assert message["From"] == "Shop <orders@shop.example>"
    assert message["Reply-To"] == "help@shop.example"
    assert message["Message-ID"].endswith("@shop.example>")
    assert message.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in message.iter_parts()] == ["text/plain", "text/html"]


def test_email_is_off_without_a_host() -> None:
    assert not Mailer(Settings()).enabled
    assert Mailer(Settings(smtp_host="mail.example.com")).enabled
