"""Reading spreadsheet exports into orders and stock rows: pure, no database."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from podium.imports.model import header_key, read_sheet, sniff_delimiter
from podium.imports.order_rows import parse_orders, parse_timestamp
from podium.imports.stock_rows import parse_stock
from podium.money import format_amount, parse_amount

# Shopify's order export header, as the admin writes it (Orders → Export → CSV).
SHOPIFY_HEADER = (
    "Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Accepts Marketing,"
    "Currency,Subtotal,Shipping,Taxes,Total,Discount Code,Discount Amount,Shipping Method,"
    "Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem compare at price,"
    "Lineitem sku,Lineitem requires shipping,Lineitem taxable,Lineitem fulfillment status,"
    "Billing Name,Billing Street,Billing Address1,Billing Address2,Billing Company,Billing City,"
    "Billing Zip,Billing Province,Billing Country,Billing Phone,Shipping Name,Shipping Street,"
    "Shipping Address1,Shipping Address2,Shipping Company,Shipping City,Shipping Zip,"
    "Shipping Province,Shipping Country,Shipping Phone,Notes,Note Attributes,Cancelled at,"
    "Payment Method,Payment Reference,Refunded Amount,Vendor,Id,Tags,Risk Level,Source,"
    "Lineitem discount"
)


def shopify_row(**cells: str) -> str:
    names = next(csv.reader([SHOPIFY_HEADER]))
    values = [cells.get(header_key(n), "") for n in names]
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(values)
    return buf.getvalue()


SHOPIFY_EXPORT = (
    SHOPIFY_HEADER
    + "\n"
    + shopify_row(
        name="#1001",
        email="ann@example.com",
        financial_status="paid",
        currency="USD",
        subtotal="49.97",
        shipping="5.00",
        taxes="4.50",
        total="59.47",
        discount_amount="0.00",
        created_at="2024-01-15 10:30:00 -0500",
        lineitem_quantity="2",
        lineitem_name="Tee - M",
        lineitem_price="19.99",
        lineitem_sku="TEE-M",
        billing_name="Ann Example",
        shipping_name="Ann Example",
        shipping_street="1 Pike St Apt 2",
        shipping_address1="1 Pike St",
        shipping_address2="Apt 2",
        shipping_city="Seattle",
        shipping_zip="'98101",
        shipping_province="WA",
        shipping_country="US",
        id="5678901234567890123",
        tags="vip, wholesale",
    )
    + shopify_row(
        name="#1001",
        email="ann@example.com",
        lineitem_quantity="1",
        lineitem_name="Mug",
        lineitem_price="9.99",
        lineitem_sku="MUG",
    )
    + shopify_row(
        name="#1002",
        email="bo@example.com",
        currency="JPY",
        created_at="2024-01-16 09:00:00 +0900",
        lineitem_quantity="3",
        lineitem_price="1500",
        lineitem_sku="TEE-M",
        shipping_name="Bo",
        shipping_city="Tokyo",
        shipping_zip="100-0001",
        shipping_country="JP",
    )
)


def test_a_shopify_export_groups_continuation_rows_into_one_order_per_name() -> None:
    parsed = parse_orders(SHOPIFY_EXPORT.encode(), "web")
    assert parsed.rejects == []
    assert parsed.rows_read == 3
    assert [o.external_id for o in parsed.orders] == ["#1001", "#1002"]
    first = parsed.orders[0].intake
    assert first is not None
    assert [(ln.sku, ln.quantity, ln.unit_price, ln.name) for ln in first.lines] == [
        ("TEE-M", 2, "19.99", "Tee - M"),
        ("MUG", 1, "9.99", "Mug"),
    ]
    assert first.currency == "USD"
    assert (first.shipping_total, first.tax_total, first.discount_total) == ("5.00", "4.50", "0.00")
    assert first.customer.email == "ann@example.com"
    assert first.customer.name == "Ann Example"
    address = first.shipping_address
    assert (address.line1, address.line2, address.city, address.region) == (
        "1 Pike St",
        "Apt 2",
        "Seattle",
        "WA",
    )
    assert address.postal_code == "98101"  # Shopify's leading apostrophe is dropped
    assert address.country == "US"
    assert first.tags == ["vip", "wholesale"]
    assert first.placed_at == datetime(2024, 1, 15, 15, 30, tzinfo=UTC)
    assert first.on_shortage == "backorder"  # channel orders are facts
    second = parsed.orders[1].intake
    assert second is not None
    assert second.currency == "JPY"
    assert second.lines[0].unit_price == "1500"
    assert "Financial Status" in parsed.ignored_columns
    assert "Shipping Street" in parsed.ignored_columns  # Address1 wins over Street


def test_bom_and_semicolons_are_read_like_a_plain_comma_file() -> None:
    text = (
        "order_id;email;currency;sku;quantity;unit_price;country;note\n"
        'A-1;ann@example.com;EUR;TEE;2;19,99;FR;"a; b"\n'
    )
    parsed = parse_orders(b"\xef\xbb\xbf" + text.replace("19,99", "19.99").encode(), "web")
    assert parsed.rejects == []
    intake = parsed.orders[0].intake
    assert intake is not None
    assert intake.note == "a; b"
    assert intake.lines[0].unit_price == "19.99"
    assert parsed.orders[0].line == 2


def test_utf16_tab_separated_text_as_excel_saves_it_is_read() -> None:
    text = "SKU\tWarehouse\tOn hand\nTEE\tEAST\t7\n"
    parsed = parse_stock(text.encode("utf-16"))
    assert parsed.rejects == []
    assert [(r.sku, r.warehouse, r.mode, r.quantity, r.reason) for r in parsed.rows] == [
        ("TEE", "EAST", "on_hand", 7, "count")
    ]


def test_a_file_that_is_not_utf8_is_rejected_at_the_line_of_the_bad_byte() -> None:
    data = b"sku,warehouse,on_hand\nTEE,EAST,1\n" + "CAFÉ,EAST,2\n".encode("latin-1")
    parsed = parse_stock(data)
    assert [(r.line, r.code) for r in parsed.rejects] == [(3, "invalid_encoding")]
    assert "CSV UTF-8" in parsed.rejects[0].message


def test_an_excel_workbook_is_refused_with_a_hint() -> None:
    sheet = read_sheet(b"PK\x03\x04rest-of-a-zip")
    assert [r.code for r in sheet.rejects] == ["unsupported_format"]


def test_missing_columns_are_reported_on_the_header_line() -> None:
    parsed = parse_orders(b"\n\norder_id,sku\n1,TEE\n", "web")
    assert {(r.line, r.field, r.code) for r in parsed.rejects} == {
        (3, "currency", "missing_column"),
        (3, "quantity", "missing_column"),
        (3, "unit_price", "missing_column"),
        (3, "country", "missing_column"),
    }
    assert parsed.orders == []


def test_money_must_fit_the_currencys_minor_unit_and_rejects_name_line_and_column() -> None:
    text = (
        "Name,Currency,Lineitem sku,Lineitem quantity,Lineitem price,Shipping Country\n"
        "1,USD,TEE,1,1.005,US\n"
        "2,JPY,TEE,1,10.5,JP\n"
        "3,KWD,TEE,1,1.005,KW\n"
        "4,USD,TEE,1,$5,US\n"
    )
    parsed = parse_orders(text.encode(), "web")
    assert [(r.line, r.field, r.code) for r in parsed.rejects] == [
        (2, "Lineitem price", "invalid_money"),
        (3, "Lineitem price", "invalid_money"),
        (5, "Lineitem price", "invalid_money"),
    ]
    assert "more than 2 decimal place(s) for USD" in parsed.rejects[0].message
    assert "more than 0 decimal place(s) for JPY" in parsed.rejects[1].message
    assert [o.external_id for o in parsed.orders if o.intake is not None] == ["3"]


def test_line_numbers_are_physical_lines_even_after_a_multiline_cell() -> None:
    text = (
        "order_id,currency,sku,quantity,unit_price,country,note\n"
        '1,USD,TEE,1,1.00,US,"first line\nsecond line\nthird line"\n'
        "2,USD,TEE,two,1.00,US,\n"
    )
    parsed = parse_orders(text.encode(), "web")
    assert [(r.line, r.field, r.code) for r in parsed.rejects] == [
        (5, "quantity", "invalid_quantity")
    ]


def test_rows_of_one_order_that_disagree_are_rejected() -> None:
    text = (
        "order_id,currency,sku,quantity,unit_price,country\n"
        "1,USD,TEE,1,1.00,US\n"
        "1,EUR,MUG,1,1.00,US\n"
    )
    parsed = parse_orders(text.encode(), "web")
    assert [(r.line, r.field, r.code) for r in parsed.rejects] == [
        (3, "currency", "inconsistent_order")
    ]
    assert parsed.orders[0].intake is None


def test_cell_problems_each_get_their_own_reject() -> None:
    text = (
        "order_id,email,currency,sku,quantity,unit_price,country,placed_at\n"
        "1,not-an-email,USD,TEE,1,1.00,US,yesterday\n"
        ",a@example.com,USD,TEE,1,1.00,US,\n"
        "3,a@example.com,XYZ,TEE,1,1.00,US,\n"
        "4,a@example.com,USD,,0,,US,\n"
        "5,a@example.com,USD,TEE,0,1.00,Atlantis,\n"
    )
    parsed = parse_orders(text.encode(), "web")
    got = {(r.line, r.field, r.code) for r in parsed.rejects}
    assert (2, "placed_at", "invalid_date") in got
    assert (3, "order_id", "missing_value") in got
    assert (4, "currency", "invalid_currency") in got
    assert {(5, "sku", "missing_value"), (5, "unit_price", "missing_value")} <= got
    assert any(line == 6 and field == "quantity" for line, field, _ in got)
    assert any(line == 6 and field == "country" for line, field, _ in got)
    assert any(line == 2 and field == "email" for line, field, _ in got)


def test_country_names_become_codes_when_a_lookup_is_given() -> None:
    text = "order_id,currency,sku,quantity,unit_price,country\n1,GBP,TEE,1,1.00,United Kingdom\n"
    names = {"united kingdom": "GB"}
    parsed = parse_orders(text.encode(), "web", lambda n: names.get(n.lower()))
    assert parsed.rejects == []
    assert parsed.orders[0].intake is not None
    assert parsed.orders[0].intake.shipping_address.country == "GB"


def test_timestamps_in_the_shapes_exports_use() -> None:
    assert parse_timestamp("2024-01-15T10:30:00Z") == datetime(2024, 1, 15, 10, 30, tzinfo=UTC)
    assert parse_timestamp("2024-01-15 10:30:00 +0200") == datetime(
        2024, 1, 15, 10, 30, tzinfo=timezone(timedelta(hours=2))
    )
    assert parse_timestamp("2024-01-15") == datetime(2024, 1, 15, tzinfo=UTC)
    assert parse_timestamp("2024-01-15 10:30 UTC") == datetime(2024, 1, 15, 10, 30, tzinfo=UTC)
    assert parse_timestamp("15/01/2024") is None


def test_stock_rows_take_a_count_or_a_delta_never_both_and_never_twice() -> None:
    text = (
        "SKU,Location,On hand,Delta,Reason\n"
        "TEE,EAST,10,,\n"
        "TEE,WEST,,+5,receipt\n"
        "TEE,WEST,,-2,\n"
        "MUG,EAST,3,1,\n"
        "MUG,WEST,,,\n"
        "TEE,EAST,4,,\n"
        "CUP,EAST,-1,,\n"
        "CUP,WEST,1.5,,\n"
        "CUP,SOUTH,1,,Bad Reason\n"
    )
    parsed = parse_stock(text.encode())
    assert [(r.line, r.sku, r.warehouse, r.mode, r.quantity, r.reason) for r in parsed.rows] == [
        (2, "TEE", "EAST", "on_hand", 10, "count"),
        (3, "TEE", "WEST", "delta", 5, "receipt"),
        (4, "TEE", "WEST", "delta", -2, "adjustment"),
    ]
    assert [(r.line, r.code) for r in parsed.rejects] == [
        (5, "ambiguous_quantity"),
        (6, "missing_value"),
        (7, "duplicate_row"),
        (8, "invalid_quantity"),
        (9, "invalid_quantity"),
        (10, "invalid_reason"),
    ]


def test_a_stock_file_needs_an_on_hand_or_delta_column() -> None:
    parsed = parse_stock(b"sku,warehouse,quantity\nTEE,EAST,1\n")
    assert [(r.line, r.field, r.code) for r in parsed.rejects] == [(1, "on_hand", "missing_column")]
    assert parsed.ignored_columns == ["quantity"]


def test_the_delimiter_is_the_one_the_header_uses_outside_quotes() -> None:
    assert sniff_delimiter('"a,b";c;d') == ";"
    assert sniff_delimiter("a\tb\tc") == "\t"
    assert sniff_delimiter("single") == ","


# --- property: any valid file round-trips --------------------------------------------------

_HEADER_SPELLINGS = {
    "order_id": ["order_id", "Order ID", "Name", "external_id"],
    "currency": ["currency", "Currency"],
    "sku": ["sku", "Lineitem sku", "SKU"],
    "quantity": ["quantity", "Lineitem quantity", "Qty"],
    "unit_price": ["unit_price", "Lineitem price", "Unit Price"],
    "country": ["country", "Shipping Country"],
}
_CURRENCIES = ["USD", "JPY", "KWD", "EUR"]


@st.composite
def order_files(
    draw: st.DrawFn,
) -> tuple[bytes, dict[str, list[tuple[str, int, int]]], dict[str, str]]:
    n_orders = draw(st.integers(1, 6))
    ids = draw(
        st.lists(
            st.text("ABC123-#", min_size=1, max_size=6).filter(lambda s: s.strip() == s),
            min_size=n_orders,
            max_size=n_orders,
            unique=True,
        )
    )
    expected: dict[str, list[tuple[str, int, int]]] = {}
    currency_of: dict[str, str] = {}
    rows: list[tuple[str, str, str, int, int]] = []
    for oid in ids:
        currency = draw(st.sampled_from(_CURRENCIES))
        currency_of[oid] = currency
        for _ in range(draw(st.integers(1, 4))):
            sku = draw(st.sampled_from(["TEE", "MUG", "CAP-1", "BAG.2"]))
            qty = draw(st.integers(1, 999))
            minor = draw(st.integers(0, 10**9))
            expected.setdefault(oid, []).append((sku, qty, minor))
            rows.append((oid, currency, sku, qty, minor))
    rows = draw(st.permutations(rows))  # rows of one order need not be adjacent
    for oid in expected:  # the expected line order is the order rows appear in the file
        expected[oid] = [(s, q, m) for o, _, s, q, m in rows if o == oid]
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    names = [draw(st.sampled_from(v)) for v in _HEADER_SPELLINGS.values()]
    buf = io.StringIO()
    writer = csv.writer(
        buf, delimiter=delimiter, lineterminator=draw(st.sampled_from(["\n", "\r\n"]))
    )
    writer.writerow(names)
    for oid, currency, sku, qty, minor in rows:
        writer.writerow([oid, currency, sku, qty, format_amount(minor, currency), "US"])
    bom = draw(st.sampled_from([b"", b"\xef\xbb\xbf"]))
    return bom + buf.getvalue().encode(), expected, currency_of


@settings(max_examples=60, deadline=None)
@given(order_files())
def test_any_valid_file_parses_to_exactly_its_orders_lines_and_amounts(
    case: tuple[bytes, dict[str, list[tuple[str, int, int]]], dict[str, str]],
) -> None:
    data, expected, currencies = case
    parsed = parse_orders(data, "web")
    assert parsed.rejects == []
    got = {}
    for order in parsed.orders:
        assert order.intake is not None
        cur = order.intake.currency
        got[order.external_id] = [
            (ln.sku, ln.quantity, parse_amount(ln.unit_price, cur)) for ln in order.intake.lines
        ]
    assert got == expected
    assert {o.external_id: o.intake.currency for o in parsed.orders if o.intake} == currencies


def test_a_row_with_more_cells_than_the_header_is_rejected_not_truncated() -> None:
    parsed = parse_stock(b"sku,warehouse,on_hand\nTEE,EAST,1,extra\nMUG,EAST,2,\n")
    assert [(r.line, r.code) for r in parsed.rejects] == [(2, "too_many_cells")]
    assert [r.sku for r in parsed.rows] == ["MUG"]  # an empty trailing cell is harmless


def test_header_keys_ignore_case_spacing_and_punctuation() -> None:
    assert header_key("  Lineitem SKU ") == "lineitem_sku"
    assert header_key("Shipping Address1") == "shipping_address1"
    assert header_key("E-mail") == "e_mail"
    assert header_key("Order #") == "order"


def test_for_a_shopify_channel_the_id_column_names_orders_and_name_groups_rows() -> None:
    parsed = parse_orders(SHOPIFY_EXPORT.encode(), "shop", platform_ids=True)
    assert parsed.rejects == []
    # #1001's rows are grouped by Name; its Id (on the first row only) is the external id,
    # as the Shopify connector names live orders; #1002 has no Id and keeps its Name.
    assert [o.external_id for o in parsed.orders] == ["5678901234567890123", "#1002"]
    assert [len(o.rows) for o in parsed.orders] == [2, 1]
    assert parsed.orders[0].intake is not None
    assert parsed.orders[0].intake.external_id == "5678901234567890123"
    mangled = SHOPIFY_EXPORT.replace("5678901234567890123", "5.67890123456789E+18")
    again = parse_orders(mangled.encode(), "shop", platform_ids=True)
    assert [(r.line, r.field, r.code) for r in again.rejects] == [(2, "Id", "invalid_id")]
    plain = parse_orders(SHOPIFY_EXPORT.encode(), "web")
    assert [o.external_id for o in plain.orders] == ["#1001", "#1002"]
    assert "Id" in plain.ignored_columns


def test_a_named_encoding_reads_excels_windows_csv() -> None:
    data = "sku;warehouse;on_hand;reference\nTEE;EAST;3;Café du Nord\n".encode("cp1252")
    assert parse_stock(data).rejects[0].code == "invalid_encoding"
    parsed = parse_stock(data, "Windows-1252")
    assert parsed.rejects == []
    assert parsed.rows[0].reference == "Café du Nord"


@settings(max_examples=60, deadline=None)
@given(
    st.dictionaries(
        st.tuples(st.sampled_from(["TEE", "MUG", "CAP-1"]), st.sampled_from(["EAST", "WEST"])),
        st.one_of(
            st.tuples(st.just("on_hand"), st.integers(0, 10**6)),
            st.tuples(st.just("delta"), st.integers(-(10**6), 10**6)),
        ),
        min_size=1,
    ),
    st.sampled_from([",", ";", "\t"]),
)
def test_any_valid_stock_file_parses_to_exactly_its_rows(
    rows: dict[tuple[str, str], tuple[str, int]], delimiter: str
) -> None:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
    writer.writerow(["SKU", "Warehouse", "On hand", "Delta"])
    for (sku, wh), (mode, qty) in rows.items():
        signed = f"{qty:+d}" if mode == "delta" else str(qty)
        writer.writerow(
            [sku, wh, signed if mode == "on_hand" else "", signed if mode == "delta" else ""]
        )
    parsed = parse_stock(buf.getvalue().encode())
    assert parsed.rejects == []
    assert {(r.sku, r.warehouse): (r.mode, r.quantity) for r in parsed.rows} == rows
    assert [r.line for r in parsed.rows] == list(range(2, len(rows) + 2))
