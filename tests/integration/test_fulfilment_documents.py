"""Warehouse documents, read back: pick lists, packing slips, labels (PDF and ZPL) and the
end-of-day manifest; labels bought from the built-in table-rate carrier with rate shopping."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from document_checks import barcodes, pdf_text
from fulfilment_fakes import drain
from podium.bootstrap import Podium
from podium.carriers.model import valid_tracking_number
from support import Api, order_body, seed_store


def _put(api: Api, path: str, body: dict[str, str], role: str = "admin") -> Any:
    r = api.client.put(f"/api/v1{path}", json=body, headers=api.headers(role))
    assert r.status_code == 200, r.text
    return r.json()


def test_a_pick_list_takes_released_shipments_and_prints_skus_in_bin_order(
    api: Api, podium: Podium
) -> None:
    seed_store(api, {("TEE", "EAST"): 9, ("CAP", "EAST"): 9, ("MUG", "EAST"): 9})
    _put(api, "/warehouses/EAST/bins/TEE", {"bin": "C-03-1"}, "warehouse")
    _put(api, "/warehouses/EAST/bins/CAP", {"bin": "A-01-2"}, "warehouse")
    one = api.ok("post", "/orders", order_body([("TEE", 2), ("CAP", 1)], external_id="k1"))
    two = api.ok("post", "/orders", order_body([("TEE", 1), ("MUG", 1)], external_id="k2"))
    three = api.ok("post", "/orders", order_body([("CAP", 1)], external_id="k3"))
    drain(podium)
    r = api.post("/warehouses/EAST/pick-lists", {"max_shipments": 2}, "warehouse")
    assert r.status_code == 201, r.text
    pick = r.json()
    assert pick["shipments"] == [one["shipments"][0]["id"], two["shipments"][0]["id"]]
    assert api.ok("get", f"/shipments/{pick['shipments'][0]}")["status"] == "picking"
    assert api.ok("get", f"/shipments/{three['shipments'][0]['id']}")["status"] == "released"
    assert api.ok("get", f"/pick-lists/{pick['id']}") == {**pick, "warehouse": "EAST"}
    got = api.get(f"/pick-lists/{pick['id']}.pdf", "warehouse")
    assert got.status_code == 200
    assert got.headers["content-type"] == "application/pdf"
    text = pdf_text(got.content)
    assert one["number"] in text and two["number"] in text
    assert three["number"] not in text
    # Grouped by SKU (TEE once, 3 units), in bin order: A-01-2 (CAP), C-03-1 (TEE), then MUG.
    assert text.index("A-01-2") < text.index("C-03-1") < text.index("MUG")
    assert text.count("Product TEE") == 1
    codes = {t for t, f in barcodes(got.content, scale=4)}
    assert {"TEE", "CAP", "MUG"} <= codes
    nothing = api.post("/warehouses/WEST/pick-lists", {}, "warehouse")
    assert nothing.status_code == 409
    assert nothing.json()["error"]["code"] == "nothing_to_pick"
    assert api.get("/pick-lists/pck_nope.pdf").status_code == 404


def test_the_packing_slip_lists_the_order_and_its_skus(api: Api) -> None:
    seed_store(api, {("TEE", "EAST"): 5, ("CAP", "EAST"): 5})
    order = api.ok("post", "/orders", order_body([("TEE", 2), ("CAP", 1)], external_id="ps"))
    r = api.get(f"/shipments/{order['shipments'][0]['id']}/packing-slip.pdf", "readonly")
    assert r.status_code == 200
    text = pdf_text(r.content)
    for expected in (order["number"], "TEE", "CAP", "Product TEE", "Ann Example", "Seattle"):
        assert expected in text
    assert api.get("/shipments/shp_nope/packing-slip.pdf").status_code == 404


def test_a_label_is_rate_shopped_and_its_barcode_decodes_to_the_tracking_number(api: Api) -> None:
    seed_store(api, {("TEE", "EAST"): 5})
    order = api.ok("post", "/orders", order_body([("TEE", 1)], external_id="l1"))
    shipment_id = order["shipments"][0]["id"]
    r = api.post(f"/shipments/{shipment_id}/label", {}, "warehouse")
    assert r.status_code == 201, r.text
    label = r.json()
    assert (label["carrier"], label["service"]) == ("podium", "ground")  # the cheapest
    assert re.fullmatch(r"\d+\.\d{2}", label["rate"]["amount"])
    assert label["rate"]["currency"] == "USD"
    assert valid_tracking_number(label["tracking_number"])
    shipment = api.ok("get", f"/shipments/{shipment_id}")
    assert (shipment["carrier"], shipment["tracking_number"]) == (
        "podium",
        label["tracking_number"],
    )

    pdf = api.get(f"/shipments/{shipment_id}/label.pdf", "warehouse")
    assert pdf.status_code == 200
    text = pdf_text(pdf.content)
    assert label["tracking_number"] in text and order["number"] in text
    assert (label["tracking_number"], "Code128") in barcodes(pdf.content)

    zpl = api.get(f"/shipments/{shipment_id}/label.zpl", "warehouse")
    assert zpl.status_code == 200
    body = zpl.text
    assert body.startswith("^XA") and body.rstrip().endswith("^XZ")
    assert body.count("^XA") == body.count("^XZ") == 1
    assert f"^BCN,260,Y,N,N^FH_^FD{label['tracking_number']}^FS" in body
    assert all(ln.startswith(("^", "~")) for ln in body.splitlines())

    twice = api.post(f"/shipments/{shipment_id}/label", {}, "warehouse")
    assert twice.status_code == 409
    assert twice.json()["error"]["code"] == "label_exists"


def test_rate_shopping_meets_the_promised_date_with_the_cheapest_fast_enough_service(
    api: Api,
) -> None:
    seed_store(api, {("TEE", "EAST"): 5})
    order = api.ok("post", "/orders", order_body([("TEE", 1)], external_id="l2"))
    shipment_id = order["shipments"][0]["id"]
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).date().isoformat()
    promised = api.patch(f"/shipments/{shipment_id}", {"promised_by": tomorrow}, "operator")
    assert promised.status_code == 200, promised.text
    assert promised.json()["promised_by"] == tomorrow
    assert api.patch(f"/shipments/{shipment_id}", {"promised_by": "x"}).status_code == 422
    assert api.patch(f"/shipments/{shipment_id}", {}, "warehouse").status_code == 403
    label = api.ok("post", f"/shipments/{shipment_id}/label", {})  # the promise decides
    assert label["transit_days"] == 1
    assert label["service"] in ("two_day", "overnight")
    # Void it, then ask for one service by name.
    assert api.post(f"/shipments/{shipment_id}/label/void", {}).status_code == 204
    chosen = api.ok(
        "post", f"/shipments/{shipment_id}/label", {"carrier": "podium", "service": "overnight"}
    )
    assert chosen["service"] == "overnight"
    assert chosen["tracking_number"] != label["tracking_number"]


def test_label_requests_with_bad_input_are_refused(api: Api) -> None:
    seed_store(api, {("TEE", "EAST"): 5})
    order = api.ok("post", "/orders", order_body([("TEE", 1)], external_id="l3"))
    shipment_id = order["shipments"][0]["id"]
    r = api.post(f"/shipments/{shipment_id}/label", {"carrier": "nobody"})
    assert (r.status_code, r.json()["error"]["code"]) == (422, "unknown_carrier")
    r = api.post(f"/shipments/{shipment_id}/label", {"carrier": "podium", "service": "teleport"})
    assert (r.status_code, r.json()["error"]["code"]) == (422, "unknown_service")
    r = api.post(f"/shipments/{shipment_id}/label", {"deliver_by": "soon"})
    assert r.status_code == 422
    r = api.post(f"/shipments/{shipment_id}/label", {}, "support")
    assert r.status_code == 403
    assert api.get(f"/shipments/{shipment_id}/label.pdf").status_code == 404
    api.ok("post", f"/shipments/{shipment_id}/ship", {})
    r = api.post(f"/shipments/{shipment_id}/label", {})
    assert (r.status_code, r.json()["error"]["code"]) == (409, "invalid_transition")


def test_the_manifest_lists_what_left_today_as_pdf_and_csv(api: Api) -> None:
    seed_store(api, {("TEE", "EAST"): 5})
    numbers = []
    tracking = []
    for i in range(2):
        order = api.ok("post", "/orders", order_body([("TEE", 1)], external_id=f"m{i}"))
        sid = order["shipments"][0]["id"]
        tracking.append(api.ok("post", f"/shipments/{sid}/label", {})["tracking_number"])
        api.ok("post", f"/shipments/{sid}/ship", {}, "warehouse")
        numbers.append(order["number"])
    api.ok("post", "/orders", order_body([("TEE", 1)], external_id="not-shipped"))
    today = datetime.now(UTC).date().isoformat()
    r = api.get(f"/warehouses/EAST/manifest.csv?date={today}", "warehouse")
    assert r.status_code == 200
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert [row["tracking_number"] for row in rows] == tracking
    assert [row["order_number"] for row in rows] == numbers
    assert {row["service"] for row in rows} == {"ground"}
    pdf = api.get("/warehouses/EAST/manifest.pdf", "warehouse")
    text = pdf_text(pdf.content)
    assert all(t in text for t in tracking) and "2 parcel(s)" in text
    assert api.get("/warehouses/EAST/manifest.xls").status_code == 404
    assert api.get("/warehouses/EAST/manifest.csv?date=yesterday").status_code == 422


def test_the_manifest_csv_neutralises_formula_text_from_outside(api: Api) -> None:
    seed_store(api, {("TEE", "EAST"): 5})
    order = api.ok("post", "/orders", order_body([("TEE", 1)], external_id="inject"))
    sid = order["shipments"][0]["id"]
    shipped = api.post(
        f"/shipments/{sid}/ship", {"tracking_number": "@1Z999", "carrier": "=cmd"}, "warehouse"
    )
    assert shipped.status_code == 200, shipped.text
    r = api.get("/warehouses/EAST/manifest.csv", "warehouse")
    (row,) = list(csv.DictReader(io.StringIO(r.text)))
    assert (row["tracking_number"], row["carrier"]) == ("'@1Z999", "'=cmd")
