"""What fuzzing the API found: each was a 500 or a silent wrong answer, each is now a 4xx with
the error shape naming the field, and nothing is written."""

from __future__ import annotations

from typing import Any

import pytest
from dashboard_support import cheap_passwords, sign_in
from fastapi.routing import APIRoute, iter_route_contexts

from podium.api.app import create_app
from podium.bootstrap import Podium
from support import Api, order_body, seed_store

HUGE = "99999999999999999999"
JUST_PAST_BIGINT = str(2**63)


@pytest.fixture
def store(api: Api) -> Api:
    seed_store(api, {("TEE", "EAST"): 5})
    return api


def _error(response: Any, status: int, code: str, field: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.text
    error: dict[str, Any] = response.json()["error"]
    assert error["code"] == code, error
    assert error["message"]
    if field is not None:
        assert error["details"]["field"] == field, error
    return error


# --- ids beyond a BIGINT, and digits that are not ASCII -----------------------------------


# Rule versions are an INTEGER column: 2**31 and 2**63 - 2 overflowed on PostgreSQL.
@pytest.mark.parametrize("version", [HUGE, JUST_PAST_BIGINT, str(2**63 - 2), str(2**31), "¹", "-1"])
def test_a_rules_version_beyond_a_bigint_is_a_422_naming_it(api: Api, version: str) -> None:
    _error(api.get(f"/routing/rules/versions/{version}"), 422, "validation_error", "version")


@pytest.mark.parametrize("version", [int(HUGE), 2**63, 2**31])
def test_rollback_to_a_version_beyond_a_bigint_is_a_422(api: Api, version: int) -> None:
    _error(api.post("/routing/rules/rollback", {"version": version}), 422, "validation_error")
    assert api.ok("get", "/routing/rules")["version"] == 0  # nothing saved


def test_the_dashboard_shows_the_active_rules_for_a_version_beyond_the_column(
    podium: Podium, api: Api
) -> None:
    browser = sign_in(cheap_passwords(create_app(podium, run_relay=False)), podium, "admin")
    for version in (str(2**63 - 2), str(2**31), "¹"):
        assert browser.get(f"/settings/routing-rules?version={version}").status_code == 200


def test_the_cli_refuses_to_roll_back_to_a_version_beyond_the_column(podium: Podium) -> None:
    from podium.errors import NotFound
    from podium.routing import service

    with pytest.raises(NotFound):
        service.rollback(podium.db, 2**31, "test")


@pytest.mark.parametrize("event_id", [HUGE, JUST_PAST_BIGINT, "¹", "٥"])
def test_retrying_an_event_id_beyond_a_bigint_or_not_ascii_is_a_404(
    api: Api, event_id: str
) -> None:
    _error(api.post(f"/events/{event_id}/retry"), 404, "event_not_found")


def test_a_movements_cursor_beyond_a_bigint_is_a_422(store: Api) -> None:
    got = store.get(f"/inventory/TEE/movements?cursor={JUST_PAST_BIGINT}")
    _error(got, 422, "invalid_cursor", "cursor")


# --- booleans are not numbers ------------------------------------------------------------


@pytest.mark.parametrize("version", [False, True, "0"])
def test_rollback_refuses_a_boolean_or_a_string_for_the_version(api: Api, version: Any) -> None:
    _error(api.post("/routing/rules/rollback", {"version": version}), 422, "validation_error")
    assert api.ok("get", "/routing/rules")["version"] == 0  # nothing saved


@pytest.mark.parametrize(
    ("field", "value"),
    [("longitude", False), ("latitude", True), ("priority", False), ("priority", "5")],
)
def test_a_warehouse_refuses_booleans_and_strings_as_numbers(
    api: Api, field: str, value: Any
) -> None:
    body = {"code": "EAST", "name": "East", "address": {"country": "US"}, field: value}
    _error(api.post("/warehouses", body), 422, "validation_error", field)
    assert api.get("/warehouses/EAST").status_code == 404


def test_a_warehouse_still_takes_whole_numbers_as_coordinates(api: Api) -> None:
    body = {"code": "EAST", "name": "East", "address": {"country": "US"}}
    made = api.post("/warehouses", {**body, "latitude": 40, "longitude": -74, "priority": 3})
    assert made.status_code == 201, made.text
    assert (made.json()["latitude"], made.json()["priority"]) == (40.0, 3)


@pytest.mark.parametrize(
    ("field", "value"),
    [("ship_from_store", 0), ("ship_from_store", "yes"), ("active", 1), ("active", "true")],
)
def test_a_warehouse_refuses_numbers_and_strings_as_booleans(
    api: Api, field: str, value: Any
) -> None:
    body = {"code": "EAST", "name": "East", "address": {"country": "US"}, field: value}
    _error(api.post("/warehouses", body), 422, "validation_error", field)
    assert api.get("/warehouses/EAST").status_code == 404


def test_a_warehouse_still_takes_true_and_false(api: Api) -> None:
    body = {"code": "EAST", "name": "East", "address": {"country": "US"}}
    made = api.post("/warehouses", {**body, "ship_from_store": True, "active": False})
    assert made.status_code == 201, made.text
    assert (made.json()["ship_from_store"], made.json()["active"]) == (True, False)


@pytest.mark.parametrize("apply", [0, 1, "true"])
def test_optimise_refuses_a_number_or_a_string_for_apply(api: Api, apply: Any) -> None:
    _error(api.post("/routing/optimise", {"apply": apply}), 422, "validation_error", "apply")


def test_an_order_refuses_a_boolean_longitude_and_writes_nothing(store: Api) -> None:
    body = order_body([("TEE", 1)], external_id="b1")
    body["shipping_address"]["longitude"] = False
    got = store.post("/orders", body)
    _error(got, 422, "validation_error", "shipping_address.longitude")
    assert store.ok("get", "/orders")["items"] == []
    assert store.ok("get", "/inventory/TEE")["reserved"] == 0


def test_a_product_refuses_a_boolean_weight(api: Api) -> None:
    got = api.post("/products", {"sku": "TEE", "name": "Tee", "weight_grams": True})
    _error(got, 422, "validation_error", "weight_grams")


def test_every_number_in_a_request_body_refuses_a_boolean(podium: Podium) -> None:
    """The rule holds for fields added later too: walk every JSON body the API takes."""
    lax = [
        where
        for model, name, field, where in _request_body_fields(podium)
        if _numeric(field.annotation) and _accepts(model, name, True)
    ]
    assert lax == []


def test_every_boolean_in_a_request_body_refuses_numbers_and_strings(podium: Podium) -> None:
    """The reverse of the rule above: ``{"apply": 0}`` or ``"yes"`` is not a boolean."""
    lax: list[str] = []
    strict_enough: list[str] = []
    for model, name, field, where in _request_body_fields(podium):
        if not _boolean(field.annotation):
            continue
        lax += [f"{where} took {v!r}" for v in (0, 1, "true", "yes") if _accepts(model, name, v)]
        strict_enough += [
            f"{where} refused {v!r}" for v in (True, False) if not _accepts(model, name, v)
        ]
    assert lax == []
    assert strict_enough == []


def _request_body_fields(podium: Podium) -> list[tuple[type[Any], str, Any, str]]:
    """(model, field name, field info, where) for every field of every JSON request body."""
    from pydantic import BaseModel

    app = create_app(podium, run_relay=False)
    found: list[tuple[type[Any], str, Any, str]] = []
    seen: set[type[BaseModel]] = set()

    def walk(model: type[BaseModel], where: str) -> None:
        if model in seen:
            return
        seen.add(model)
        for name, field in model.model_fields.items():
            for nested in _models(field.annotation):
                walk(nested, f"{where}.{name}")
            found.append((model, name, field, f"{where}: {model.__name__}.{name}"))

    for route in iter_route_contexts(app.routes):
        body = getattr(route, "body_field", None)
        if isinstance(route.original_route, APIRoute) and body is not None:
            for model in _models(body.field_info.annotation):
                walk(model, f"{sorted(route.methods or ())} {route.path}")
    assert seen, "no request bodies found"
    return found


def _accepts(model: type[Any], name: str, value: Any) -> bool:
    """Whether ``value`` passes as field ``name`` (other fields' errors do not count)."""
    from pydantic import TypeAdapter, ValidationError

    try:
        TypeAdapter(model).validate_python({name: value})
    except ValidationError as exc:
        return not any(tuple(e["loc"])[:1] == (name,) for e in exc.errors())
    return True


def _boolean(annotation: Any) -> bool:
    from typing import get_args

    stack = [annotation]
    while stack:
        a = stack.pop()
        if a is bool:
            return True
        stack.extend(get_args(a))
    return False


def _models(annotation: Any) -> list[type[Any]]:
    from typing import get_args

    from pydantic import BaseModel

    found: list[type[Any]] = []
    stack = [annotation]
    while stack:
        a = stack.pop()
        if isinstance(a, type) and issubclass(a, BaseModel):
            found.append(a)
        else:
            stack.extend(get_args(a))
    return found


def _numeric(annotation: Any) -> bool:
    from typing import get_args

    stack = [annotation]
    while stack:
        a = stack.pop()
        if a in (int, float):
            return True
        stack.extend(get_args(a))
    return False


# --- the manifest's date -----------------------------------------------------------------


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_a_manifest_for_a_day_out_of_range_is_a_422_naming_the_date(store: Api, day: str) -> None:
    for fmt in ("csv", "pdf"):
        got = store.get(f"/warehouses/EAST/manifest.{fmt}?date={day}")
        _error(got, 422, "invalid_date", "date")


def test_the_dashboard_manifest_for_9999_12_31_says_the_date_is_out_of_range(
    podium: Podium, store: Api
) -> None:
    browser = sign_in(cheap_passwords(create_app(podium, run_relay=False)), podium, "admin")
    got = browser.get("/warehouse/EAST/manifest.csv?date=9999-12-31")
    assert got.status_code == 422
    assert "9998-12-31" in got.text


# --- import encodings --------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["rot13", "base64", "hex", "zlib_codec", "bz2", "undefined"])
def test_an_import_in_a_codec_that_is_not_a_text_encoding_is_refused(
    store: Api, encoding: str
) -> None:
    csv = b"order_id,email,sku,quantity,unit_price\nA-1,ann@example.com,TEE,1,19.99\n"
    for kind in ("orders", "inventory"):
        got = store.client.post(
            f"/api/v1/imports/{kind}?channel=web&encoding={encoding}",
            content=csv,
            headers={**store.headers("admin"), "Content-Type": "text/csv"},
        )
        _error(got, 422, "invalid_encoding", "encoding")
    assert store.ok("get", "/orders")["items"] == []


# --- bodies that are not JSON --------------------------------------------------------------


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", None])
def test_a_json_body_sent_without_the_json_content_type_is_a_415(
    api: Api, content_type: str | None
) -> None:
    headers = api.headers("admin")
    if content_type is not None:
        headers["Content-Type"] = content_type
    got = api.client.post(
        "/api/v1/channels",
        content=b'{"code": "web", "name": "Web store", "type": "manual"}',
        headers=headers,
    )
    error = _error(got, 415, "unsupported_media_type", "body")
    assert "application/json" in error["message"]
    assert api.ok("get", "/channels")["items"] == []


def test_a_json_body_with_a_charset_or_a_json_suffix_is_taken(api: Api) -> None:
    for code, kind in (
        ("web", "application/json; charset=utf-8"),
        ("pos", "application/vnd.x+json"),
    ):
        got = api.client.post(
            "/api/v1/channels",
            content=f'{{"code": "{code}", "name": "N", "type": "manual"}}'.encode(),
            headers={**api.headers("admin"), "Content-Type": kind},
        )
        assert got.status_code == 201, got.text


def test_a_missing_body_is_still_a_422_naming_it(api: Api) -> None:
    got = api.client.post("/api/v1/channels", headers=api.headers("admin"))
    _error(got, 422, "validation_error", "body")


# --- 405s name every method the path takes ---------------------------------------------------

_PROBES = ("GET", "POST", "PUT", "PATCH", "DELETE")


def test_an_api_405_lists_exactly_the_methods_its_path_accepts(podium: Podium, api: Api) -> None:
    app = create_app(podium, run_relay=False)
    declared: dict[str, set[str]] = {}
    for route in iter_route_contexts(app.routes):
        if route.path and route.path.startswith("/api/") and route.methods:
            declared.setdefault(route.path, set()).update(route.methods)
    checked = 0
    for path in declared:
        url = path.replace("{fmt}", "csv")
        url = "/".join("x1" if "{" in part else part for part in url.split("/"))
        # Everything a concrete URL matches counts: /pick-lists/x1.pdf is also /pick-lists/{id}.
        accepts = {
            m for other, methods in declared.items() for m in methods if _matches(other, url)
        }
        for method in _PROBES:
            if method in accepts:
                continue
            got = api.client.request(method, url, headers=api.headers("admin"))
            assert got.status_code == 405, (method, url, got.status_code)
            allow = {m.strip() for m in got.headers["allow"].split(",")}
            expected = accepts | ({"HEAD"} if "GET" in accepts else set())
            assert allow == expected, (method, url, allow, expected)
            assert got.json()["error"]["code"] == "method_not_allowed"
            checked += 1
    assert checked > 300


def _matches(template: str, url: str) -> bool:
    import re

    pattern = re.sub(
        r"\{[^}]+\}", "[^/]+", re.escape(template).replace(r"\{", "{").replace(r"\}", "}")
    )
    return re.fullmatch(pattern, url) is not None


# --- the OpenAPI document names the errors --------------------------------------------------


def test_every_operation_documents_its_errors_in_the_error_shape(api: Api) -> None:
    doc = api.client.get("/api/v1/openapi.json").json()
    assert "HTTPValidationError" not in doc["components"]["schemas"]
    error = doc["components"]["schemas"]["Error"]
    assert error["properties"]["error"]["required"] == ["code", "message", "details"]
    operations = 0
    for path, item in doc["paths"].items():
        for method, op in item.items():
            operations += 1
            responses = op["responses"]
            if op.get("security"):
                assert {"401", "403"} <= responses.keys(), (method, path)
            if "{" in path:
                assert "404" in responses, (method, path)
            if "requestBody" in op:
                assert {"413", "422"} <= responses.keys(), (method, path)
            if method in ("post", "put", "patch", "delete"):
                assert "409" in responses, (method, path)
            for status, response in responses.items():
                if (status >= "400" and status != "422") or status == "422":
                    schema = response.get("content", {}).get("application/json", {}).get("schema")
                    if schema is not None and "$ref" in schema:
                        assert not schema["$ref"].endswith("HTTPValidationError"), (method, path)
    assert operations > 100
