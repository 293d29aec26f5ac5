"""Amazon's published SP-API models (Swagger 2.0), and a check of one request against them:
the operation its method and path name, its query parameters against the declared ones
(required, known, typed, ``collectionFormat`` arrays, enums) and its body against the body
parameter's schema with every ``$ref`` resolved (jsonschema, draft 4 as Swagger 2.0 uses).

Used by the conformance tests and by the fake SP-API (which refuses what Amazon would)."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft4Validator  # type: ignore[import-untyped]

__all__ = ["MODELS", "load_model", "model_for", "operation", "request_errors"]

SCHEMAS = Path(__file__).parent / "schemas" / "amazon"
MODELS = {
    "/orders/v0/": "ordersV0.json",
    "/listings/2021-08-01/": "listingsItems_2021-08-01.json",
    "/tokens/2021-03-01/": "tokens_2021-03-01.json",
}


@cache
def load_model(name: str) -> dict[str, Any] | None:
    """The model file as published, or None when it is not here (see SOURCES.md)."""
    path = SCHEMAS / name
    if not path.exists():
        return None
    loaded: dict[str, Any] = json.loads(path.read_text())
    return loaded


def model_for(path: str) -> dict[str, Any] | None:
    for prefix, name in MODELS.items():
        if path.startswith(prefix):
            return load_model(name)
    return None


def _template_regex(template: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[^}]+\})", template)
    return re.compile(
        "^" + "".join("[^/]+" if p.startswith("{") else re.escape(p) for p in parts) + "$"
    )


def operation(
    model: dict[str, Any], method: str, path: str
) -> tuple[str, dict[str, Any], list[dict[str, Any]]] | None:
    """(path template, operation, its parameters incl. the path's) for a concrete path, or
    None when the model has no such operation. A literal segment beats a placeholder."""
    matches = [
        t
        for t in model["paths"]
        if _template_regex(t).match(path) and method.lower() in model["paths"][t]
    ]
    if not matches:
        return None
    template = min(matches, key=lambda t: t.count("{"))
    item = model["paths"][template]
    op = item[method.lower()]
    params = [*item.get("parameters", []), *op.get("parameters", [])]
    return template, op, params


_validators: dict[tuple[int, str], Draft4Validator] = {}


def _validator(model: dict[str, Any], schema: dict[str, Any]) -> Draft4Validator:
    key = (id(model), json.dumps(schema, sort_keys=True))
    found = _validators.get(key)
    if found is None:
        root = {**schema, "definitions": model.get("definitions", {})}
        found = _validators[key] = Draft4Validator(root)
    return found


def _errors(model: dict[str, Any], schema: dict[str, Any], value: Any, where: str) -> list[str]:
    found = sorted(_validator(model, schema).iter_errors(value), key=lambda e: list(e.path))
    return [f"{where}{''.join(f'[{p!r}]' for p in e.path)}: {e.message}" for e in found]


def _coerce(param: dict[str, Any], raw: list[str]) -> Any:
    """A query parameter as the server reads it (Swagger 2.0: csv arrays by default)."""
    kind = param.get("type")
    if kind == "array":
        fmt = param.get("collectionFormat", "csv")
        if fmt == "multi":
            values = raw
        else:
            sep = {"csv": ",", "ssv": " ", "tsv": "\t", "pipes": "|"}[fmt]
            values = [v for r in raw for v in r.split(sep)]
        item = param.get("items", {})
        return [_scalar(item.get("type"), v) for v in values]
    if len(raw) != 1:
        return raw  # a scalar sent twice: the schema check says so
    return _scalar(kind, raw[0])


def _scalar(kind: str | None, raw: str) -> Any:
    try:
        if kind == "integer":
            return int(raw)
        if kind == "number":
            return float(raw)
    except ValueError:
        return raw
    if kind == "boolean":
        return {"true": True, "false": False}.get(raw, raw)
    return raw


_SCHEMA_KEYS = ("type", "items", "enum", "maxItems", "minItems", "maximum", "minimum", "format")


def request_errors(
    method: str,
    path: str,
    query: dict[str, Any] | None = None,
    body: Any = None,
) -> list[str]:
    """Every way this request disagrees with Amazon's model (empty: it conforms). ``query``
    maps names to a value or a list of raw values (as ``parse_qs`` gives them)."""
    model = model_for(path)
    if model is None:
        return []
    found = operation(model, method, path)
    if found is None:
        return [f"{method} {path}: no such operation in the model"]
    template, op, params = found
    name = op.get("operationId", template)
    errors: list[str] = []
    raw_query = {
        k: [str(x) for x in v] if isinstance(v, list) else [str(v)]
        for k, v in (query or {}).items()
    }
    declared = {p["name"]: p for p in params if p.get("in") == "query"}
    for key in raw_query:
        if key not in declared:
            errors.append(f"{name}: query parameter {key} is not declared")
    for key, param in declared.items():
        if key not in raw_query:
            if param.get("required"):
                errors.append(f"{name}: query parameter {key} is required")
            continue
        schema = {k: param[k] for k in _SCHEMA_KEYS if k in param}
        errors += _errors(model, schema, _coerce(param, raw_query[key]), f"{name}?{key}")
    body_param = next((p for p in params if p.get("in") == "body"), None)
    if body_param is None:
        if body not in (None, b"", {}):
            errors.append(f"{name}: takes no body")
    elif body is None:
        if body_param.get("required"):
            errors.append(f"{name}: a body is required")
    else:
        errors += _errors(model, body_param["schema"], body, f"{name} body")
    return errors
