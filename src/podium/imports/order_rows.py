"""Order rows of a spreadsheet → validated :class:`OrderIntake` per order: pure, no I/O.

One row per order line; rows sharing an order id make one order (in order of first
appearance, wherever the rows are). Order-level cells (customer, address, currency, totals)
may be repeated on every row or given once, as Shopify's order export does; two rows of one
order that disagree are a reject. Every cell is checked where it stands, so each reject names
the physical line and the column as the file spells it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError

from podium.errors import ValidationFailed
from podium.imports.columns import ORDER_COLUMNS
from podium.imports.model import (
    Columns,
    Reject,
    Row,
    choose_columns,
    missing_columns,
    read_sheet,
)
from podium.money import InvalidMoney, normalise_currency, parse_amount
from podium.orders import OrderIntake, price

__all__ = ["ORDER_COLUMNS", "ParsedOrder", "ParsedOrders", "parse_orders", "parse_timestamp"]

_LINE_FIELDS = ("sku", "quantity", "unit_price", "line_name")
_ORDER_FIELDS = (
    *(f for f in ORDER_COLUMNS if f not in _LINE_FIELDS and f != "external_id"),
    "platform_id",
)
# Shopify's export names an order twice: `Name` (#1001, on every row) groups the rows, `Id`
# (the numeric order id) is what the Shopify connector uses as external id.
_PLATFORM_ID = {"platform_id": ("id",)}
_SCIENTIFIC = re.compile(r"[0-9]+(?:\.[0-9]+)?[eE]\+?[0-9]+")
_MONEY_FIELDS = ("shipping_total", "tax_total", "discount_total")
_REQUIRED = (
    ("external_id", "order_id (or Name)"),
    ("currency", "currency"),
    ("sku", "sku (or Lineitem sku)"),
    ("quantity", "quantity (or Lineitem quantity)"),
    ("unit_price", "unit_price (or Lineitem price)"),
    ("country", "country (or Shipping Country)"),
)
_ADDRESS = {
    "name": "ship_name",
    "company": "ship_company",
    "line1": "line1",
    "line2": "line2",
    "city": "city",
    "region": "region",
    "postal_code": "postal_code",
    "country": "country",
    "phone": "ship_phone",
}
_CUSTOMER = {"email": "email", "name": "customer_name", "phone": "phone"}
_LINE = {"sku": "sku", "quantity": "quantity", "unit_price": "unit_price", "name": "line_name"}
_QUANTITY = re.compile(r"\+?([0-9]{1,9})(?:\.0+)?")
_OFFSET = re.compile(r"^(.*\d)\s*(?:([+-]\d{2}):?(\d{2})|(Z|UTC|GMT))$")


@dataclass(slots=True)
class ParsedOrder:
    external_id: str
    rows: list[Row]
    intake: OrderIntake | None = None
    rejects: list[Reject] = field(default_factory=list)

    @property
    def line(self) -> int:
        return self.rows[0].line


@dataclass(slots=True)
class ParsedOrders:
    rows_read: int
    orders: list[ParsedOrder]
    rejects: list[Reject]
    ignored_columns: list[str]
    columns: Columns | None = None


def parse_timestamp(text: str) -> datetime | None:
    """ISO 8601 or Shopify's ``2024-01-15 10:30:00 -0500``; no zone means UTC. None if neither."""
    value = text.strip()
    m = _OFFSET.match(value)
    if m is not None:
        value = m.group(1) + ("+00:00" if m.group(4) else f"{m.group(2)}:{m.group(3)}")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed


CountryLookup = Callable[[str], "str | None"]


def parse_orders(
    data: bytes,
    channel: str,
    country_code: CountryLookup | None = None,
    *,
    platform_ids: bool = False,
    encoding: str | None = None,
) -> ParsedOrders:
    """Group and validate.

    ``country_code`` turns country names ("United Kingdom") into codes. ``platform_ids`` (a
    Shopify channel) makes an `Id` column, when there is one, the orders' external ids while
    `Name` still groups the rows, so imported history and live webhooks name orders alike.
    """
    sheet = read_sheet(data, encoding)
    columns = choose_columns(
        sheet.headers, {**ORDER_COLUMNS, **_PLATFORM_ID} if platform_ids else ORDER_COLUMNS
    )
    result = ParsedOrders(len(sheet.rows), [], list(sheet.rejects), list(columns.ignored), columns)
    if sheet.headers:
        result.rejects.extend(missing_columns(sheet, columns, _REQUIRED))
    if result.rejects and not sheet.rows:
        return result
    if any(r.code == "missing_column" for r in result.rejects):
        return result
    groups: dict[str, ParsedOrder] = {}
    for row in sheet.rows:
        external_id = columns.value(row, "external_id")
        if not external_id:
            result.rejects.append(
                _reject(row.line, columns, "external_id", "missing_value", "The order id is empty.")
            )
            continue
        groups.setdefault(external_id, ParsedOrder(external_id, [])).rows.append(row)
    for order in groups.values():
        _validate(order, columns, channel, country_code)
        result.rejects.extend(order.rejects)
    result.orders = list(groups.values())
    result.rejects.sort(key=lambda r: r.line)
    return result


def _reject(line: int, columns: Columns, name: str, code: str, message: str) -> Reject:
    return Reject(line=line, field=columns.label(name), code=code, message=message)


def _order_values(order: ParsedOrder, columns: Columns) -> dict[str, tuple[str, int]]:
    """Each order-level field's value and the line it came from; rejects disagreements."""
    values: dict[str, tuple[str, int]] = {}
    for name in _ORDER_FIELDS:
        for row in order.rows:
            value = columns.value(row, name)
            if not value:
                continue
            if name not in values:
                values[name] = (value, row.line)
            elif values[name][0] != value:
                order.rejects.append(
                    _reject(
                        row.line,
                        columns,
                        name,
                        "inconsistent_order",
                        f"Order {order.external_id} has {values[name][0]!r} on line "
                        f"{values[name][1]} but {value!r} here.",
                    )
                )
    return values


def _validate(
    order: ParsedOrder, columns: Columns, channel: str, country_code: CountryLookup | None
) -> None:
    values = _order_values(order, columns)
    first = order.line
    if "platform_id" in values:
        platform_id, id_line = values["platform_id"]
        if _SCIENTIFIC.fullmatch(platform_id):
            order.rejects.append(
                _reject(
                    id_line,
                    columns,
                    "platform_id",
                    "invalid_id",
                    f"{platform_id!r} is an order id a spreadsheet turned into a number; "
                    "export the file again and import it without opening it in a spreadsheet.",
                )
            )
        order.external_id = platform_id
    lines_of = {name: line for name, (_, line) in values.items()}

    def cell(name: str) -> str | None:
        found = values.get(name)
        return found[0] if found else None

    def bad(name: str, code: str, message: str, line: int | None = None) -> None:
        order.rejects.append(
            _reject(line or lines_of.get(name, first), columns, name, code, message)
        )

    currency: str | None = None
    raw_currency = cell("currency")
    if raw_currency is None:
        bad("currency", "missing_value", "The currency is empty.")
    else:
        try:
            currency = normalise_currency(raw_currency)
        except InvalidMoney as exc:
            bad("currency", exc.code, exc.message)
    body: dict[str, Any] = {
        "channel": channel,
        "external_id": order.external_id,
        "currency": currency or "USD",
        "on_shortage": "backorder",
        "lines": [],
    }
    customer = {k: cell(f) for k, f in _CUSTOMER.items() if cell(f)}
    if "name" not in customer and cell("ship_name"):
        customer["name"] = cell("ship_name")
    body["customer"] = customer
    address = {k: _unquote(cell(f)) for k, f in _ADDRESS.items() if cell(f)}
    if "name" not in address and customer.get("name"):
        address["name"] = customer["name"]
    if "country" not in address:
        bad("country", "missing_value", "The shipping country is empty.")
        address["country"] = "US"
    elif len(address["country"] or "") != 2 and country_code is not None:
        address["country"] = country_code(address["country"] or "") or address["country"]
    body["shipping_address"] = address
    for name in _MONEY_FIELDS:
        value = cell(name)
        if value is not None:
            body[name] = value
            if currency is not None:
                _check_money(value, currency, lambda c, m, n=name: bad(n, c, m))
    if (note := cell("note")) is not None:
        body["note"] = note
    if (tags := cell("tags")) is not None:
        body["tags"] = [t.strip() for t in tags.split(",") if t.strip()]
    if (placed := cell("placed_at")) is not None:
        when = parse_timestamp(placed)
        if when is None:
            bad("placed_at", "invalid_date", f"{placed!r} is not a date like 2024-01-15T10:30Z.")
        else:
            body["placed_at"] = when.isoformat()
    for row in order.rows:
        body["lines"].append(_line(row, columns, currency, bad))
    try:
        intake = OrderIntake.model_validate(body)
    except ValidationError as exc:
        seen = {(r.line, r.field) for r in order.rejects}
        for err in exc.errors():
            line, name = _locate(tuple(err["loc"]), order)
            at = line or lines_of.get(name, first)
            if (at, columns.label(name)) not in seen:  # not already told about that cell
                bad(name, err["type"], err["msg"], at)
        return
    if order.rejects:
        return
    try:
        price(intake)
    except ValidationFailed as exc:
        name = str(exc.details.get("field", "order"))
        bad(name if name in ORDER_COLUMNS else "unit_price", exc.code, exc.message)
        return
    order.intake = intake


def _line(row: Row, columns: Columns, currency: str | None, bad: Any) -> dict[str, Any]:
    line: dict[str, Any] = {}
    sku = columns.value(row, "sku")
    if not sku:
        bad("sku", "missing_value", "The SKU is empty.", row.line)
    line["sku"] = sku
    quantity = columns.value(row, "quantity")
    m = _QUANTITY.fullmatch(quantity)
    if m is None:
        bad(
            "quantity",
            "invalid_quantity",
            f"{quantity!r} is not a whole number of units."
            if quantity
            else "The quantity is empty.",
            row.line,
        )
    line["quantity"] = int(m.group(1)) if m else 1
    unit_price = columns.value(row, "unit_price")
    if not unit_price:
        bad("unit_price", "missing_value", "The unit price is empty.", row.line)
    elif currency is not None:
        _check_money(unit_price, currency, lambda c, msg: bad("unit_price", c, msg, row.line))
    line["unit_price"] = unit_price or "0"
    if name := columns.value(row, "line_name"):
        line["name"] = name
    return line


def _check_money(value: str, currency: str, bad: Any) -> None:
    try:
        parse_amount(value, currency)
    except InvalidMoney as exc:
        bad(exc.code, exc.message)


def _unquote(value: str | None) -> str | None:
    """Spreadsheets keep leading zeros by prefixing an apostrophe (Shopify's ``'07102``)."""
    return value[1:] if value and value.startswith("'") else value


def _locate(loc: tuple[Any, ...], order: ParsedOrder) -> tuple[int | None, str]:
    """A validation error's location in the intake → (line, our field name)."""
    head = loc[0] if loc else "order"
    if head == "lines" and len(loc) >= 3 and isinstance(loc[1], int):
        row = order.rows[loc[1]] if loc[1] < len(order.rows) else order.rows[0]
        return row.line, _LINE.get(str(loc[2]), "sku")
    if head == "shipping_address" and len(loc) >= 2:
        return None, _ADDRESS.get(str(loc[1]), "country")
    if head == "customer" and len(loc) >= 2:
        return None, _CUSTOMER.get(str(loc[1]), "email")
    return None, str(head) if head in ORDER_COLUMNS else "sku" if head == "lines" else "order"
