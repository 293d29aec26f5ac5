"""The Shopify Admin GraphQL schema of a version, and a check of one document + variables
against it (graphql-core: parse, validate, coerce the variables as Shopify's server would)."""

from __future__ import annotations

import gzip
import json
import re
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLUnionType,
    build_client_schema,
    parse,
    validate,
)
from graphql.execution.values import get_variable_values
from graphql.language import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
)
from graphql.utilities import value_from_ast_untyped

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


@lru_cache(maxsize=256)
def _validated(document: str, version: str) -> tuple[DocumentNode, tuple[str, ...]]:
    """The parsed document and what validation says of it (the same document is checked once:
    the fake Shopify checks every request it gets)."""
    ast = parse(document)
    return ast, tuple(e.message for e in validate(admin_schema(version), ast))


def document_errors(document: str, variables: dict[str, Any], version: str) -> list[str]:
    """Every way Shopify would refuse this request before running it: a syntax error, a
    field or argument the version does not have, a missing directive argument, variables
    that do not coerce to their declared input types, or a mutation this version accepts
    only with ``@idempotent(key:)`` sent without it. Empty when Shopify would accept it."""
    schema = admin_schema(version)
    ast, found = _validated(document, version)
    errors = list(found)
    if errors:
        return errors
    for op in ast.definitions:
        if isinstance(op, OperationDefinitionNode):
            coerced = get_variable_values(schema, op.variable_definitions or [], variables)
            if isinstance(coerced, list):
                errors.extend(e.message for e in coerced)
    return errors + missing_idempotency(document, version)


# --- Idempotency: mutations a version accepts only with @idempotent(key:) ---------------------
_REQUIRED = re.compile(r"As of (?:version )?`?(\d{4}-\d{2})`?, the idempotency key is required")


@cache
def idempotent_required(version: str) -> frozenset[str]:
    """Mutations whose description (in this version's schema) says the ``@idempotent`` key
    is required as of this version or an earlier one."""
    mutation = admin_schema(version).mutation_type
    assert mutation is not None
    found = set()
    for name, field in mutation.fields.items():
        since = _REQUIRED.search(field.description or "")
        if since and since.group(1) <= version:
            found.add(name)
    return frozenset(found)


def missing_idempotency(document: str, version: str) -> list[str]:
    """Root mutation fields of ``document`` that need ``@idempotent(key:)`` and lack it."""
    required = idempotent_required(version)
    errors = []
    for op in parse(document).definitions:
        if not isinstance(op, OperationDefinitionNode) or op.operation != OperationType.MUTATION:
            continue
        for sel in op.selection_set.selections:
            if not isinstance(sel, FieldNode) or sel.name.value not in required:
                continue
            if not any(d.name.value == "idempotent" for d in sel.directives or ()):
                errors.append(
                    f"{sel.name.value} requires the @idempotent(key:) directive in {version}"
                )
    return errors


# --- Requested cost, by Shopify's published rules ---------------------------------------------
# Scalar and enum 0; object 1; interface and union: the most expensive possible selection;
# connection: 2 + (first or last) × the cost of one node; a mutation field 10. A query whose
# requested cost is over 1,000 is refused before it runs (MAX_COST_EXCEEDED).
MAX_COST = 1000
MUTATION_COST = 10
CONNECTION_COST = 2


def requested_cost(document: str, variables: dict[str, Any], version: str = "2026-04") -> int:
    """The points Shopify asks for ``document`` before running it (its requestedQueryCost)."""
    return _Coster(admin_schema(version), parse(document), variables).total()


def _named(t: Any) -> Any:
    while isinstance(t, GraphQLNonNull | GraphQLList):
        t = t.of_type
    return t


def _is_list(t: Any) -> bool:
    while isinstance(t, GraphQLNonNull):
        t = t.of_type
    return isinstance(t, GraphQLList)


class _Coster:
    def __init__(self, schema: GraphQLSchema, ast: Any, variables: dict[str, Any]) -> None:
        self.schema, self.ast, self.variables = schema, ast, variables
        self.fragments = {
            d.name.value: d for d in ast.definitions if isinstance(d, FragmentDefinitionNode)
        }

    def total(self) -> int:
        total = 0
        for op in self.ast.definitions:
            if not isinstance(op, OperationDefinitionNode):
                continue
            root = self.schema.get_root_type(op.operation)
            assert root is not None
            for sel in self.fields(op.selection_set):
                field = root.fields[sel.name.value]
                if op.operation == OperationType.MUTATION:
                    total += MUTATION_COST + self.children(_named(field.type), sel.selection_set)
                else:
                    total += self.cost(field, sel)
        return total

    def fields(self, selection_set: Any) -> list[FieldNode]:
        """The fields of a selection set, fragments spread in."""
        out: list[FieldNode] = []
        for sel in selection_set.selections if selection_set else ():
            if isinstance(sel, FieldNode):
                out.append(sel)
            elif isinstance(sel, InlineFragmentNode):
                out.extend(self.fields(sel.selection_set))
            elif isinstance(sel, FragmentSpreadNode):
                out.extend(self.fields(self.fragments[sel.name.value].selection_set))
        return out

    def size(self, node: FieldNode) -> int:
        for arg in node.arguments or ():
            if arg.name.value in ("first", "last"):
                return int(value_from_ast_untyped(arg.value, self.variables) or 0)
        return 1

    def children(self, t: Any, selection_set: Any) -> int:
        if isinstance(t, GraphQLObjectType):
            return sum(
                self.cost(t.fields[f.name.value], f)
                for f in self.fields(selection_set)
                if f.name.value != "__typename"
            )
        if isinstance(t, GraphQLInterfaceType | GraphQLUnionType):
            return self.abstract(t, selection_set)
        return 0

    def abstract(self, t: Any, selection_set: Any) -> int:
        """An interface or union costs its most expensive possible selection."""
        own = sum(
            self.cost(t.fields[f.name.value], f)
            for f in selection_set.selections
            if isinstance(f, FieldNode)
            and isinstance(t, GraphQLInterfaceType)
            and f.name.value != "__typename"
        )
        best = 0
        for sel in selection_set.selections:
            if isinstance(sel, FieldNode):
                continue
            frag = sel if isinstance(sel, InlineFragmentNode) else self.fragments[sel.name.value]
            cond = frag.type_condition
            target = self.schema.get_type(cond.name.value) if cond else t
            best = max(best, self.children(target, frag.selection_set))
        return own + best

    def cost(self, field: Any, node: FieldNode) -> int:
        t = _named(field.type)
        if isinstance(t, GraphQLScalarType | GraphQLEnumType):
            return 0
        if isinstance(t, GraphQLObjectType) and t.name.endswith("Connection"):
            return CONNECTION_COST + self.size(node) * self.per_node(t, node)
        one = 1 + self.children(t, node.selection_set)
        if _is_list(field.type) and any(
            a.name.value in ("first", "last") for a in node.arguments or ()
        ):
            return CONNECTION_COST + self.size(node) * one
        return one

    def per_node(self, connection: GraphQLObjectType, node: FieldNode) -> int:
        """One node of a connection (through ``nodes`` or ``edges { node }``): the object
        and what is selected in it; ``pageInfo`` is part of the connection's own cost."""
        best = 0
        for sub in self.fields(node.selection_set):
            if sub.name.value == "nodes":
                item = _named(connection.fields["nodes"].type)
                best = max(best, 1 + self.children(item, sub.selection_set))
            elif sub.name.value == "edges":
                edge = _named(connection.fields["edges"].type)
                for inner in self.fields(sub.selection_set):
                    if inner.name.value == "node":
                        item = _named(edge.fields["node"].type)
                        best = max(best, 1 + self.children(item, inner.selection_set))
        return best
