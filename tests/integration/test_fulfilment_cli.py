"""The warehouse floor's commands: pick lists, labels, shipping, manifests, carrier polls."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from document_checks import barcodes, pdf_text
from fulfilment_fakes import drain
from podium.bootstrap import Podium
from podium.cli import app
from support import Api, order_body, seed_store


def test_warehouse_staff_work_a_wave_from_the_command_line(
    api: Api, podium: Podium, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PODIUM_DATABASE_URL", database_url)
    seed_store(api, {("TEE", "EAST"): 5})
    order = api.ok("post", "/orders", order_body([("TEE", 2)], external_id="cli"))
    shipment_id = order["shipments"][0]["id"]
    drain(podium)
    runner = CliRunner()

    pick = runner.invoke(
        app, ["warehouse", "pick-list", "EAST", "--max", "5", "--out", str(tmp_path / "p.pdf")]
    )
    assert pick.exit_code == 0, pick.output
    assert order["number"] in pdf_text((tmp_path / "p.pdf").read_bytes())

    label = runner.invoke(
        app, ["shipments", "label", shipment_id, "--out", str(tmp_path / "label.pdf")]
    )
    assert label.exit_code == 0, label.output
    tracking = api.ok("get", f"/shipments/{shipment_id}")["tracking_number"]
    assert tracking in label.output
    assert (tracking, "Code128") in barcodes((tmp_path / "label.pdf").read_bytes())

    shipped = runner.invoke(app, ["shipments", "ship", shipment_id])
    assert shipped.exit_code == 0, shipped.output
    assert api.ok("get", f"/orders/{order['id']}")["status"] == "shipped"

    manifest = runner.invoke(
        app, ["warehouse", "manifest", "EAST", "--out", str(tmp_path / "m.csv")]
    )
    assert manifest.exit_code == 0, manifest.output
    assert tracking in (tmp_path / "m.csv").read_text()

    polled = runner.invoke(app, ["carriers", "poll"])
    assert polled.exit_code == 0 and "Checked 1 parcel(s)" in polled.output

    again = runner.invoke(app, ["shipments", "ship", shipment_id])
    assert again.exit_code == 2
    assert "invalid_transition" in again.output


def test_operators_set_warehouse_settings_print_slips_and_void_labels_from_the_cli(
    api: Api, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PODIUM_DATABASE_URL", database_url)
    seed_store(api, {("TEE", "EAST"): 5})
    order = api.ok("post", "/orders", order_body([("TEE", 1)], external_id="cli2"))
    shipment_id = order["shipments"][0]["id"]
    runner = CliRunner()

    binned = runner.invoke(app, ["warehouse", "bin", "EAST", "TEE", "A-01-1"])
    assert binned.exit_code == 0, binned.output
    bad_bin = runner.invoke(app, ["warehouse", "bin", "EAST", "TEE", "no spaces"])
    assert bad_bin.exit_code == 2 and "Traceback" not in bad_bin.output
    shown = runner.invoke(app, ["warehouse", "settings", "EAST"])
    assert shown.exit_code == 0 and "release_mode: auto" in shown.output
    changed = runner.invoke(app, ["warehouse", "settings", "EAST", "--release-mode", "wave"])
    assert changed.exit_code == 0 and "release_mode: wave" in changed.output
    incomplete = runner.invoke(app, ["warehouse", "settings", "EAST", "--handoff", "webhook"])
    assert incomplete.exit_code == 2 and "handoff_incomplete" in incomplete.output
    assert api.ok("get", "/warehouses/EAST/fulfillment")["release_mode"] == "wave"

    slip = runner.invoke(
        app, ["shipments", "packing-slip", shipment_id, "--out", str(tmp_path / "s.pdf")]
    )
    assert slip.exit_code == 0, slip.output
    assert order["number"] in pdf_text((tmp_path / "s.pdf").read_bytes())

    zpl = tmp_path / "label.zpl"
    labelled = runner.invoke(app, ["shipments", "label", shipment_id, "--out", str(zpl)])
    assert labelled.exit_code == 0, labelled.output
    assert zpl.read_text().startswith("^XA")
    voided = runner.invoke(app, ["shipments", "void-label", shipment_id])
    assert voided.exit_code == 0, voided.output
    assert api.ok("get", f"/shipments/{shipment_id}")["tracking_number"] is None
    again = runner.invoke(app, ["shipments", "void-label", shipment_id])
    assert again.exit_code == 2 and "label_not_found" in again.output


def test_a_pick_list_of_named_shipments_from_the_api_and_the_command_line(
    api: Api, podium: Podium, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PODIUM_DATABASE_URL", database_url)
    seed_store(api, {("TEE", "EAST"): 9, ("MUG", "WEST"): 9})
    one, two, three = (
        api.ok("post", "/orders", order_body([("TEE", 1)], external_id=f"n{i}"))["shipments"][0]
        for i in range(3)
    )
    west = api.ok("post", "/orders", order_body([("MUG", 1)], external_id="w"))["shipments"][0]
    drain(podium)
    r = api.post(
        "/warehouses/EAST/pick-lists", {"shipment_ids": [three["id"], one["id"]]}, "warehouse"
    )
    assert r.status_code == 201, r.text
    assert r.json()["shipments"] == [one["id"], three["id"]]  # oldest first on the list
    refused = api.post("/warehouses/EAST/pick-lists", {"shipment_ids": [west["id"]]}, "warehouse")
    assert refused.status_code == 422
    assert refused.json()["error"]["details"]["field"] == "shipment_ids.0"
    picked_again = api.post("/warehouses/EAST/pick-lists", {"shipment_ids": [one["id"]]})
    assert picked_again.status_code == 409  # no longer released: nothing to pick
    out = tmp_path / "named.pdf"
    done = CliRunner().invoke(
        app, ["warehouse", "pick-list", "EAST", "--shipment", two["id"], "--out", str(out)]
    )
    assert done.exit_code == 0, done.output
    assert api.ok("get", f"/shipments/{two['id']}")["status"] == "picking"
    assert api.ok("get", f"/shipments/{west['id']}")["status"] == "released"
