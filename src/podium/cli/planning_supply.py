"""``podium planning suppliers …``, ``podium planning policy`` and ``podium planning
replenish``: suppliers and their products, a SKU's service level, and what to buy or move."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.table import Table

from podium import planning
from podium.cli.common import out, read_file, with_podium
from podium.planning import (
    ReplenishmentIn,
    SkuPolicyIn,
    SupplierIn,
    SupplierPatch,
    SupplierProductIn,
    SupplierView,
)

if TYPE_CHECKING:
    from podium.bootstrap import Podium

suppliers_app = typer.Typer(
    help="Suppliers: lead time, MOQ, case pack and cost per SKU.", no_args_is_help=True
)
_JSON = typer.Option(False, "--json", help="Print the answer as JSON on stdout.")


def _print(view: SupplierView, as_json: bool) -> None:
    if as_json:
        sys.stdout.write(view.model_dump_json(indent=2) + "\n")
        return
    out.print(
        f"{view.code} — {view.name} <{view.email or 'no e-mail'}>, {view.currency}, "
        f"lead time {view.lead_time_days} days",
        highlight=False,
    )
    if view.products:
        table = Table("sku", "lead time", "MOQ", "case pack", "unit cost", "preferred")
        for p in view.products:
            table.add_row(
                p.sku,
                "—" if p.lead_time_days is None else str(p.lead_time_days),
                str(p.moq),
                str(p.case_pack),
                p.unit_cost,
                "yes" if p.preferred else "",
            )
        out.print(table)


@suppliers_app.command("add")
@with_podium
def add(
    podium: Podium,
    code: str = typer.Argument(..., help="Supplier code."),
    name: str = typer.Option(..., "--name"),
    currency: str = typer.Option(..., "--currency", help="ISO 4217, e.g. EUR."),
    lead_time: int = typer.Option(..., "--lead-time", help="Default lead time in days."),
    email: str = typer.Option(None, "--email"),
    as_json: bool = _JSON,
) -> None:
    """Add a supplier."""
    body = SupplierIn.model_validate(
        {
            "code": code,
            "name": name,
            "currency": currency,
            "lead_time_days": lead_time,
            "email": email,
        }
    )
    _print(planning.create_supplier(podium.db, body), as_json)


@suppliers_app.command("update")
@with_podium
def update(
    podium: Podium,
    code: str = typer.Argument(..., help="Supplier code."),
    name: str = typer.Option(None, "--name"),
    currency: str = typer.Option(None, "--currency"),
    lead_time: int = typer.Option(None, "--lead-time"),
    email: str = typer.Option(None, "--email"),
) -> None:
    """Change a supplier's name, currency, lead time or e-mail."""
    given = {"name": name, "currency": currency, "lead_time_days": lead_time, "email": email}
    body = SupplierPatch.model_validate({k: v for k, v in given.items() if v is not None})
    _print(planning.update_supplier(podium.db, code, body), False)


@suppliers_app.command("list")
@with_podium
def list_(podium: Podium, as_json: bool = _JSON) -> None:
    """Every supplier with how many SKUs it offers."""
    views = planning.list_suppliers(podium.db, limit=500)
    if as_json:
        sys.stdout.write("[" + ",".join(v.model_dump_json() for v in views) + "]\n")
        return
    table = Table("code", "name", "e-mail", "currency", "lead time", "SKUs")
    for v in views:
        table.add_row(
            v.code, v.name, v.email or "—", v.currency, str(v.lead_time_days), str(len(v.products))
        )
    out.print(table)


@suppliers_app.command("show")
@with_podium
def show(podium: Podium, code: str = typer.Argument(...), as_json: bool = _JSON) -> None:
    """A supplier and its products."""
    _print(planning.get_supplier(podium.db, code), as_json)


@suppliers_app.command("remove")
@with_podium
def remove(podium: Podium, code: str = typer.Argument(...)) -> None:
    """Delete a supplier and its product offers."""
    planning.delete_supplier(podium.db, code)
    out.print(f"removed supplier {code}", highlight=False)


@suppliers_app.command("link")
@with_podium
def link(
    podium: Podium,
    code: str = typer.Argument(..., help="Supplier code."),
    sku: str = typer.Argument(..., help="The SKU it sells."),
    unit_cost: str = typer.Option(..., "--cost", help='Unit cost, a decimal such as "3.40".'),
    moq: int = typer.Option(1, "--moq", help="Minimum order quantity."),
    case_pack: int = typer.Option(1, "--case-pack", help="Units per case."),
    lead_time: int = typer.Option(None, "--lead-time", help="Override the supplier's."),
    preferred: bool = typer.Option(False, "--preferred", help="The SKU's preferred source."),
) -> None:
    """Add or replace the supplier's offer for a SKU."""
    body = SupplierProductIn.model_validate(
        {
            "sku": sku,
            "unit_cost": unit_cost,
            "moq": moq,
            "case_pack": case_pack,
            "lead_time_days": lead_time,
            "preferred": preferred,
        }
    )
    _print(planning.link_product(podium.db, code, body), False)


@suppliers_app.command("import")
@with_podium
def import_(
    podium: Podium,
    file: Path = typer.Argument(
        ..., help="CSV supplier,sku,unit_cost[,moq][,case_pack][,lead_time_days][,preferred]."
    ),
    dry_run: bool = typer.Option(False, "--dry-run", help="Validate; write nothing."),
) -> None:
    """Import supplier products, all or nothing (exit 1 with the rejected lines)."""
    report = planning.import_offers(podium.db, read_file(file), dry_run=dry_run)
    if report.rejects:
        table = Table("line", "column", "code", "why", title="Rejected (nothing was imported)")
        for r in report.rejects[:50]:
            table.add_row(str(r.line), r.field, r.code, r.message)
        out.print(table)
        raise typer.Exit(1)
    verb = "imported" if report.written else "valid"
    out.print(f"{report.rows} supplier products {verb}", highlight=False)


@suppliers_app.command("unlink")
@with_podium
def unlink(podium: Podium, code: str = typer.Argument(...), sku: str = typer.Argument(...)) -> None:
    """Remove the supplier's offer for a SKU."""
    planning.unlink_product(podium.db, code, sku)
    out.print(f"{code} no longer offers {sku}", highlight=False)


@with_podium
def policy(
    podium: Podium,
    sku: str = typer.Argument(..., help="The SKU."),
    service_level: float = typer.Option(
        None, "--service-level", help="Target, e.g. 0.98; omit to go back to the default."
    ),
) -> None:
    """Set (or clear) a SKU's own target service level."""
    view = planning.set_sku_policy(
        podium.db, sku, SkuPolicyIn.model_validate({"service_level": service_level})
    )
    level = "the default" if view.service_level is None else f"{view.service_level:.1%}"
    out.print(f"{sku}: service level {level}", highlight=False)


@with_podium
def replenish(
    podium: Podium,
    warehouse: str = typer.Option(None, "--warehouse"),
    sku: str = typer.Option(None, "--sku"),
    supplier: str = typer.Option(None, "--supplier"),
    service_level: float = typer.Option(0.95, "--service-level", help="Default target."),
    review_days: int = typer.Option(7, "--review-days", help="Days between orders."),
    lead_time: int = typer.Option(14, "--lead-time", help="For SKUs without a supplier."),
    show_all: bool = typer.Option(False, "--all", help="Also rows with nothing to buy now."),
    limit: int = typer.Option(1000, "--limit", min=1, max=1000),
    as_json: bool = _JSON,
) -> None:
    """What to buy, from whom, how much and by when; and transfers between warehouses."""
    page = planning.replenishment(
        podium.db,
        ReplenishmentIn(
            warehouse=warehouse,
            sku=sku,
            supplier=supplier,
            service_level=service_level,
            review_days=review_days,
            lead_time_days=lead_time,
            only_due=not show_all,
            limit=limit,
        ),
    )
    if as_json:
        sys.stdout.write(page.model_dump_json(indent=2) + "\n")
        return
    table = Table(
        "sku",
        "warehouse",
        "supplier",
        "position",
        "safety",
        "reorder at",
        "up to",
        "buy",
        "by",
        title=f"Replenishment (forecast from {page.first_day})",
    )
    for r in page.items:
        table.add_row(
            r.sku,
            r.warehouse,
            r.supplier or "—",
            str(r.position),
            str(r.safety_stock),
            str(r.reorder_point),
            str(r.order_up_to),
            str(r.quantity),
            "now" if r.order_by == page.today else str(r.order_by or "—"),
        )
    out.print(table)
    if page.transfers:
        moves = Table("sku", "from", "to", "units", title="Transfers")
        for m in page.transfers:
            moves.add_row(m.sku, m.source, m.target, str(m.quantity))
        out.print(moves)
