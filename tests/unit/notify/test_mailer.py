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


def test_a_message_key_makes_the_same_message_id_each_time_and_a_safe_one() -> None:
    mailer = Mailer(Settings(smtp_host="mail.example.com", smtp_from="Shop <orders@shop.example>"))

    def compose(key: str) -> str:
        made = mailer.compose(to="a@example.com", subject="s", text="t", html="h", message_key=key)
        return str(made["Message-ID"])

    assert compose("ord_1.42.order_confirmation") == "<ord_1.42.order_confirmation@shop.example>"
    assert compose("ord_1.42.order_confirmation") == compose("ord_1.42.order_confirmation")
    assert compose("ord_1.7.my template<x>") == "<ord_1.7.my-template-x-@shop.example>"


def test_email_is_off_without_a_host() -> None:
    assert not Mailer(Settings()).enabled
    assert Mailer(Settings(smtp_host="mail.example.com")).enabled
