"""``podium warehouse …`` and ``podium shipments …``: the warehouse floor's commands."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.table import Table

from podium import carriers, fulfillment
from podium.carriers import LabelIn, build_manifest, manifest_csv
from podium.cli.common import ACTOR, out, with_podium
from podium.fulfillment import (
    BinIn,
    PickListIn,
    ShipIn,
    label_pdf,
    label_zpl,
    manifest_pdf,
    packing_slip_pdf,
    pick_list_pdf,
    ship_shipment,
)

if TYPE_CHECKING:
    from podium.bootstrap import Podium

warehouse_app = typer.Typer(
    help="Warehouse work: waves, pick lists, manifests.", no_args_is_help=True
)
shipments_app = typer.Typer(
    help="Shipments: labels, packing slips, shipping.", no_args_is_help=True
)

_OUT_PDF = typer.Option(None, "--out", help="Write the PDF here.")


@warehouse_app.command("wave")
@with_podium
def wave(
    podium: Podium, code: str, limit: int = typer.Option(500, min=1, help="At most this many.")
) -> None:
    """Release a wave: the warehouse's pending shipments of orders not on hold."""
    released = fulfillment.release_wave(podium.db, code, ACTOR, limit=limit)
    out.print(f"Released {len(released)} shipment(s) to {code}.")


@warehouse_app.command("pick-list")
@with_podium
def pick_list(
    podium: Podium,
    code: str,
    max_shipments: int = typer.Option(50, "--max", min=1, max=1000, help="Shipments on it."),
    shipment: list[str] = typer.Option(
        [], "--shipment", "-s", help="Pick these released shipments (repeat); default: the oldest."
    ),
    out_file: Path = _OUT_PDF,
) -> None:
    """Take released shipments into a pick list (they move to picking) and write its PDF."""
    made = fulfillment.create_pick_list(
        podium.db,
        code,
        PickListIn(max_shipments=max_shipments, shipment_ids=shipment or None),
        ACTOR,
    )
    doc = fulfillment.pick_list_document(podium.db, made.id)
    rows = [(r.bin, r.sku, r.name, r.quantity, r.orders) for r in doc.rows]
    target = out_file or Path(f"pick-list-{made.id}.pdf")
    target.write_bytes(pick_list_pdf(doc.id, doc.warehouse, doc.created_at, rows, doc.shipments))
    table = Table("bin", "sku", "qty", "orders")
    for r in doc.rows:
        table.add_row(r.bin, r.sku, str(r.quantity), ", ".join(r.orders))
    out.print(table)
    out.print(f"Pick list {made.id}: {len(made.shipments)} shipment(s); PDF at {target}")


@warehouse_app.command("manifest")
@with_podium
def manifest(
    podium: Podium,
    code: str,
    day: str = typer.Option(None, "--date", help="YYYY-MM-DD (UTC); default today."),
    out_file: Path = typer.Option(None, "--out", help="Write here (.pdf or .csv)."),
) -> None:
    """The end-of-day carrier manifest: every parcel that left on a day."""
    when = date.fromisoformat(day) if day else datetime.now(UTC).date()
    doc = build_manifest(podium.db, code, when)
    target = out_file or Path(f"manifest-{code}-{doc.day}.pdf")
    if target.suffix == ".csv":
        target.write_text(manifest_csv(doc))
    else:
        target.write_bytes(manifest_pdf(doc))
    out.print(f"{len(doc.rows)} parcel(s) left {code} on {doc.day}; manifest at {target}")


@shipments_app.command("label")
@with_podium
def label(
    podium: Podium,
    shipment_id: str,
    carrier: str = typer.Option(None, help="Carrier account code; omit to rate-shop."),
    service: str = typer.Option(None, help="Service, e.g. ground."),
    deliver_by: str = typer.Option(None, "--deliver-by", help="Promised date YYYY-MM-DD."),
    out_file: Path = typer.Option(None, "--out", help="Write the label here (.pdf or .zpl)."),
) -> None:
    """Buy a label (or rate-shop) and write it as PDF or ZPL."""
    data = LabelIn(
        carrier=carrier,
        service=service,
        deliver_by=date.fromisoformat(deliver_by) if deliver_by else None,
    )
    bought = carriers.buy_label(podium.db, podium.carriers, shipment_id, data, ACTOR)
    doc = carriers.label_document(podium.db, shipment_id)
    default = "zpl" if bought.label_format == "ZPL" else "pdf"
    target = out_file or Path(f"label-{bought.tracking_number}.{default}")
    fmt = "ZPL" if target.suffix == ".zpl" else "PDF"
    real = carriers.carrier_label(podium.db, shipment_id, fmt)  # the carrier's, with postage
    if real is not None:
        target.write_bytes(real)
    elif fmt == "ZPL":
        target.write_text(label_zpl(doc))
    else:
        target.write_bytes(label_pdf(doc))
    out.print(
        f"{bought.carrier_name} {bought.service}, {bought.rate.currency} "
        f"{bought.rate.amount}: tracking {bought.tracking_number}; label at {target}",
        highlight=False,
    )


@shipments_app.command("ship")
@with_podium
def ship(
    podium: Podium,
    shipment_id: str,
    tracking_number: str = typer.Option(None, "--tracking-number", help="If not labelled here."),
) -> None:
    """Mark a shipment as shipped (stock leaves the ledger; the order follows)."""
    view = ship_shipment(podium.db, shipment_id, ShipIn(tracking_number=tracking_number), ACTOR)
    out.print(f"Shipment {view.id} is {view.status} (tracking {view.tracking_number}).")


@warehouse_app.command("bin")
@with_podium
def bin_location(
    podium: Podium, code: str, sku: str, bin_code: str = typer.Argument(..., metavar="BIN")
) -> None:
    """Record where a SKU lives in a warehouse (pick lists walk the bins in order)."""
    fulfillment.put_bin(podium.db, code, sku, BinIn(bin=bin_code))
    out.print(f"{sku} lives in bin {bin_code} at {code}.", highlight=False)


@warehouse_app.command("settings")
@with_podium
def settings(
    podium: Podium,
    code: str,
    release_mode: str = typer.Option(None, "--release-mode", help="auto or wave."),
    handoff: str = typer.Option(None, help="none, webhook or csv_drop."),
    handoff_url: str = typer.Option(None, "--handoff-url"),
    handoff_dir: str = typer.Option(None, "--handoff-dir"),
    handoff_secret: str = typer.Option(
        None, "--handoff-secret", envvar="PODIUM_HANDOFF_SECRET", help="Or the environment."
    ),
    label_format: str = typer.Option(
        None, "--label-format", help="What the label printer takes: PDF, ZPL or PNG."
    ),
) -> None:
    """Show a warehouse's fulfilment settings, or change them (unnamed ones keep their value;
    a stored secret is kept unless a new one is given)."""
    current = fulfillment.get_settings(podium.db, code)
    asked = {
        "release_mode": release_mode,
        "handoff": handoff,
        "handoff_url": handoff_url,
        "handoff_dir": handoff_dir,
        "handoff_secret": handoff_secret,
        "label_format": label_format.upper() if label_format else None,
    }
    if any(v is not None for v in asked.values()):
        current = fulfillment.change_settings(podium.db, code, asked, podium.settings)
    for key, value in current.model_dump().items():
        out.print(f"{key}: {value if value is not None else '-'}", highlight=False)


@shipments_app.command("packing-slip")
@with_podium
def packing_slip(podium: Podium, shipment_id: str, out_file: Path = _OUT_PDF) -> None:
    """Print a shipment's packing slip (PDF)."""
    doc = fulfillment.packing_slip_document(podium.db, shipment_id)
    target = out_file or Path(f"packing-slip-{doc.order_number}.pdf")
    target.write_bytes(packing_slip_pdf(doc))
    out.print(f"Packing slip for order {doc.order_number} at {target}")


@shipments_app.command("void-label")
@with_podium
def void_label(podium: Podium, shipment_id: str) -> None:
    """Void a shipment's label (EasyPost refunds the postage)."""
    carriers.void_label(podium.db, podium.carriers, shipment_id, ACTOR)
    out.print(f"Label of shipment {shipment_id} voided.")
