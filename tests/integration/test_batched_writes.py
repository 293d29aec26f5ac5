"""Batched inserts, raw hot-path statements and idle connection checks (db/batch, raw, engine)."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from podium.bootstrap import Podium
from podium.db import engine as engine_module
from podium.db.database import insert_many, utcnow
from podium.db.engine import build_engine
from podium.db.raw import array_literal, run_raw
from podium.db.secrets import PREFIX, new_key, use_keys
from podium.db.tables import (
    channels,
    counters,
    order_events,
    order_lines,
    orders,
    outbox,
    products,
    stock_levels,
    warehouses,
)
from support import Api, order_body, seed_store


def _channel_row(code: str) -> dict[str, object]:
    now = utcnow()
    return {
        "code": code,
        "name": code,
        "type": "manual",
        "warehouse_codes": None,
        "settings": {"k": [1, 2]},
        "active": True,
        "created_at": now,
        "updated_at": now,
    }


def _product_row(sku: str) -> dict[str, object]:
    now = utcnow()
    return {
        "sku": sku,
        "name": sku,
        "weight_grams": 1,
        "length_mm": None,
        "width_mm": None,
        "height_mm": None,
        "active": True,
        "created_at": now,
        "updated_at": now,
    }


def test_batched_inserts_land_together_at_commit(podium: Podium) -> None:
    with podium.db.write(batch_inserts=True) as conn:
        insert_many(conn, products, [_product_row("B-1"), _product_row("B-2")])
        insert_many(conn, channels, [_channel_row("c1")])
        insert_many(conn, products, [_product_row("B-3")])
    with podium.db.read() as conn:
        skus = conn.execute(sa.select(products.c.sku).order_by(products.c.sku)).scalars().all()
        settings = conn.execute(sa.select(channels.c.settings)).scalar_one()
    assert skus == ["B-1", "B-2", "B-3"]
    assert settings == {"k": [1, 2]}  # JSON columns keep their structure


def test_batched_rows_are_not_visible_before_the_commit_on_either_engine(podium: Podium) -> None:
    # Deferred on SQLite too, so code that reads back what it batched fails on the default engine.
    with podium.db.write(batch_inserts=True) as conn:
        insert_many(conn, products, [_product_row("L-1")])
        assert conn.execute(sa.select(sa.func.count()).select_from(products)).scalar_one() == 0
    with podium.db.read() as conn:
        assert conn.execute(sa.select(products.c.sku)).scalar_one() == "L-1"


def test_a_batch_may_add_children_before_their_parents(podium: Podium) -> None:
    # PostgreSQL checks foreign keys at the end of the one statement; SQLite gets parents first.
    now = utcnow()
    level = {"sku": "K-1", "warehouse": "W1", "on_hand": 3, "reserved": 0, "safety_stock": 0}
    with podium.db.write(batch_inserts=True) as conn:
        insert_many(conn, stock_levels, [{**level, "updated_at": now}])
        insert_many(conn, products, [_product_row("K-1")])
        insert_many(
            conn,
            warehouses,
            [
                {
                    "code": "W1",
                    "name": "W1",
                    "country": "US",
                    "priority": 0,
                    "active": True,
                    "created_at": now,
                    "updated_at": now,
                }
            ],
        )
    with podium.db.read() as conn:
        assert conn.execute(sa.select(stock_levels.c.on_hand)).scalar_one() == 3


def test_a_failing_batch_writes_nothing(podium: Podium) -> None:
    with pytest.raises(IntegrityError), podium.db.write(batch_inserts=True) as conn:
        insert_many(conn, channels, [_channel_row("c1")])
        insert_many(conn, products, [_product_row("DUP"), _product_row("DUP")])
    with podium.db.read() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(channels)).scalar_one() == 0
        assert conn.execute(sa.select(sa.func.count()).select_from(products)).scalar_one() == 0


def test_a_batched_secret_is_encrypted_like_any_other_write(podium: Podium) -> None:
    row = {**_channel_row("c1"), "settings": {"access_token": "shpat_secret", "shop": "a"}}
    use_keys([new_key()])
    try:
        with podium.db.write(batch_inserts=True) as conn:
            insert_many(conn, channels, [row])
        with podium.db.read() as conn:
            stored = conn.execute(sa.text("SELECT settings FROM channels")).scalar_one()
            read = conn.execute(sa.select(channels.c.settings)).scalar_one()
    finally:
        use_keys(())
    stored = json.loads(stored) if isinstance(stored, str) else stored
    assert stored["access_token"].startswith(PREFIX) and stored["shop"] == "a"
    assert read == {"access_token": "shpat_secret", "shop": "a"}


def test_an_order_placed_through_the_batch_has_every_row(api: Api, podium: Podium) -> None:
    seed_store(api, {("TEE", "EAST"): 5, ("CAP", "WEST"): 5})
    r = api.post("/orders", order_body([("TEE", 1), ("CAP", 2)], external_id="b-1"))
    assert r.status_code == 201, r.text
    order_id = r.json()["id"]
    with podium.db.read() as conn:
        assert conn.execute(sa.select(orders.c.number)).scalar_one() == r.json()["number"]
        lines = conn.execute(
            sa.select(order_lines.c.sku).where(order_lines.c.order_id == order_id)
        ).scalars()
        assert sorted(lines) == ["CAP", "TEE"]
        kinds = conn.execute(
            sa.select(order_events.c.type).where(order_events.c.order_id == order_id)
        ).scalars()
        assert "order.placed" in list(kinds)
    assert api.get("/doctor").json()["ok"] is True


def test_raw_statement_errors_are_sqlalchemy_errors(podium: Podium) -> None:
    if not podium.db.is_postgres:
        pytest.skip("raw statements are PostgreSQL's hot path")
    with pytest.raises(IntegrityError), podium.db.write() as conn:
        run_raw(conn, "INSERT INTO counters (name, value) VALUES ($1, $2)", ("x", 1))
        run_raw(conn, "INSERT INTO counters (name, value) VALUES ($1, $2)", ("x", 2))
    with podium.db.read() as conn:
        assert run_raw(conn, "SELECT count(*) FROM counters WHERE name = $1", ("x",)) == [(0,)]


def test_a_connection_that_died_while_idle_is_replaced_before_use(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not database_url.startswith("postgres"):
        pytest.skip("SQLite has no server connection to lose")
    monkeypatch.setattr(engine_module, "PING_AFTER_IDLE_SECONDS", 0.0)
    engine = build_engine(database_url, pool_size=1)
    killer = build_engine(database_url, pool_size=1)
    try:
        with engine.connect() as conn:
            pid = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar_one()
        with killer.connect() as conn:
            conn.exec_driver_sql(f"SELECT pg_terminate_backend({int(pid)})")
            conn.commit()
        with engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT 1").scalar_one() == 1
            assert conn.exec_driver_sql("SELECT pg_backend_pid()").scalar_one() != pid
    finally:
        engine.dispose()
        killer.dispose()


def test_array_literals_carry_any_text_and_numbers_exactly(podium: Podium) -> None:
    if not podium.db.is_postgres:
        pytest.skip("array literals are parameters of PostgreSQL's raw statements")
    texts = ["plain", 'quote"d', "back\\slash", "com,ma", "{brace}", "sp ace", "NULL", "", "é"]
    numbers = [0, -1, 2**31 - 1]
    with podium.db.write() as conn:
        row = run_raw(
            conn, "SELECT $1::text[], $2::int[]", (array_literal(texts), array_literal(numbers))
        )[0]
    assert row == (texts, numbers)


def test_json_with_non_string_keys_is_stored_as_the_standard_library_would(
    podium: Podium,
) -> None:
    with podium.db.write() as conn:
        conn.execute(
            outbox.insert().values(
                aggregate_type="t",
                aggregate_id="1",
                event_type="t",
                payload={1: "one", "nested": {"list": [1, 2.5, None, True]}},
                created_at=utcnow(),
                status="delivered",
                attempts=0,
                next_attempt_at=utcnow(),
                delivered_to=[],
            )
        )
    with podium.db.read() as conn:
        payload = conn.execute(sa.select(outbox.c.payload)).scalar_one()
    assert payload == {"1": "one", "nested": {"list": [1, 2.5, None, True]}}


def test_the_statement_cache_stays_bounded_whatever_the_batch_sizes(
    podium: Podium, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not podium.db.is_postgres:
        pytest.skip("only PostgreSQL's batches are cached statements")
    from podium.db import batch

    monkeypatch.setattr(batch, "_MAX_SHAPES", 8)
    for n in range(1, 21):  # twenty row counts: twenty shapes
        with podium.db.write(batch_inserts=True) as conn:
            insert_many(conn, counters, [{"name": f"c{n}-{i}", "value": i} for i in range(n)])
        assert len(batch._SQL) <= 8
    with podium.db.read() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(counters)).scalar_one() >= 210
