"""Every GraphQL document Podium sends to Shopify's Admin API, written for 2026-04 (the
conformance tests check each against that version's published schema and Shopify's
requested-cost rules: no document may ask for more than 1,000 points).

Mutations that 2026-04 makes idempotent-only carry ``@idempotent(key: $key)``.
"""

from __future__ import annotations

__all__ = [
    "CANCEL_ORDER",
    "COSTS",
    "CREATE_FULFILMENT",
    "DOCUMENTS",
    "FULFILMENT_ORDERS",
    "FULFILMENT_ORDER_LINES",
    "ORDER_PAYMENTS",
    "READ_LEVEL",
    "REFUND",
    "SET_QUANTITIES",
    "VARIANTS",
    "gid",
]


def gid(kind: str, value: str) -> str:
    """Shopify's global id of ``value`` (a bare numeric id or already a gid)."""
    return value if value.startswith("gid://") else f"gid://shopify/{kind}/{value}"


SET_QUANTITIES = """
mutation inventorySetQuantities($input: InventorySetQuantitiesInput!, $key: String!) {
  inventorySetQuantities(input: $input) @idempotent(key: $key) {
    inventoryAdjustmentGroup { reason changes { name delta } }
    userErrors { code field message }
  }
}"""
READ_LEVEL = """
query level($item: ID!, $location: ID!) {
  inventoryItem(id: $item) {
    inventoryLevel(locationId: $location) { quantities(names: ["available"]) { name quantity } }
  }
}"""
# 5 fulfilment orders × 50 lines each: about 520 requested points (the single-query cap is
# 1,000); more of either is paged.
FULFILMENT_ORDERS = """
query fulfilmentOrders($id: ID!, $after: String) {
  order(id: $id) {
    fulfillmentOrders(first: 5, after: $after) {
      nodes {
        id
        status
        assignedLocation { location { id } }
        lineItems(first: 50) {
          nodes { id sku remainingQuantity lineItem { id } }
          pageInfo { hasNextPage endCursor }
        }
      }
      pageInfo { hasNextPage endCursor }
    }
  }
}"""
FULFILMENT_ORDER_LINES = """
query fulfilmentOrderLines($id: ID!, $after: String) {
  fulfillmentOrder(id: $id) {
    lineItems(first: 100, after: $after) {
      nodes { id sku remainingQuantity lineItem { id } }
      pageInfo { hasNextPage endCursor }
    }
  }
}"""
CREATE_FULFILMENT = """
mutation fulfillmentCreate($fulfillment: FulfillmentInput!, $message: String) {
  fulfillmentCreate(fulfillment: $fulfillment, message: $message) {
    fulfillment { id status }
    userErrors { field message }
  }
}"""
VARIANTS = """
query variants($after: String) {
  productVariants(first: 250, after: $after) {
    nodes { sku inventoryItem { id } }
    pageInfo { hasNextPage endCursor }
  }
}"""
# What a refund needs to know first: the order's successful sale/capture transactions (their
# gateway and id are the refund transaction's gateway and parent), and its lines' ids for
# refund lines Podium has no platform line id for (orders captured before ids were kept).
ORDER_PAYMENTS = """
query orderPayments($id: ID!) {
  order(id: $id) {
    id
    cancelledAt
    lineItems(first: 50) { nodes { id sku } }
    transactions(first: 20) {
      id
      kind
      status
      gateway
      amountSet { shopMoney { amount currencyCode } }
    }
  }
}"""
REFUND = """
mutation refundCreate($input: RefundInput!, $key: String!) {
  refundCreate(input: $input) @idempotent(key: $key) {
    refund { id totalRefundedSet { shopMoney { amount currencyCode } } }
    userErrors { field message }
  }
}"""
CANCEL_ORDER = """
mutation orderCancel(
  $orderId: ID!, $reason: OrderCancelReason!, $restock: Boolean!, $staffNote: String
) {
  orderCancel(
    orderId: $orderId
    reason: $reason
    refund: false
    restock: $restock
    notifyCustomer: false
    staffNote: $staffNote
  ) {
    job { id }
    orderCancelUserErrors { code field message }
  }
}"""

DOCUMENTS: dict[str, str] = {
    "inventorySetQuantities": SET_QUANTITIES,
    "level": READ_LEVEL,
    "fulfilmentOrders": FULFILMENT_ORDERS,
    "fulfilmentOrderLines": FULFILMENT_ORDER_LINES,
    "fulfillmentCreate": CREATE_FULFILMENT,
    "variants": VARIANTS,
    "orderPayments": ORDER_PAYMENTS,
    "refundCreate": REFUND,
    "orderCancel": CANCEL_ORDER,
}

# Each document's requested cost by Shopify's rules (what the bucket must hold before it
# runs); the conformance tests recompute them from the schema.
COSTS: dict[str, int] = {
    "inventorySetQuantities": 13,
    "level": 3,
    "fulfilmentOrders": 528,
    "fulfilmentOrderLines": 203,
    "fulfillmentCreate": 12,
    "variants": 502,
    "orderPayments": 115,
    "refundCreate": 14,
    "orderCancel": 12,
}
