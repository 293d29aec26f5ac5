"""Over the API: a NUL byte or another control character in a text field is 422
``invalid_characters`` naming the field, and nothing is written."""

from __future__ import annotations

from support import Api, order_body, seed_store


def test_a_nul_byte_in_a_customer_name_is_refused_and_nothing_is_written(api: Api) -> None:
    seed_store(api, {("TEE", "EAST"): 5})
    body = order_body([("TEE", 1)], external_id="nul")
    body["customer"]["name"] = "Ann\x00Example"
    r = api.post("/orders", body)
    assert r.status_code == 422, r.text
    error = r.json()["error"]
    assert error["code"] == "invalid_characters"
    assert error["details"]["field"] == "customer.name"
    assert api.ok("get", "/orders")["items"] == []
    assert api.ok("get", "/inventory/TEE")["reserved"] == 0


def test_an_address_line_with_an_escape_sequence_is_refused(api: Api) -> None:
    seed_store(api, {("TEE", "EAST"): 5})
    body = order_body([("TEE", 1)], external_id="esc")
    body["shipping_address"]["line1"] = "1 Pike St\x1b]8;;http://evil\x07"
    r = api.post("/orders", body)
    assert r.status_code == 422
    assert r.json()["error"]["details"]["field"] == "shipping_address.line1"


def test_catalogue_names_are_checked_too_and_notes_keep_their_lines(api: Api) -> None:
    r = api.post("/products", {"sku": "MUG", "name": "Mug\x00", "weight_grams": 300})
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "invalid_characters"
    assert r.json()["error"]["details"]["field"] == "name"
    seed_store(api, {("TEE", "EAST"): 5})
    placed = api.ok(
        "post", "/orders", order_body([("TEE", 1)], external_id="n", note="Door code:\n\t1234")
    )
    assert api.ok("get", f"/orders/{placed['id']}")["id"] == placed["id"]
