"""``podium products …``: the catalogue's products and their variants (issue 17)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import typer
from rich.table import Table

from podium import catalog
from podium.cli.common import out, with_podium

if TYPE_CHECKING:
    from podium.bootstrap import Podium

products_app = typer.Typer(help="Products and their variants.", no_args_is_help=True)

OPTION_HELP = "An option value NAME=VALUE, in order (repeat: --option size=M --option colour=Blue)."


def _options(pairs: list[str] | None) -> dict[str, str] | None:
    """``size=M`` pairs as an ordered mapping (ValueError naming the bad one)."""
    options: dict[str, str] = {}
    for pair in pairs or []:
        name, sep, value = pair.partition("=")
        if not sep:
            raise ValueError(f"--option {pair!r}: write NAME=VALUE, e.g. size=M")
        options[name.strip()] = value.strip()
    return options or None


def _show(product: catalog.Product, as_json: bool) -> None:
    if as_json:
        out.print_json(product.model_dump_json())
        return
    options = " / ".join(f"{k} {v}" for k, v in (product.options or {}).items())
    group = f" · group {product.group}" if product.group else ""
    out.print(f"{product.sku}  {product.name}{group}{' · ' + options if options else ''}")


@products_app.command("add")
@with_podium
def add(
    podium: Podium,
    sku: str,
    name: str = typer.Option(..., help="The product's name."),
    weight_grams: int = typer.Option(None, "--weight-grams"),
    group: str = typer.Option(None, help="Product group (parent code) of a variant."),
    option: list[str] = typer.Option(None, "--option", help=OPTION_HELP),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Add a product, optionally as a variant of a product group."""
    data = catalog.ProductIn(
        sku=sku, name=name, weight_grams=weight_grams, group=group, options=_options(option)
    )
    _show(catalog.create_product(podium.db, data), as_json)


@products_app.command("show")
@with_podium
def show(podium: Podium, sku: str, as_json: bool = typer.Option(False, "--json")) -> None:
    """A product with its group and option values."""
    _show(catalog.get_product(podium.db, sku), as_json)


@products_app.command("set-variant")
@with_podium
def set_variant(
    podium: Podium,
    sku: str,
    group: str = typer.Option(None, help="Product group; leave out to take it out of its group."),
    option: list[str] = typer.Option(None, "--option", help=OPTION_HELP),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Put a product in a product group with its option values (or take it out)."""
    patch = catalog.VariantPatch(group=group, options=_options(option))  # both replaced
    _show(catalog.set_variant(podium.db, sku, patch), as_json)


@products_app.command("variants")
@with_podium
def variants(podium: Podium, sku: str, as_json: bool = typer.Option(False, "--json")) -> None:
    """The other variants of a product's group."""
    found = catalog.product_variants(podium.db, sku)
    if as_json:
        out.print_json(json.dumps({"items": [p.model_dump() for p in found]}))
        return
    table = Table("sku", "name", *(list(found[0].options or {}) if found else []))
    for p in found:
        table.add_row(p.sku, p.name, *(p.options or {}).values())
    out.print(table)
