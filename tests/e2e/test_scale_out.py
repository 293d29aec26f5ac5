"""Scale-out, shown (issue 19): two ``podium serve`` processes on their own ports, as if on
separate machines, and two ``podium worker`` relays on one PostgreSQL, loaded through REST
orders, Shopify webhooks and the CLI's import at once. Nothing is oversold, no order exists
twice, every event is handled once and the stock doctor (``GET /api/v1/doctor``, what
``podium doctor`` runs) finds the ledger clean."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import reset_postgres
from fakes.channels.shopify import FakeShopify
from notify_fakes import webhook_receiver
from scale_support import HOT_STOCK, cluster, load, prove, seed, settle


@pytest.mark.slow
def test_two_api_processes_and_two_workers_on_one_postgres_oversell_and_repeat_nothing(
    postgres_url: str, tmp_path: Path
) -> None:
    reset_postgres(postgres_url)
    with (
        FakeShopify(token="tok-scale") as shop,
        webhook_receiver() as receiver,
        cluster(postgres_url, tmp_path, apis=2, workers=2) as c,
    ):
        skus = seed(c, shop, receiver, skus=3)
        sent = load(c, skus, orders=56, threads=6, csv_orders=10)
        counts = settle(c, receiver)
        proof = prove(c, receiver, counts)

    assert not sent.errors, sent.errors
    assert sent.statuses["cli exit 0"] == 1
    # Every order meant to exist exists once, however many processes it was sent to.
    hot_refused = sent.statuses["rest 409"] + sent.statuses["webhook 409"]
    assert proof.duplicate_orders == 0
    assert proof.orders <= len(sent.external_ids)
    assert proof.orders + hot_refused >= len(sent.external_ids) - 1
    # HOT ran out: Podium's own orders were refused, never oversold (platform orders for it,
    # already sold there, wait as backorders without a reservation).
    assert sent.statuses["rest 409"] > 0
    assert proof.hot_sold <= HOT_STOCK == proof.hot_on_hand
    assert proof.hot_reserved <= HOT_STOCK
    # Every event delivered, once: one order.created webhook per order, none repeated.
    assert proof.events.get("pending", 0) == 0 and proof.events.get("dead", 0) == 0
    assert proof.order_events == proof.orders
    assert proof.webhooks_received == proof.orders and proof.webhook_repeats == 0
    assert proof.doctor_ok, proof.doctor_output
