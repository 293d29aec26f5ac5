"""The event catalogue: every emitted event is a catalogue class, payloads keep their wire
keys, the webhook list and docs/webhooks.md come from it, and nothing is left out."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import podium.bootstrap as composition
from podium.events.catalogue import Event, catalogue, event_types, webhook_types
from podium.events.docs import with_event_section
from podium.events.relay import Registry
from podium.fulfillment.events import ShipmentShipped
from podium.inventory.events import InventoryChanged
from podium.notify.model import check_event_types
from podium.orders.events import OrderCreated, OrderHeld
from podium.returns.events import ReturnReceived
from podium.routing.events import OrderRerouted

ROOT = Path(__file__).resolve().parents[3]
SRC = ROOT / "src" / "podium"


def _podium_classes() -> dict[str, type[Event]]:
    return {t: c for t, c in catalogue().items() if c.__module__.startswith("podium.")}


def test_the_committed_webhook_docs_are_generated_from_the_catalogue() -> None:
    text = (ROOT / "docs" / "webhooks.md").read_text(encoding="utf-8")
    assert with_event_section(text, catalogue().values()) == text, (
        "docs/webhooks.md is stale: run .venv/bin/python scripts/webhook_docs.py"
    )


def test_the_webhook_list_is_every_webhook_visible_event_class() -> None:
    types = webhook_types()
    assert check_event_types(sorted(types)) == sorted(types)  # every one may be subscribed to
    assert {"order.edited", "order.rerouted", "payment.recorded", "exchange.created"} <= types
    assert not {"webhook.ping", "channel.listing_changed"} & types


def test_the_composition_root_loads_every_events_module() -> None:
    modules = {m.__name__ for m in composition.EVENT_MODULES}
    on_disk = {f"podium.{p.parent.name}.events" for p in SRC.glob("*/events.py")}
    assert modules == on_disk
    for name in on_disk:  # each owns its classes
        owned = [c for c in _podium_classes().values() if c.__module__ == name]
        assert owned, name
        assert importlib.import_module(name)


def _src_files() -> list[Path]:
    return [p for p in SRC.rglob("*.py") if "events" not in p.relative_to(SRC).parts[:1]]


def test_every_emit_site_uses_a_catalogue_class() -> None:
    """Outside podium.events nothing builds a raw outbox record."""
    for path in _src_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            name = node.id if isinstance(node, ast.Name) else getattr(node, "attr", None)
            assert name not in {"DomainEvent", "emit_records"}, f"{path}: raw outbox record"


def test_every_catalogue_class_is_emitted_somewhere() -> None:
    """Each class is named outside its own module (an emit site, a subscriber) or is a
    status event reached through its module's STATUS_EVENTS map, which an emit site uses."""
    texts = {p: p.read_text(encoding="utf-8") for p in _src_files()}
    texts.update({p: p.read_text(encoding="utf-8") for p in SRC.glob("*/events.py")})
    for cls in _podium_classes().values():
        own = SRC / cls.__module__.split(".")[1] / "events.py"
        named = any(cls.__name__ in t for p, t in texts.items() if p != own)
        module = importlib.import_module(cls.__module__)
        mapped = cls in getattr(module, "STATUS_EVENTS", {}).values() and any(
            "STATUS_EVENTS[" in t for p, t in texts.items() if p != own
        )
        assert named or mapped, f"{cls.__name__} ({cls.TYPE}) is never emitted"


def test_payloads_keep_their_wire_keys_in_order() -> None:
    assert list(
        OrderCreated(
            id="o", number="1", channel="web", status="ready", total="9.00", currency="EUR"
        ).payload()
    ) == ["id", "number", "channel", "status", "total", "currency"]
    assert OrderHeld(id="o", number="1", reason="backorder").payload() == {
        "id": "o",
        "number": "1",
        "reason": "backorder",
    }
    assert OrderHeld(id="o", number="1", reason="routing", queue="vip").payload()["queue"] == "vip"
    rerouted = OrderRerouted(
        id="o", number="1", from_="EAST", reason="r", cancelled_shipment="s", shipments=["t"]
    )
    assert list(rerouted.payload()) == [
        "id",
        "number",
        "from",
        "reason",
        "cancelled_shipment",
        "shipments",
    ]
    shipped = ShipmentShipped(
        id="o",
        number="1",
        shipment_id="s",
        from_="packed",
        extra={"carrier": "ups"},
        order_id="o",
        warehouse="EAST",
        status="shipped",
        tracking_number="1Z",
    )
    assert list(shipped.payload()) == [
        "id",
        "number",
        "shipment_id",
        "from",
        "carrier",
        "order_id",
        "warehouse",
        "status",
        "tracking_number",
    ]
    received = ReturnReceived(id="o", number="1", return_id="r", order_id="o", status="received")
    assert list(received.payload()) == ["id", "number", "return_id", "order_id", "status"]
    level = InventoryChanged(
        sku="TEE", warehouse="EAST", on_hand=3, reserved=1, available=2, movements=["pick"]
    )
    assert (level.AGGREGATE, level.aggregate_id(), level.TYPE) == (
        "sku",
        "TEE",
        "inventory.changed",
    )


def test_subscribers_name_classes_and_the_relay_matches_their_wire_types() -> None:
    registry = Registry()
    registry.subscribe("spy", lambda e: None, [OrderCreated, InventoryChanged])
    assert [s.name for s in registry.subscriptions if s.wants("order.created")] == ["spy"]
    assert not [s for s in registry.subscriptions if s.wants("order.held")]
    assert event_types([OrderHeld]) == frozenset({"order.held"})
