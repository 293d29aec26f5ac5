"""The package graph's rules, read from the source (issue 13).

`lint-imports` (in `make lint`) keeps the layers and the surfaces; these tests say the same
rules in words a failing run can point at, and add the ones import-linter cannot express.
"""

from __future__ import annotations

import ast
import pathlib

SRC = pathlib.Path(__file__).resolve().parents[2] / "src" / "podium"
CAPABILITIES = (
    "access",
    "automation",
    "carriers",
    "catalog",
    "channels",
    "events",
    "fulfillment",
    "geo",
    "imports",
    "inventory",
    "lifecycle",
    "notify",
    "orders",
    "payments",
    "planning",
    "reports",
    "returns",
    "routing",
    "shipments",
    "throttle",
    "users",
)
# Which package owns each table: only its modules may import it from podium.db.tables.
OWNERS = {
    "access": {"api_keys"},
    "carriers": {"carrier_accounts", "labels"},
    "catalog": {"products", "warehouses", "channels"},
    "channels": {
        "channel_listings",
        "channel_deliveries",
        "channel_orders",
        "channel_state",
        "channel_pushers",
    },
    "events": {"outbox"},
    "fulfillment": {"fulfilment_settings", "bin_locations", "pick_lists"},
    "imports": {"import_runs"},
    "inventory": {"stock_levels", "stock_movements", "stock_movements_archive"},
    "lifecycle": {"maintenance"},
    "notify": {"notifications", "webhook_subscriptions", "webhook_deliveries", "webhook_attempts"},
    "orders": {
        "orders",
        "order_lines",
        "order_holds",
        "order_events",
        "order_events_archive",
        "counters",
    },
    "payments": {
        "payment_transactions",
        "store_credits",
        "payment_gateways",
        "payment_gateway_events",
    },
    "planning": {
        "planning_demand",
        "planning_stockouts",
        "planning_forecast_runs",
        "planning_forecasts",
        "planning_suppliers",
        "planning_supplier_products",
        "planning_sku_policies",
        "planning_purchase_orders",
        "planning_po_lines",
        "planning_transfers",
        "planning_transfer_lines",
        "planning_receipts",
        "planning_preorder_caps",
    },
    "returns": {"returns", "return_lines", "refunds", "refund_lines", "return_labels"},
    "routing": {"routing_rule_sets"},
    "automation": {"automation_rule_sets", "automation_runs"},
    "shipments": {"shipments", "shipment_lines"},
    "throttle": {"throttle_counters"},
    "users": {"users", "user_sessions", "app_secrets"},
}
# Read-only joins across ownership, each kept for a one-query keyset page, and why.
READ_JOINS = {
    ("returns/queue.py", "orders"): "the returns list searches and sorts by order number/channel",
    ("channels/_health_store.py", "outbox"): "a channel's sync backlog is its pending events",
    # Not only a read: channels writes what it learns from a platform (tokens, cursors) into the
    # channel record's settings, which catalog owns. Left to move behind catalog's surface.
    ("channels/_store.py", "channels"): "listings join their channel's type, settings, active",
}


def _modules() -> list[tuple[pathlib.Path, str, ast.Module]]:
    out = []
    for path in sorted(SRC.rglob("*.py")):
        parts = path.relative_to(SRC).with_suffix("").parts
        out.append((path, parts[0] if len(parts) > 1 else "", ast.parse(path.read_text())))
    return out


def _all_of(package: str) -> list[str]:
    tree = ast.parse((SRC / package / "__init__.py").read_text())
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets
        ):
            return [ast.literal_eval(e) for e in node.value.elts]  # type: ignore[attr-defined]
    return []


def test_every_capability_lists_what_it_offers_in_all() -> None:
    missing = [p for p in CAPABILITIES if not _all_of(p)]
    assert not missing, f"packages without __all__ in __init__.py: {missing}"


def test_other_packages_import_a_capability_only_through_its_public_names() -> None:
    offered = {p: set(_all_of(p)) for p in CAPABILITIES}
    reaches = []
    for path, mine, tree in _modules():
        for node in ast.walk(tree):
            if not isinstance(node, ast.ImportFrom) or node.level or not node.module:
                continue
            parts = node.module.split(".")
            if parts[0] != "podium" or len(parts) < 2 or parts[1] not in offered:
                continue
            other = parts[1]
            if other == mine:
                continue
            where = f"{path.relative_to(SRC)}:{node.lineno}"
            if len(parts) > 2 and not (len(parts) == 3 and parts[2] == "events"):
                reaches.append(f"{where} imports {node.module} (past the surface)")
                continue
            for alias in node.names if len(parts) == 2 else []:
                if alias.name not in offered[other] and alias.name != "events":
                    reaches.append(f"{where} imports {other}.{alias.name}, not in its __all__")
    assert not reaches, "\n".join(reaches)


def test_runtime_invariants_raise_instead_of_asserting() -> None:
    found = [
        f"{path.relative_to(SRC)}:{node.lineno}"
        for path, _, tree in _modules()
        for node in ast.walk(tree)
        if isinstance(node, ast.Assert)
    ]
    assert not found, f"assert in src (python -O drops it; raise instead): {found}"


def test_each_table_is_read_and_written_only_by_the_package_that_owns_it() -> None:
    owner = {table: package for package, tables in OWNERS.items() for table in tables}
    foreign = []
    for path, mine, tree in _modules():
        if mine == "db":
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                "podium.db.tables"
            ):
                for alias in node.names:
                    who = owner.get(alias.name)
                    where = str(path.relative_to(SRC))
                    if who is not None and who != mine and (where, alias.name) not in READ_JOINS:
                        foreign.append(f"{path.relative_to(SRC)}: {alias.name} belongs to {who}")
    assert not foreign, "\n".join(foreign)
