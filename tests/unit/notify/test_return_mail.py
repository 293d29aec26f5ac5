"""Which return e-mails go out (pure part of notify/return_mail.py)."""

from __future__ import annotations

from podium.notify.return_mail import should_send


def test_a_request_email_goes_only_for_a_return_that_starts_as_a_request() -> None:
    assert should_send("return_requested", {"status": "requested"})
    assert not should_send("return_requested", {"status": "closed"})  # a channel's refund
    assert should_send("return_approved", {"status": "approved"})
