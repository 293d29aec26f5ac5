"""Product variants (issue 17): a product group and option values through the REST product
endpoints, checked against the group's other variants."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from podium.cli import app
from support import Api


def _tee(api: Api, sku: str, size: str, colour: str = "Blue") -> dict[str, object]:
    body = {
        "sku": sku,
        "name": f"Tee {size}",
        "group": "TEE",
        "options": {"size": size, "colour": colour},
    }
    return dict(api.ok("post", "/products", body))


def test_a_product_carries_its_group_and_options_in_order(api: Api) -> None:
    made = _tee(api, "TEE-M", "M")
    assert made["group"] == "TEE"
    assert list(made["options"]) == ["size", "colour"]  # type: ignore[call-overload]
    got = api.ok("get", "/products/TEE-M")
    assert got["options"] == {"size": "M", "colour": "Blue"}
    assert list(got["options"]) == ["size", "colour"]
    plain = api.ok("post", "/products", {"sku": "MUG", "name": "Mug"})
    assert plain["group"] is None and plain["options"] is None


def test_the_variants_of_a_product_are_the_other_products_of_its_group(api: Api) -> None:
    for size in ("S", "M", "L"):
        _tee(api, f"TEE-{size}", size)
    api.ok("post", "/products", {"sku": "MUG", "name": "Mug"})
    variants = api.ok("get", "/products/TEE-M/variants")["items"]
    assert [(v["sku"], v["options"]["size"]) for v in variants] == [("TEE-L", "L"), ("TEE-S", "S")]
    assert api.ok("get", "/products/MUG/variants")["items"] == []
    assert api.get("/products/NOPE/variants").status_code == 404


def test_an_existing_product_joins_a_group_and_leaves_it(api: Api) -> None:
    _tee(api, "TEE-S", "S")
    api.ok("post", "/products", {"sku": "OLD-TEE-XL", "name": "Tee XL"})
    joined = api.ok(
        "patch",
        "/products/OLD-TEE-XL",
        {"group": "TEE", "options": {"size": "XL", "colour": "Blue"}},
    )
    assert joined["group"] == "TEE" and joined["options"]["size"] == "XL"
    assert [v["sku"] for v in api.ok("get", "/products/TEE-S/variants")["items"]] == ["OLD-TEE-XL"]
    recoloured = api.ok(
        "patch", "/products/OLD-TEE-XL", {"options": {"size": "XL", "colour": "Red"}}
    )
    assert recoloured["group"] == "TEE"  # left out: unchanged
    refused = api.patch("/products/OLD-TEE-XL", {"group": None})  # options without a group
    assert refused.status_code == 422 and refused.json()["error"]["details"]["field"] == "group"
    left = api.ok("patch", "/products/OLD-TEE-XL", {"group": None, "options": None})
    assert left["group"] is None and left["options"] is None
    assert api.ok("get", "/products/TEE-S/variants")["items"] == []


def test_bad_variants_are_refused_naming_the_field(api: Api) -> None:
    _tee(api, "TEE-M", "M")

    def refused(body: dict[str, object]) -> tuple[int, str, str]:
        r = api.post("/products", body)
        error = r.json()["error"]
        return r.status_code, error["code"], str(error.get("details", {}).get("field", ""))

    base = {"sku": "TEE-X", "name": "Tee"}
    status, code, field = refused(
        {**base, "group": "TEE", "options": {"colour": "Blue", "size": "S"}}
    )
    assert (status, code, field) == (422, "variant_options_mismatch", "options")
    status, code, field = refused(
        {**base, "group": "TEE", "options": {"size": "M", "colour": "Blue"}}
    )
    assert (status, code, field) == (409, "duplicate_variant", "options")
    status, code, _ = refused({**base, "options": {"size": "S"}})
    assert (status, code) == (422, "options_without_group")
    r = api.post("/products", {**base, "group": "TEE", "options": {"Size!": "S"}})
    assert r.status_code == 422
    assert "options" in r.text
    assert api.get("/products/TEE-X").status_code == 404  # nothing half-written


def test_the_cli_adds_variants_lists_them_and_refuses_a_mismatch(
    api: Api, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PODIUM_DATABASE_URL", database_url)
    runner = CliRunner()
    made = runner.invoke(
        app, ["products", "add", "TEE-M", "--name", "Tee M", "--group", "TEE", "--option", "size=M"]
    )
    assert made.exit_code == 0, made.output
    assert "TEE-M  Tee M · group TEE · size M" in made.output
    api.ok("post", "/products", {"sku": "TEE-L", "name": "Tee L"})
    joined = runner.invoke(
        app, ["products", "set-variant", "TEE-L", "--group", "TEE", "--option", "size=L", "--json"]
    )
    assert joined.exit_code == 0, joined.output
    assert json.loads(joined.output)["options"] == {"size": "L"}
    listed = runner.invoke(app, ["products", "variants", "TEE-M", "--json"])
    assert [p["sku"] for p in json.loads(listed.output)["items"]] == ["TEE-L"]
    refused = runner.invoke(
        app,
        ["products", "add", "TEE-S", "--name", "Tee S", "--group", "TEE", "--option", "colour=Red"],
    )
    assert refused.exit_code == 2
    assert "variant_options_mismatch" in refused.output
    bad = runner.invoke(app, ["products", "add", "TEE-S", "--name", "S", "--option", "size"])
    assert bad.exit_code == 2 and "NAME=VALUE" in bad.output
    assert api.get("/products/TEE-S").status_code == 404
