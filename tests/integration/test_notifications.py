"""Customer e-mails over a real SMTP server (aiosmtpd): what is sent, when, and only once."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from typing import Any

import pytest
from typer.testing import CliRunner

from notify_fakes import Inbox, drain, free_port, mailing_podium, parts, smtp_server
from podium.bootstrap import Podium, bootstrap
from podium.cli import app as cli
from podium.config import Settings
from podium.events import service as events
from podium.notify import Mailer, MailServerDown
from support import Api, order_body, seed_store


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    with smtp_server() as server:
        yield server


@pytest.fixture
def podium(database_url: str, smtp: tuple[Inbox, int]) -> Iterator[Podium]:
    with mailing_podium(database_url, smtp[1], smtp_from="Acme Shop <shop@acme.example>") as made:
        yield made


def _order(api: Api, **extra: Any) -> Any:
    seed_store(api, {("TEE", "EAST"): 5})
    return api.ok("post", "/orders", order_body([("TEE", 2)], external_id="1001", **extra))


def test_an_order_confirmation_is_sent_with_text_and_html_parts(
    api: Api, podium: Podium, smtp: tuple[Inbox, int]
) -> None:
    inbox, _ = smtp
    order = _order(api)
    drain(podium)

    assert len(inbox.messages) == 1
    message = inbox.messages[0]
    assert inbox.recipients[0] == ["ann@example.com"]
    assert message["To"] == "ann@example.com"
    assert message["From"] == "Acme Shop <shop@acme.example>"
    assert message["Subject"] == f"Order {order['number']} confirmed"
    assert message.get_content_type() == "multipart/alternative"
    body = parts(message)
    assert set(body) == {"plain", "html"}
    assert order["number"] in body["plain"] and "Ann Example" in body["plain"]
    assert "<strong>" + order["number"] + "</strong>" in body["html"]


def test_the_shipped_email_has_the_tracking_link_and_is_on_the_timeline(
    api: Api, podium: Podium, smtp: tuple[Inbox, int]
) -> None:
    inbox, _ = smtp
    order = _order(api)
    shipment = order["shipments"][0]["id"]
    link = "https://track.example.com/1Z999?ref=podium&lang=en"
    api.ok(
        "post",
        f"/shipments/{shipment}/ship",
        {"tracking_number": "1Z999", "carrier": "ups", "tracking_url": link},
    )
    drain(podium)

    shipped = [m for m in inbox.messages if "shipped" in m["Subject"]]
    assert len(shipped) == 1
    body = parts(shipped[0])
    assert link in body["plain"]
    assert 'href="https://track.example.com/1Z999?ref=podium&amp;lang=en"' in body["html"]
    assert "1Z999" in body["plain"]

    sent = api.ok("get", f"/orders/{order['id']}/notifications")["items"]
    assert [(n["event_type"], n["template"]) for n in sent] == [
        ("order.created", "order_confirmation"),
        ("shipment.shipped", "shipment_shipped"),
    ]
    assert {n["to"] for n in sent} == {"ann@example.com"}
    assert sent[1]["message_id"] == shipped[0]["Message-ID"]
    timeline = api.ok("get", f"/orders/{order['id']}/timeline")["items"]
    entries = [e for e in timeline if e["type"] == "notification.sent"]
    assert len(entries) == 2
    assert entries[1]["data"]["to"] == "ann@example.com"
    assert entries[1]["data"]["message_id"] == shipped[0]["Message-ID"]
    assert entries[1]["data"]["template"] == "shipment_shipped"


def test_a_relay_redelivery_sends_nothing_twice(
    api: Api, podium: Podium, smtp: tuple[Inbox, int]
) -> None:
    inbox, _ = smtp
    order = _order(api)
    drain(podium)
    assert len(inbox.messages) == 1
    # The relay is at-least-once: hand every event to the subscriber again.
    created = events.list_events(podium.db, limit=50).items
    for view in created:
        assert view.status == "delivered"
        with podium.db.write() as conn:
            conn.exec_driver_sql(
                "UPDATE outbox SET status = 'pending', delivered_to = '[]' WHERE id = "
                + str(int(view.id))
            )
    drain(podium)

    assert len(inbox.messages) == 1
    assert len(api.ok("get", f"/orders/{order['id']}/notifications")["items"]) == 1
    timeline = api.ok("get", f"/orders/{order['id']}/timeline")["items"]
    assert sum(e["type"] == "notification.sent" for e in timeline) == 1


def test_an_email_sent_again_after_a_crash_before_its_record_keeps_its_message_id(
    api: Api, podium: Podium, smtp: tuple[Inbox, int]
) -> None:
    """kill -9 between the SMTP hand-off and the record (found by tests/chaos): the relay
    sends the e-mail again, with the same Message-ID, so the customer's mail shows it once."""
    inbox, _ = smtp
    order = _order(api)
    drain(podium)
    with podium.db.write() as conn:  # the crash: sent, but neither recorded nor acknowledged
        conn.exec_driver_sql("DELETE FROM notifications")
        conn.exec_driver_sql("UPDATE outbox SET status = 'pending', delivered_to = '[]'")
    drain(podium)

    first, again = inbox.messages
    assert first["Message-ID"] == again["Message-ID"]
    assert order["id"] in first["Message-ID"] and first["Message-ID"].endswith("@acme.example>")
    sent = api.ok("get", f"/orders/{order['id']}/notifications")["items"]
    assert [n["message_id"] for n in sent] == [first["Message-ID"]]


def test_a_cancellation_email_escapes_what_the_customer_typed(
    api: Api, podium: Podium, smtp: tuple[Inbox, int]
) -> None:
    inbox, _ = smtp
    evil = '<img src=x onerror="alert(1)">'
    order = _order(api, customer={"email": "ann@example.com", "name": evil})
    api.ok("post", f"/orders/{order['id']}/cancel", {})
    drain(podium)

    cancelled = [m for m in inbox.messages if "cancelled" in m["Subject"]]
    assert len(cancelled) == 1
    html = parts(cancelled[0])["html"]
    assert evil not in html
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in html


def test_a_channel_brands_its_emails_and_can_override_a_template(
    api: Api, podium: Podium, smtp: tuple[Inbox, int]
) -> None:
    inbox, _ = smtp
    api.ok(
        "post",
        "/channels",
        {
            "code": "pos",
            "name": "Shop floor",
            "type": "pos",
            "settings": {
                "notifications": {
                    "brand": "Acme Outlet",
                    "from": "Acme Outlet <outlet@acme.example>",
                    "templates": {"order_confirmation.subject.txt": "Receipt {{ order.number }}"},
                }
            },
        },
    )
    seed_store(api, {("TEE", "EAST"): 5})
    order = api.ok("post", "/orders", order_body([("TEE", 1)], channel="pos", external_id="p1"))
    drain(podium)

    assert len(inbox.messages) == 1
    message = inbox.messages[0]
    assert message["Subject"] == f"Receipt {order['number']}"
    assert message["From"] == "Acme Outlet <outlet@acme.example>"
    assert "Acme Outlet" in parts(message)["html"]


def test_an_order_without_an_email_address_gets_no_email(
    api: Api, podium: Podium, smtp: tuple[Inbox, int]
) -> None:
    inbox, _ = smtp
    order = _order(api, customer={"name": "Walk-in"})
    drain(podium)
    assert inbox.messages == []
    assert api.ok("get", f"/orders/{order['id']}/notifications") == {"items": []}


def test_the_preview_renders_without_sending_and_bad_input_is_4xx(
    api: Api, podium: Podium, smtp: tuple[Inbox, int]
) -> None:
    inbox, _ = smtp
    order = _order(api)
    preview = api.ok(
        "get", f"/orders/{order['id']}/notifications/preview?event=order.cancelled", role="support"
    )
    assert preview["subject"] == f"Order {order['number']} was cancelled"
    assert "Ann Example" in preview["text"] and "<!doctype html>" in preview["html"]
    assert inbox.messages == []

    bad = api.get(f"/orders/{order['id']}/notifications/preview?event=order.held")
    assert bad.status_code == 422
    assert bad.json()["error"]["code"] == "invalid_event_type"
    assert bad.json()["error"]["details"] == {"field": "event"}
    missing = api.get("/orders/ord_nope/notifications")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "order_not_found"
    assert api.get(f"/orders/{order['id']}/notifications", role="readonly").status_code == 200


def test_the_cli_sends_a_test_email_and_previews_one(
    api: Api,
    podium: Podium,
    smtp: tuple[Inbox, int],
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    inbox, port = smtp
    order = _order(api)
    monkeypatch.setenv("PODIUM_DATABASE_URL", database_url)
    monkeypatch.setenv("PODIUM_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("PODIUM_SMTP_PORT", str(port))
    runner = CliRunner()

    sent = runner.invoke(cli, ["notify", "test", "--to", "ops@acme.example"])
    assert sent.exit_code == 0, sent.output
    assert len(inbox.messages) == 1
    assert inbox.messages[0]["To"] == "ops@acme.example"
    assert inbox.messages[0]["Message-ID"] in sent.output.replace("\n", "")

    shown = runner.invoke(cli, ["notify", "preview", "shipment.shipped", "--order", order["id"]])
    assert shown.exit_code == 0, shown.output
    assert f"Subject: Order {order['number']} has shipped" in shown.output

    bad = runner.invoke(cli, ["notify", "test", "--to", "not-an-address"])
    assert bad.exit_code == 2
    monkeypatch.delenv("PODIUM_SMTP_HOST")
    off = runner.invoke(cli, ["notify", "test", "--to", "ops@acme.example"])
    assert off.exit_code == 2
    assert "PODIUM_SMTP_HOST" in off.output


def test_a_refused_recipient_is_on_the_timeline_and_not_retried(
    api: Api, podium: Podium, smtp: tuple[Inbox, int]
) -> None:
    inbox, _ = smtp
    order = _order(api, customer={"email": "bounce@example.com", "name": "Bo"})
    drain(podium)

    assert inbox.messages == []
    timeline = api.ok("get", f"/orders/{order['id']}/timeline")["items"]
    [failed] = [e for e in timeline if e["type"] == "notification.failed"]
    assert "bounce@example.com" in failed["message"] and "550" in failed["message"]
    assert events.event_counts(podium.db)["pending"] == 0


def test_while_the_mail_server_is_down_events_wait_and_are_sent_once_it_is_back(
    api: Api, database_url: str
) -> None:
    # A Podium of its own, whose mail server is on a port nobody listens on yet.
    port = free_port()
    p = bootstrap(
        Settings(database_url=database_url, smtp_host="127.0.0.1", smtp_port=port),
        migrate=False,
    )
    try:
        p.emailer.mailer.rest_seconds = 0
        seed_store(api, {("TEE", "EAST"): 5})
        order = api.ok("post", "/orders", order_body([("TEE", 1)], external_id="d1"))
        while p.relay.run_once():
            pass
        pending = events.list_events(p.db, status="pending").items
        # Later events of the order (the warehouse release, …) wait behind the failed one.
        [created] = [e for e in pending if e.type == "order.created"]
        assert "customer-email" in (created.last_error or "")
        with smtp_server(port) as (inbox, _):
            events.retry_event(p.db, created.id)
            while p.relay.run_once():
                pass
            assert len(inbox.messages) == 1
        assert len(api.ok("get", f"/orders/{order['id']}/notifications")["items"]) == 1
    finally:
        p.close()


def test_an_admin_can_send_a_test_email_through_the_api(
    api: Api, podium: Podium, smtp: tuple[Inbox, int]
) -> None:
    inbox, _ = smtp
    sent = api.post("/notifications/test", {"to": "Ops@Acme.example"})
    assert sent.status_code == 201, sent.text
    assert sent.json()["to"] == "ops@acme.example"
    assert inbox.messages[0]["Message-ID"] == sent.json()["message_id"]
    assert "test e-mail" in parts(inbox.messages[0])["plain"]

    bad = api.post("/notifications/test", {"to": "nobody"})
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_email"
    assert api.post("/notifications/test", {"to": "a@b.example"}, role="operator").status_code == (
        403
    )
    podium.emailer.mailer.port = free_port()  # nobody listens there
    down = api.post("/notifications/test", {"to": "ops@acme.example"})
    assert down.status_code == 503
    assert down.json()["error"]["code"] == "email_unavailable"
    podium.emailer.mailer.host = None
    off = api.post("/notifications/test", {"to": "ops@acme.example"})
    assert off.status_code == 409 and off.json()["error"]["code"] == "email_disabled"


def test_only_web_links_become_tracking_links(
    api: Api, podium: Podium, smtp: tuple[Inbox, int]
) -> None:
    inbox, _ = smtp
    order = _order(api)
    shipment = order["shipments"][0]["id"]
    api.ok(
        "post",
        f"/shipments/{shipment}/ship",
        {"tracking_number": "1Z1", "tracking_url": "javascript:alert(document.cookie)"},
    )
    drain(podium)
    shipped = next(m for m in inbox.messages if "shipped" in m["Subject"])
    body = parts(shipped)
    assert "javascript:" not in body["html"] and "javascript:" not in body["plain"]
    assert "1Z1" in body["plain"]


def test_a_broken_channel_template_is_reported_on_the_timeline_not_retried(
    api: Api, podium: Podium, smtp: tuple[Inbox, int]
) -> None:
    inbox, _ = smtp
    api.ok(
        "post",
        "/channels",
        {
            "code": "pos",
            "name": "Shop floor",
            "type": "pos",
            "settings": {"notifications": {"templates": {"order_confirmation.html": "{% if %}"}}},
        },
    )
    seed_store(api, {("TEE", "EAST"): 5})
    order = api.ok("post", "/orders", order_body([("TEE", 1)], channel="pos", external_id="b1"))
    drain(podium)

    assert inbox.messages == []
    assert events.event_counts(podium.db)["pending"] == 0
    timeline = api.ok("get", f"/orders/{order['id']}/timeline")["items"]
    [failed] = [e for e in timeline if e["type"] == "notification.failed"]
    assert "order_confirmation" in failed["message"]
    assert failed["data"]["to"] == "ann@example.com"
    preview = api.get(f"/orders/{order['id']}/notifications/preview?event=order.created")
    assert preview.status_code == 422 and preview.json()["error"]["code"] == "template_error"


def test_a_partly_shipped_order_cancelled_gets_a_partial_cancellation_email(
    api: Api, podium: Podium, smtp: tuple[Inbox, int]
) -> None:
    inbox, _ = smtp
    seed_store(api, {("TEE", "EAST"): 1, ("CAP", "WEST"): 1})
    order = api.ok("post", "/orders", order_body([("TEE", 1), ("CAP", 1)], external_id="p"))
    drain(podium)
    shipment = order["shipments"][0]["id"]
    api.ok("post", f"/shipments/{shipment}/ship", {}, "warehouse")
    api.ok("post", f"/orders/{order['id']}/cancel", {})
    drain(podium)

    subjects = [m["Subject"] for m in inbox.messages]
    assert f"Part of order {order['number']} was cancelled" in subjects
    assert f"Order {order['number']} was cancelled" not in subjects
    partial = next(m for m in inbox.messages if m["Subject"].startswith("Part of"))
    assert "1 × " in parts(partial)["plain"]


def test_a_mail_server_that_hangs_costs_one_timeout_then_sends_fail_fast_until_the_probe() -> None:
    with socket.create_server(("127.0.0.1", 0)) as silent:  # accepts, never greets
        port = silent.getsockname()[1]
        mailer = Mailer(Settings(smtp_host="127.0.0.1", smtp_port=port, smtp_timeout_seconds=0.2))
        message = mailer.compose(to="a@b.example", subject="s", text="t", html="<p>t</p>")
        started = time.monotonic()
        with pytest.raises(OSError):
            mailer.send(message)
        assert time.monotonic() - started < 1.0
        started = time.monotonic()
        with pytest.raises(MailServerDown):  # its circuit is open: not called
            mailer.send(message)
        assert time.monotonic() - started < 0.05
        assert mailer.breakers.states() == {f"127.0.0.1:{port}": "open"}
