"""A fake Shopify Admin GraphQL API that refuses what Shopify refuses: a wrong
X-Shopify-Access-Token (401), any document or variables the published 2026-04 schema rejects
(including a mutation that needs ``@idempotent(key:)`` without it), a query asking for more
than 1,000 cost points (MAX_COST_EXCEEDED), more points than the leaky bucket holds
(THROTTLED with ``extensions.cost.throttleStatus``) and, on demand, HTTP 429 + Retry-After.
An idempotency key seen before replays its first answer (nothing changes twice); reused with
other parameters it is refused. Plus signed webhook deliveries as Shopify sends them."""

from __future__ import annotations

import hashlib
import json
import time
import uuid
from typing import Any

from graphql import parse
from graphql.language import FieldNode, OperationDefinitionNode
from graphql.utilities import value_from_ast_untyped

from conformance.shopify_schema import MAX_COST, document_errors, requested_cost, schema_path
from fakes.channels.base import FakeServer, Reply, sign_b64
from fakes.channels.shopify_state import Shop, gid

__all__ = ["SCHEMA_VERSION", "FakeShopify", "shopify_webhook"]

SCHEMA_VERSION = "2026-04"  # the schema every request is checked against


def shopify_webhook(
    topic: str, payload: Any, secret: str, delivery_id: str | None = None
) -> tuple[bytes, dict[str, str]]:
    """The body and headers of a webhook delivery, signed like Shopify signs it."""
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    headers = {
        "Content-Type": "application/json",
        "X-Shopify-Topic": topic,
        "X-Shopify-Hmac-Sha256": sign_b64(secret, body),
        "X-Shopify-Shop-Domain": "podium-test.myshopify.com",
        "X-Shopify-API-Version": SCHEMA_VERSION,
        "X-Shopify-Webhook-Id": delivery_id or str(uuid.uuid4()),
    }
    return body, headers


def _error(message: str, code: str, **extra: Any) -> dict[str, Any]:
    return {"errors": [{"message": message, "extensions": {"code": code, **extra}}]}


def _root(document: str, variables: dict[str, Any]) -> tuple[FieldNode, str | None]:
    """The operation's root field and its idempotency key, if it carries one."""
    op = next(d for d in parse(document).definitions if isinstance(d, OperationDefinitionNode))
    field = next(s for s in op.selection_set.selections if isinstance(s, FieldNode))
    key = None
    for d in field.directives or ():
        if d.name.value == "idempotent":
            for arg in d.arguments or ():
                if arg.name.value == "key":
                    key = value_from_ast_untyped(arg.value, variables)
    return field, key


def _argument(document: str, field_name: str, arg: str, variables: dict[str, Any]) -> Any:
    """The value of ``arg`` on the first field called ``field_name`` in the document."""

    def walk(selection_set: Any) -> Any:
        for sel in selection_set.selections if selection_set else ():
            if isinstance(sel, FieldNode):
                if sel.name.value == field_name:
                    for a in sel.arguments or ():
                        if a.name.value == arg:
                            return value_from_ast_untyped(a.value, variables)
                    return None
                found = walk(sel.selection_set)
                if found is not None:
                    return found
        return None

    op = next(d for d in parse(document).definitions if isinstance(d, OperationDefinitionNode))
    return walk(op.selection_set)


class FakeShopify(FakeServer, Shop):
    def __init__(
        self, token: str = "shpat_test", *, bucket: float = 1000.0, restore: float = 50.0
    ) -> None:
        FakeServer.__init__(self)
        Shop.__init__(self)
        self.token = token
        self.maximum, self.restore = bucket, restore
        self.available, self.stamp = bucket, time.monotonic()
        self.sent: list[tuple[str, dict[str, Any]]] = []  # every document + variables received
        self.refused: list[list[str]] = []  # what schema validation refused
        self.versions: list[str] = []  # the API version of each request's URL
        self.replays: dict[str, tuple[str, dict[str, Any]]] = {}  # key -> (params, answer)
        self.replayed = 0
        self.validate = schema_path(SCHEMA_VERSION).exists()

    def level(self, item: str, location: str) -> int | None:
        return self.levels.get((gid("InventoryItem", item), gid("Location", location)))

    def _spend(self, cost: float) -> tuple[bool, dict[str, Any]]:
        now = time.monotonic()
        self.available = min(self.maximum, self.available + (now - self.stamp) * self.restore)
        self.stamp = now
        ok = self.available >= cost
        if ok:
            self.available -= cost
        else:
            self.throttled += 1
        status = {
            "maximumAvailable": self.maximum,
            "currentlyAvailable": int(self.available),
            "restoreRate": self.restore,
        }
        return ok, {"cost": {"requestedQueryCost": cost, "throttleStatus": status}}

    def route(
        self,
        method: str,
        path: str,
        query: dict[str, list[str]],
        headers: dict[str, str],
        body: bytes,
    ) -> Reply:
        if not path.endswith("/graphql.json") or method != "POST":
            return Reply(404, {"errors": "Not Found"})
        if headers.get("x-shopify-access-token") != self.token:
            return Reply(401, {"errors": "[API] Invalid API key or access token"})
        request = json.loads(body)
        text, variables = request["query"], request.get("variables") or {}
        with self.lock:
            self.sent.append((text, variables))
            self.versions.append(path.split("/")[-2])
        if self.validate:
            problems = document_errors(text, variables, SCHEMA_VERSION)
            if problems:
                with self.lock:
                    self.refused.append(problems)
                return Reply(200, _error(problems[0], "GRAPHQL_VALIDATION_FAILED"))
            cost = requested_cost(text, variables, SCHEMA_VERSION)
            if cost > MAX_COST:
                message = (
                    f"Query cost is {cost}, which exceeds the single query max cost limit "
                    f"({MAX_COST})."
                )
                return Reply(200, _error(message, "MAX_COST_EXCEEDED", cost=cost, maxCost=MAX_COST))
        else:
            cost = 10 if text.lstrip().startswith("mutation") else 2
        with self.lock:
            ok, ext = self._spend(float(cost))
            if not ok:
                return Reply(200, {**_error("Throttled", "THROTTLED"), "extensions": ext})
            data = self._answer(text, variables)
        return Reply(200, {"data": data, "extensions": ext})

    def _answer(self, text: str, variables: dict[str, Any]) -> dict[str, Any]:
        field, key = _root(text, variables)
        name = field.name.value
        if key is not None:
            params = hashlib.sha256(
                json.dumps(
                    {k: v for k, v in variables.items() if k != "key"}, sort_keys=True
                ).encode()
            ).hexdigest()
            seen = self.replays.get(key)
            if seen is not None:
                if seen[0] != params:
                    return {name: _mismatch(name)}
                self.replayed += 1
                return seen[1]
            answer = self._run(name, text, variables)
            self.replays[key] = (params, answer)
            return answer
        return self._run(name, text, variables)

    def _run(self, name: str, text: str, variables: dict[str, Any]) -> dict[str, Any]:
        if name == "inventorySetQuantities":
            payload, changed = self.set_quantities(variables["input"])
            if changed:
                for q in variables["input"]["quantities"]:
                    self.record(f"{q['inventoryItemId']}@{q['locationId']}", q["quantity"])
            return {name: payload}
        if name == "inventoryItem":
            return self.level_answer(variables["item"], variables["location"])
        if name == "productVariants":
            return self.variants_page(variables.get("after"))
        if name == "order" and "fulfillmentOrders" in text:
            first = int(_argument(text, "fulfillmentOrders", "first", variables) or 0)
            after = _argument(text, "fulfillmentOrders", "after", variables)
            lines_first = int(_argument(text, "lineItems", "first", variables) or 0)
            return self.fulfillment_orders(variables["id"], first, after, lines_first)
        if name == "fulfillmentOrder":
            first = int(_argument(text, "lineItems", "first", variables) or 0)
            after = _argument(text, "lineItems", "after", variables)
            return self.fulfillment_order_lines(variables["id"], first, after)
        if name == "order":
            return self.payments(variables["id"])
        if name == "fulfillmentCreate":
            return {name: self.create_fulfillment(variables["fulfillment"])[0]}
        if name == "refundCreate":
            return {name: self.refund(variables["input"])[0]}
        if name == "orderCancel":
            return {name: self.cancel(variables)[0]}
        raise AssertionError(f"The fake Shopify does not answer {name}")


def _mismatch(name: str) -> dict[str, Any]:
    message = "The same idempotency key cannot be used with different operation parameters."
    if name == "inventorySetQuantities":
        return {
            "inventoryAdjustmentGroup": None,
            "userErrors": [
                {"code": "IDEMPOTENCY_KEY_PARAMETER_MISMATCH", "field": None, "message": message}
            ],
        }
    return {"userErrors": [{"field": None, "message": message}]}
