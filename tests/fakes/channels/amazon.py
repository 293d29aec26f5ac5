"""A fake SP-API that refuses what Amazon refuses.

- Login with Amazon at ``/auth/o2/token``: form-encoded ``grant_type=refresh_token`` with the
  right client id, client secret and refresh token, else 400/401 as LWA answers. Access tokens
  expire (``ttl``); ``advance(seconds)`` moves the fake's clock. An expired or unknown token is
  403 ``Unauthorized``. ``fixed_token`` is a token set up by hand (channels from before LWA).
- Restricted data: getOrders shows buyer name, e-mail and the street address only to a
  Restricted Data Token for that path with those data elements; RDTs are refused (403) when
  ``pii_role`` is False, and are no good on any other path.
- Rate limits per operation with Amazon's bursts: a 429 carries ``x-amzn-RateLimit-Limit``.
- Every request's query and body are checked against Amazon's published models
  (``conformance.amazon_models``): 400 ``InvalidInput`` naming what is wrong. confirmShipment
  also needs a carrierName with carrierCode ``Other``, a numeric packageReferenceId unique in
  the order, and order item ids of that order.
- SKUs in paths are percent-decoded; ``replace`` on ``fulfillment_availability`` replaces the
  whole value (wiping handling time and restock date), ``merge`` merges it.
"""

from __future__ import annotations

import json
import time
from itertools import count
from typing import Any
from urllib.parse import parse_qs, unquote

from conformance.amazon_models import request_errors
from fakes.channels.base import FakeServer, Reply
from podium.channels.http import Bucket

__all__ = ["FakeAmazon"]

RESTRICTED_FIELDS = ("Name", "AddressLine1", "AddressLine2", "AddressLine3", "Phone")


def _denied(details: str) -> Reply:
    return Reply(
        403,
        {
            "errors": [
                {
                    "code": "Unauthorized",
                    "message": "Access to requested resource is denied.",
                    "details": details,
                }
            ]
        },
    )


def _invalid(errors: list[str]) -> Reply:
    return Reply(
        400, {"errors": [{"code": "InvalidInput", "message": m, "details": ""} for m in errors]}
    )


class FakeAmazon(FakeServer):
    def __init__(
        self,
        token: str = "Atza|test",
        page_size: int = 2,
        *,
        client_id: str = "amzn1.application-oa2-client.podium",
        client_secret: str = "lwa-secret-0123456789",
        refresh_token: str = "Atzr|refresh-0123456789",
        ttl: float = 3600.0,
    ) -> None:
        super().__init__()
        self.fixed_token = self.token = token
        self.page_size = page_size
        self.client_id, self.client_secret = client_id, client_secret
        self.refresh_token, self.ttl = refresh_token, ttl
        self.pii_role = True
        self.offset = 0.0  # seconds the fake's clock is ahead of the real one
        self.issued: dict[str, float] = {}  # access token -> expires at
        self.rdts: dict[str, tuple[float, list[dict[str, Any]]]] = {}
        self.exchanges = 0
        self.rdt_requests = 0
        self._serial = count(1)
        self.orders: list[dict[str, Any]] = []
        self.items: dict[str, list[dict[str, Any]]] = {}
        self.quantities: dict[str, int] = {}  # seller SKU -> quantity
        self.availability: dict[str, dict[str, Any]] = {}  # seller SKU -> its attribute value
        self.confirmations: list[dict[str, Any]] = []
        self.queries: list[dict[str, list[str]]] = []
        self.invalid: list[str] = []  # what the models refused (tests assert it stays empty)
        self.limits = {
            "getOrders": Bucket(100.0, 20.0),
            "getOrderItems": Bucket(100.0, 30.0),
            "listings": Bucket(5.0, 10.0),
            "confirmShipment": Bucket(2.0, 10.0),
            "createRestrictedDataToken": Bucket(1.0, 10.0),
        }

    # --- clock and tokens ------------------------------------------------------------------

    def now(self) -> float:
        return time.time() + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += seconds

    def settings(self, **extra: Any) -> dict[str, Any]:
        """Channel settings that sign in to this fake with Login with Amazon."""
        return {
            "endpoint": self.url,
            "token_endpoint": f"{self.url}/auth/o2/token",
            "client_id": self.client_id,
            "client_secret": self.client_secret,
            "refresh_token": self.refresh_token,
            "seller_id": "A1SELLER",
            "marketplace_id": "ATVPDKIKX0DER",
            **extra,
        }

    def _lwa(self, headers: dict[str, str], body: bytes) -> Reply:
        if "application/x-www-form-urlencoded" not in headers.get("content-type", ""):
            return Reply(400, {"error": "invalid_request", "error_description": "form only"})
        form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
        if form.get("grant_type") != "refresh_token":
            return Reply(400, {"error": "unsupported_grant_type"})
        if form.get("client_id") != self.client_id or form.get("client_secret") != (
            self.client_secret
        ):
            return Reply(401, {"error": "invalid_client", "error_description": "Client auth"})
        if form.get("refresh_token") != self.refresh_token:
            return Reply(400, {"error": "invalid_grant", "error_description": "bad token"})
        with self.lock:
            self.exchanges += 1
            token = f"Atza|{next(self._serial)}"
            self.issued[token] = self.now() + self.ttl
        return Reply(
            200,
            {
                "access_token": token,
                "refresh_token": self.refresh_token,
                "token_type": "bearer",
                "expires_in": int(self.ttl),
            },
        )

    def _access_ok(self, token: str | None) -> str | None:
        """Why this access token is refused (None: it is good)."""
        if token is None:
            return "Access token is missing in the request header."
        if token == self.fixed_token and token not in self.issued:
            return None
        until = self.issued.get(token)
        if until is None:
            return "The access token you provided is revoked, malformed or invalid."
        if self.now() >= until:
            return "The access token you provided has expired."
        return None

    # --- routing ---------------------------------------------------------------------------

    def route(
        self,
        method: str,
        path: str,
        query: dict[str, list[str]],
        headers: dict[str, str],
        body: bytes,
    ) -> Reply:
        if path == "/auth/o2/token" and method == "POST":
            return self._lwa(headers, body)
        parts = [unquote(p) for p in path.strip("/").split("/")]
        operation = self._operation(method, parts)
        token = headers.get("x-amz-access-token")
        rdt = self.rdts.get(token or "")
        if rdt is not None:
            if self.now() >= rdt[0]:
                return _denied("The access token you provided has expired.")
            if not any(r["method"] == method and r["path"] == path for r in rdt[1]):
                return _denied("The RDT is not valid for this resource.")
        else:
            refused = self._access_ok(token)
            if refused:
                return _denied(refused)
        try:
            data = json.loads(body) if body else None
        except json.JSONDecodeError:
            return _invalid(["The body is not JSON."])
        errors = request_errors(method, path, query, data)
        if errors:
            self.invalid.extend(errors)
            return _invalid(errors)
        with self.lock:
            limit = self.limits[operation]
            if not limit.try_take():
                self.throttled += 1
                return Reply(
                    429,
                    {"errors": [{"code": "QuotaExceeded", "message": "You exceeded your quota"}]},
                    {"x-amzn-RateLimit-Limit": str(limit.rate)},
                )
            reply = self._answer(method, parts, query, data or {}, rdt)
        return Reply(
            reply.status,
            reply.body,
            {"x-amzn-RateLimit-Limit": str(limit.rate), **(reply.headers or {})},
        )

    @staticmethod
    def _operation(method: str, parts: list[str]) -> str:
        if parts[0] == "listings":
            return "listings"
        if parts[0] == "tokens":
            return "createRestrictedDataToken"
        if parts[-1] == "orderItems":
            return "getOrderItems"
        if parts[-1] == "shipmentConfirmation":
            return "confirmShipment"
        return "getOrders"

    def _answer(
        self,
        method: str,
        parts: list[str],
        query: dict[str, list[str]],
        data: dict[str, Any],
        rdt: tuple[float, list[dict[str, Any]]] | None,
    ) -> Reply:
        if parts[0] == "tokens":
            return self._rdt(data)
        if parts[:3] == ["orders", "v0", "orders"] and len(parts) == 3:
            return self._orders(query, rdt)
        if parts[:3] == ["orders", "v0", "orders"] and parts[-1] == "orderItems":
            return Reply(
                200,
                {
                    "payload": {
                        "AmazonOrderId": parts[3],
                        "OrderItems": self.items.get(parts[3], []),
                    }
                },
            )
        if parts[:3] == ["orders", "v0", "orders"] and parts[-1] == "shipmentConfirmation":
            return self._confirm(parts[3], data)
        if parts[0] == "listings":
            return self._listing(method, parts[-1], data)
        return Reply(404, {"errors": [{"code": "NotFound", "message": "no such resource"}]})

    def _rdt(self, data: dict[str, Any]) -> Reply:
        self.rdt_requests += 1
        if not self.pii_role:
            return _denied(
                "Application does not have access to one or more requested data elements"
            )
        token = f"Atz.sprdt|{next(self._serial)}"
        self.rdts[token] = (self.now() + 3600, list(data["restrictedResources"]))
        return Reply(200, {"restrictedDataToken": token, "expiresIn": 3600})

    def _orders(
        self, query: dict[str, list[str]], rdt: tuple[float, list[dict[str, Any]]] | None
    ) -> Reply:
        self.queries.append(query)
        if "NextToken" in query:
            since, start, statuses, channels = json.loads(query["NextToken"][0])
        elif "LastUpdatedAfter" not in query:
            # Amazon: CreatedAfter or LastUpdatedAfter is required (the fake serves the latter)
            return _invalid(["Either CreatedAfter or LastUpdatedAfter must be specified"])
        else:
            since, start = query["LastUpdatedAfter"][0], 0
            statuses = query.get("OrderStatuses", [""])[0].split(",")
            channels = query.get("FulfillmentChannels", [""])[0].split(",")
        matching = [
            o
            for o in self.orders
            if o["LastUpdateDate"] > since
            and (statuses == [""] or o.get("OrderStatus") in statuses)
            and (channels == [""] or o.get("FulfillmentChannel", "MFN") in channels)
        ]
        page = matching[start : start + self.page_size]
        elements = {e for r in (rdt[1] if rdt else []) for e in r.get("dataElements", [])}
        payload: dict[str, Any] = {"Orders": [self._shown(o, elements) for o in page]}
        if start + self.page_size < len(matching):
            payload["NextToken"] = json.dumps([since, start + self.page_size, statuses, channels])
        return Reply(200, {"payload": payload})

    @staticmethod
    def _shown(order: dict[str, Any], elements: set[str]) -> dict[str, Any]:
        """What Amazon shows without the data elements an RDT grants."""
        shown = dict(order)
        if "buyerInfo" not in elements:
            shown.pop("BuyerInfo", None)
        if "shippingAddress" not in elements and isinstance(shown.get("ShippingAddress"), dict):
            shown["ShippingAddress"] = {
                k: v for k, v in shown["ShippingAddress"].items() if k not in RESTRICTED_FIELDS
            }
        return shown

    def _confirm(self, order_id: str, data: dict[str, Any]) -> Reply:
        package = data["packageDetail"]
        errors = []
        if package["carrierCode"] == "Other" and not package.get("carrierName"):
            errors.append("carrierName is required when carrierCode is Other")
        ref = package["packageReferenceId"]
        if not (ref.isdigit() and int(ref) > 0):
            errors.append(f"packageReferenceId {ref!r} is not a positive number")
        if any(
            c["order"] == order_id and c["packageDetail"]["packageReferenceId"] == ref
            for c in self.confirmations
        ):
            errors.append(f"packageReferenceId {ref} was used for this order already")
        known = {i["OrderItemId"] for i in self.items.get(order_id, [])}
        errors += [
            f"orderItemId {i['orderItemId']} is not on order {order_id}"
            for i in package["orderItems"]
            if i["orderItemId"] not in known
        ]
        if errors:
            self.invalid.extend(errors)
            return _invalid(errors)
        self.confirmations.append({"order": order_id, **data})
        return Reply(204, None)

    def _listing(self, method: str, sku: str, data: dict[str, Any]) -> Reply:
        if method == "PATCH":
            for patch in data["patches"]:
                if patch["path"] != "/attributes/fulfillment_availability":
                    continue
                value = dict(patch["value"][0])
                if patch["op"] == "merge":
                    value = {**self.availability.get(sku, {}), **value}
                self.availability[sku] = value
                self.quantities[sku] = int(value["quantity"])
                self.record(sku, int(value["quantity"]))
            return Reply(
                200, {"sku": sku, "status": "ACCEPTED", "submissionId": "s1", "issues": []}
            )
        if sku not in self.quantities:
            return Reply(404, {"errors": [{"code": "NOT_FOUND", "message": "no such SKU"}]})
        return Reply(
            200,
            {
                "sku": sku,
                "fulfillmentAvailability": [
                    {"fulfillmentChannelCode": "DEFAULT", "quantity": self.quantities[sku]}
                ],
            },
        )
