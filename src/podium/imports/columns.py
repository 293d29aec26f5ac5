"""The column names each import understands, by field: header keys (see ``header_key``), best
first. The first alias present in a file feeds the field; other columns are listed as ignored.
"""

from __future__ import annotations

__all__ = ["ORDER_COLUMNS", "STOCK_COLUMNS"]

# field -> header keys that feed it, best first (see imports.model.header_key).
ORDER_COLUMNS: dict[str, tuple[str, ...]] = {
    "external_id": ("order_id", "external_id", "order_number", "order_no", "order", "name"),
    "email": ("email", "customer_email", "e_mail"),
    "customer_name": ("customer_name", "customer", "billing_name"),
    "phone": ("customer_phone", "phone", "billing_phone"),
    "currency": ("currency", "currency_code"),
    "sku": ("sku", "lineitem_sku", "line_item_sku", "item_sku", "variant_sku", "product_sku"),
    "quantity": ("quantity", "lineitem_quantity", "line_item_quantity", "qty", "item_quantity"),
    "unit_price": ("unit_price", "lineitem_price", "line_item_price", "item_price", "price"),
    "line_name": ("lineitem_name", "line_item_name", "item_name", "product_name", "title"),
    "shipping_total": ("shipping_total", "shipping", "shipping_price", "shipping_cost"),
    "tax_total": ("tax_total", "taxes", "tax"),
    "discount_total": ("discount_total", "discount_amount", "discount", "discounts"),
    "placed_at": ("placed_at", "created_at", "order_date", "ordered_at", "date"),
    "note": ("note", "notes", "comment", "comments"),
    "tags": ("tags", "tag"),
    "ship_name": ("shipping_name", "ship_name", "recipient_name", "recipient"),
    "ship_company": ("shipping_company", "company"),
    "line1": (
        "shipping_address1",
        "shipping_address_1",
        "shipping_line1",
        "shipping_address_line1",
        "shipping_street",
        "address1",
        "address_1",
        "address_line1",
        "line1",
        "street",
    ),
    "line2": (
        "shipping_address2",
        "shipping_address_2",
        "shipping_line2",
        "shipping_address_line2",
        "address2",
        "address_2",
        "address_line2",
        "line2",
    ),
    "city": ("shipping_city", "city"),
    "region": ("shipping_province", "shipping_region", "shipping_state", "region", "state"),
    "postal_code": (
        "shipping_zip",
        "shipping_postal_code",
        "shipping_postcode",
        "postal_code",
        "postcode",
        "zip",
        "zip_code",
    ),
    "country": ("shipping_country", "shipping_country_code", "country", "country_code"),
    "ship_phone": ("shipping_phone",),
}

STOCK_COLUMNS: dict[str, tuple[str, ...]] = {
    "sku": ("sku", "variant_sku", "item_sku", "product_sku"),
    "warehouse": ("warehouse", "warehouse_code", "location", "location_code"),
    "on_hand": ("on_hand", "counted", "count", "quantity_on_hand", "qty_on_hand", "stock"),
    "delta": ("delta", "change", "adjustment", "adjust", "quantity_change"),
    "reason": ("reason", "reason_code"),
    "reference": ("reference", "ref"),
}
