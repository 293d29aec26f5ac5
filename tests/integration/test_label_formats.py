"""Labels in the warehouse printer's format (issue 14, item 17): EasyPost is asked for
``options.label_format`` and the label endpoints serve the label the carrier made."""

from __future__ import annotations

from typing import Any

from fulfilment_fakes import fake_easypost
from support import Api, order_body, seed_store

SHIPMENT = "shp_a9b97f431c00435cb16ec2d6a14ed109"


def _account(api: Api, base_url: str) -> Any:
    return api.ok(
        "post",
        "/carriers",
        {
            "code": "ep",
            "type": "easypost",
            "api_key": "EZTK_test_key",
            "webhook_secret": "whsec_labels",
            "base_url": base_url,
        },
    )


def _put_settings(api: Api, body: dict[str, Any]) -> Any:
    return api.client.put("/api/v1/warehouses/EAST/fulfillment", json=body, headers=api.headers())


def _shipment(api: Api, external_id: str) -> str:
    seed_store(api, {("TEE", "EAST"): 5})
    order = api.ok("post", "/orders", order_body([("TEE", 1)], external_id=external_id))
    return str(order["shipments"][0]["id"])


def test_a_warehouse_asks_for_pdf_labels_by_default_and_serves_the_carriers_pdf(
    api: Api,
) -> None:
    shipment_id = _shipment(api, "lf1")
    assert api.ok("get", "/warehouses/EAST/fulfillment")["label_format"] == "PDF"
    with fake_easypost() as fake:
        _account(api, fake.url)
        label = api.ok("post", f"/shipments/{shipment_id}/label", {"carrier": "ep"})
        asked = fake.calls[0][2]["shipment"]["options"]
        assert asked["label_format"] == "PDF"
        assert label["label_format"] == "PDF"
        assert label["label_url"].endswith(".pdf")
    r = api.client.get(f"/api/v1/shipments/{shipment_id}/label.pdf", headers=api.headers())
    assert r.status_code == 200
    assert r.content.startswith(b"%PDF")
    # The ZPL asked for is Podium's copy: the carrier made no ZPL for this label.
    zpl = api.client.get(f"/api/v1/shipments/{shipment_id}/label.zpl", headers=api.headers())
    assert zpl.text.startswith("^XA") and label["tracking_number"] in zpl.text


def test_a_zpl_printer_gets_the_carriers_zpl_label(api: Api) -> None:
    shipment_id = _shipment(api, "lf2")
    made = _put_settings(api, {"label_format": "ZPL"})
    assert (made.status_code, made.json()["label_format"]) == (200, "ZPL")
    with fake_easypost() as fake:
        _account(api, fake.url)
        label = api.ok("post", f"/shipments/{shipment_id}/label", {"carrier": "ep"})
        assert fake.calls[0][2]["shipment"]["options"]["label_format"] == "ZPL"
    assert label["label_format"] == "ZPL"
    r = api.client.get(f"/api/v1/shipments/{shipment_id}/label.zpl", headers=api.headers())
    assert r.status_code == 200
    assert r.content == f"^XA^FO50,50^BCN,100^FD{SHIPMENT}^FS^XZ".encode()


def test_a_label_made_as_png_is_converted_to_the_printers_format(api: Api) -> None:
    shipment_id = _shipment(api, "lf3")
    with fake_easypost() as fake:
        fake.png_only = True
        _account(api, fake.url)
        label = api.ok("post", f"/shipments/{shipment_id}/label", {"carrier": "ep"})
        paths = [(m, p) for m, p, _ in fake.calls]
    assert ("GET", f"/v2/shipments/{SHIPMENT}/label?file_format=PDF") in paths
    assert label["label_format"] == "PDF"
    r = api.client.get(f"/api/v1/shipments/{shipment_id}/label.pdf", headers=api.headers())
    assert r.content.startswith(b"%PDF")


def test_a_bad_label_format_is_refused_naming_the_field(api: Api) -> None:
    seed_store(api, {("TEE", "EAST"): 1})
    r = _put_settings(api, {"label_format": "GIF"})
    assert r.status_code == 422
    assert r.json()["error"]["details"]["field"] == "label_format"
