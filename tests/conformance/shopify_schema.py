"""The Shopify Admin GraphQL schema of a version, and a check of one document + variables
against it (graphql-core: parse, validate, coerce the variables as Shopify's server would)."""

from __future__ import annotations

import gzip
import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from graphql import GraphQLSchema, build_client_schema, parse, validate
from graphql.execution.values import get_variable_values
from graphql.language import OperationDefinitionNode

SCHEMAS = Path(__file__).parent / "schemas" / "shopify"


def schema_path(version: str) -> Path:
    return SCHEMAS / f"admin_{version}.json.gz"


@cache
def admin_schema(version: str) -> GraphQLSchema:
    path = schema_path(version)
    if not path.exists():
        pytest.skip(f"The Shopify Admin schema {version} is not here ({path}); see SOURCES.md.")
    with gzip.open(path) as fh:
        raw = json.load(fh)
    schema = build_client_schema(raw.get("data", raw))
    # Shopify's schema marks some interface implementations deprecated while the interface
    # field is not, which graphql-core's schema check refuses; Shopify serves it as it is, so
    # the schema is taken as valid and only documents are checked against it.
    schema._validation_errors = []
    return schema


def document_errors(document: str, variables: dict[str, Any], version: str) -> list[str]:
    """Every way Shopify would refuse this request before running it: a syntax error, a
    field or argument the version does not have, a missing directive argument, or variables
    that do not coerce to their declared input types. Empty when Shopify would accept it."""
    schema = admin_schema(version)
    ast = parse(document)
    errors = [e.message for e in validate(schema, ast)]
    if errors:
        return errors
    for op in ast.definitions:
        if isinstance(op, OperationDefinitionNode):
            coerced = get_variable_values(schema, op.variable_definitions or [], variables)
            if isinstance(coerced, list):
                errors.extend(e.message for e in coerced)
    return errors
