"""Product variants (issue 17): products of one product group (the parent product's code)
that differ by their option values, e.g. size and colour. A group's variants share the same
option names in the same order, and no two carry the same values. The returns portal offers
them as exchanges."""

from __future__ import annotations

from pydantic import field_validator
from sqlalchemy import Connection

from podium.catalog import _store as store
from podium.catalog.model import Product, check_options
from podium.db.database import Database
from podium.errors import Conflict, NotFound, ValidationFailed
from podium.validation import Code, Input

__all__ = ["VariantPatch", "check_group", "product_variants", "set_variant"]


class VariantPatch(Input):
    """A product's group and option values; a field left out is unchanged, ``null`` clears it
    (``{"group": null, "options": null}`` takes the product out of its group)."""

    group: Code | None = None
    options: dict[str, str] | None = None

    @field_validator("options")
    @classmethod
    def _options(cls, options: dict[str, str] | None) -> dict[str, str] | None:
        return check_options(options)


def check_group(
    conn: Connection, sku: str, group: str | None, options: dict[str, str] | None
) -> None:
    """Refuse options without a group, option names that differ from the group's, and values
    another variant of the group already has (422 naming ``options``/``group``)."""
    if group is None:
        if options:
            raise ValidationFailed(
                "Options need a product group.",
                code="options_without_group",
                details={"field": "group"},
            )
        return
    for other in store.group_products(conn, group):
        if other.sku == sku:
            continue
        if list(other.options or {}) != list(options or {}):
            raise ValidationFailed(
                f"Variants of {group} have the options {list(other.options or {})}, in order.",
                code="variant_options_mismatch",
                details={"field": "options", "expected": list(other.options or {})},
            )
        if options and other.options == options:
            raise Conflict(
                f"{other.sku} already is the {group} variant with these options.",
                code="duplicate_variant",
                details={"field": "options", "sku": other.sku},
            )


def set_variant(db: Database, sku: str, patch: VariantPatch) -> Product:
    """Put a product in a group with its option values (or take it out)."""
    with db.write() as conn:
        found = store.product(conn, sku)
        if found is None:
            raise NotFound(f"No product {sku}.", code="product_not_found")
        given = patch.model_fields_set
        group = patch.group if "group" in given else found.group
        options = patch.options if "options" in given else found.options
        check_group(conn, sku, group, options)
        store.update_product(conn, sku, {"group": group, "options": options})
        updated = store.product(conn, sku)
    if updated is None:
        raise RuntimeError(f"product {sku} not found after it was updated")
    return updated


def product_variants(db: Database, sku: str) -> list[Product]:
    """The other products of ``sku``'s group (empty when it has none)."""
    with db.read() as conn:
        found = store.product(conn, sku)
        if found is None:
            raise NotFound(f"No product {sku}.", code="product_not_found")
        if found.group is None:
            return []
        return [p for p in store.group_products(conn, found.group) if p.sku != sku]
