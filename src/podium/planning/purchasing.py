"""Purchase orders (issue 16 item 4): create by hand or from replenishment suggestions (one
per supplier × warehouse), send to the supplier (PDF and CSV by e-mail), receive in full or in
part through the inventory ledger (``receiving.py``), cancel."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy import Connection

from podium import catalog, inventory
from podium.db.database import Database, as_utc, utcnow
from podium.errors import NotFound, ValidationFailed
from podium.planning import _po_store as store
from podium.planning import _supply_store as supply
from podium.planning.allowance import announce
from podium.planning.po_document import Outgoing, po_mail
from podium.planning.po_views import (
    PoFromSuggestionsIn,
    PoLineIn,
    PoLineView,
    PurchaseOrderIn,
    PurchaseOrderView,
    ReceiptIn,
)
from podium.planning.purchase_model import PoStatus, po_move
from podium.planning.receiving import Booking, post_receipt
from podium.planning.replenish import ReplenishmentIn, replenishment

__all__ = [
    "create_purchase_order",
    "get_purchase_order",
    "list_purchase_orders",
    "purchase_orders_from_suggestions",
    "receive_purchase_order",
    "send_purchase_order",
]

_BOOKING = Booking(
    store.PO, "purchase order", "warehouse", inventory.MovementKind.RECEIPT, "receipt"
)


def _view(conn: Connection, head: sa.RowMapping, rows: list[sa.RowMapping]) -> PurchaseOrderView:
    lines = [
        PoLineView(
            sku=r["sku"],
            quantity=r["quantity"],
            received=r["received"],
            open=max(0, r["quantity"] - r["received"]),
            unit_cost=r["unit_cost"],
        )
        for r in rows
    ]
    total = sum((Decimal(ln.unit_cost) * ln.quantity for ln in lines), Decimal(0))
    return PurchaseOrderView(
        number=head["number"],
        supplier=head["supplier"],
        warehouse=head["warehouse"],
        status=head["status"],
        currency=head["currency"],
        expected_on=head["expected_on"],
        note=head["note"],
        created_by=head["created_by"],
        created_at=as_utc(head["created_at"]),
        sent_at=as_utc(head["sent_at"]) if head["sent_at"] is not None else None,
        total=str(total),
        lines=lines,
    )


def _read(conn: Connection, number: str) -> PurchaseOrderView:
    head = store.document(conn, store.PO, number)
    if head is None:
        raise NotFound(
            f"No purchase order {number}.", code="po_not_found", details={"number": number}
        )
    return _view(conn, head, store.lines(conn, store.PO, [number])[number])


def _insert(conn: Connection, body: PurchaseOrderIn, actor: str) -> str:
    supplier = supply.supplier(conn, body.supplier)
    if supplier is None:
        raise ValidationFailed(
            f"Unknown supplier {body.supplier}.",
            code="unknown_supplier",
            details={"field": "supplier"},
        )
    if catalog.warehouse(conn, body.warehouse) is None:
        raise ValidationFailed(
            f"Unknown warehouse {body.warehouse}.",
            code="unknown_warehouse",
            details={"field": "warehouse"},
        )
    offers = {
        r["sku"]: r
        for r in supply.offers_for(conn, [ln.sku for ln in body.lines])
        if r["supplier"] == body.supplier
    }
    lead = supplier["lead_time_days"]
    rows = []
    seen: set[str] = set()
    known = set(catalog.products_by_sku(conn, [ln.sku for ln in body.lines]))
    for i, line in enumerate(body.lines):
        rows.append(_line(line, offers.get(line.sku), known, seen, i))
        if line.sku in offers:
            lead = max(lead, int(offers[line.sku]["lead_time_days"]))
    number = store.next_number(conn, store.PO)
    now = utcnow()
    head = {
        "number": number,
        "supplier": body.supplier,
        "warehouse": body.warehouse,
        "status": PoStatus.DRAFT.value,
        "currency": supplier["currency"],
        "expected_on": body.expected_on or (now.date() + timedelta(days=lead)),
        "note": body.note,
        "created_by": actor,
        "created_at": now,
        "sent_at": None,
        "updated_at": now,
    }
    store.insert(conn, store.PO, head, rows)
    return number


def _line(
    line: PoLineIn, offer: sa.RowMapping | None, known: set[str], seen: set[str], i: int
) -> dict[str, object]:
    field = f"lines[{i}]"
    if line.sku in seen:
        raise ValidationFailed(
            f"{line.sku} is on two lines.", code="duplicate_sku", details={"field": field}
        )
    seen.add(line.sku)
    if line.sku not in known:
        raise ValidationFailed(
            f"Unknown SKU {line.sku}.", code="unknown_sku", details={"field": f"{field}.sku"}
        )
    cost = line.unit_cost if line.unit_cost is not None else (offer["unit_cost"] if offer else None)
    if cost is None:
        raise ValidationFailed(
            f"The supplier has no offer for {line.sku}: give its unit_cost.",
            code="no_unit_cost",
            details={"field": f"{field}.unit_cost"},
        )
    if Decimal(cost) < 0:
        raise ValidationFailed(
            "unit_cost must not be negative.",
            code="invalid_money",
            details={"field": f"{field}.unit_cost"},
        )
    return {"sku": line.sku, "quantity": line.quantity, "received": 0, "unit_cost": str(cost)}


def create_purchase_order(db: Database, body: PurchaseOrderIn, actor: str) -> PurchaseOrderView:
    with db.write() as conn:
        return _read(conn, _insert(conn, body, actor))


def purchase_orders_from_suggestions(
    db: Database, body: PoFromSuggestionsIn, actor: str
) -> list[PurchaseOrderView]:
    """Draft POs for every due suggestion that has a supplier, one per supplier × warehouse.
    Open POs already count as incoming, so asking twice does not order twice."""
    req = ReplenishmentIn(
        warehouse=body.warehouse,
        sku=body.sku,
        supplier=body.supplier,
        service_level=body.service_level,
        review_days=body.review_days,
        only_due=True,
        limit=1000,
    )
    grouped: dict[tuple[str, str], list[PoLineIn]] = defaultdict(list)
    while True:
        page = replenishment(db, req)
        for s in page.items:
            if s.supplier is not None and s.quantity > 0:
                line = PoLineIn(sku=s.sku, quantity=s.quantity)
                grouped[(s.supplier, s.warehouse)].append(line)
        if page.next_cursor is None:
            break
        req = req.model_copy(update={"cursor": page.next_cursor})
    with db.write() as conn:
        numbers = [
            _insert(conn, PurchaseOrderIn(supplier=sup, warehouse=wh, lines=lines), actor)
            for (sup, wh), lines in sorted(grouped.items())
        ]
        return [_read(conn, n) for n in numbers]


def get_purchase_order(db: Database, number: str) -> PurchaseOrderView:
    with db.read() as conn:
        return _read(conn, number)


def list_purchase_orders(
    db: Database,
    *,
    status: str | None = None,
    supplier: str | None = None,
    warehouse: str | None = None,
    after: str | None = None,
    limit: int = 100,
) -> list[PurchaseOrderView]:
    filters = {"status": status, "supplier": supplier, "warehouse": warehouse}
    with db.read() as conn:
        heads = store.documents(conn, store.PO, filters, after, limit)
        lines = store.lines(conn, store.PO, [h["number"] for h in heads])
        return [_view(conn, h, lines[h["number"]]) for h in heads]


def send_purchase_order(
    db: Database,
    number: str,
    send: Callable[[Outgoing], str] | None,
    sender_name: str = "Podium",
) -> PurchaseOrderView:
    """E-mail the PO (PDF and CSV attached) to the supplier, then mark it sent. A draft or an
    already sent PO may be sent (again); if the mail fails nothing changes. ``send`` None:
    only mark it sent (ordered by phone or on the supplier's portal)."""
    with db.read() as conn:
        po = _read(conn, number)
        po_move(po.status, "send")
        supplier = supply.supplier(conn, po.supplier)
        warehouse = catalog.warehouse(conn, po.warehouse)
    if send is not None:
        _mail(po, supplier, warehouse, send, sender_name)
    with db.write() as conn:
        head = store.lock(conn, store.PO, number)
        if head is None:
            raise NotFound(f"No purchase order {number}.", code="po_not_found")
        po_move(head["status"], "send")
        store.set_status(conn, store.PO, number, PoStatus.SENT.value, sent_at=utcnow())
        po = _read(conn, number)
        announce(conn, [ln.sku for ln in po.lines])  # now it can be sold ahead
        return po


def _mail(
    po: PurchaseOrderView,
    supplier: sa.RowMapping | None,
    warehouse: catalog.Warehouse | None,
    send: Callable[[Outgoing], str],
    sender_name: str,
) -> None:
    if supplier is None or not supplier["email"]:
        raise ValidationFailed(
            f"Supplier {po.supplier} has no e-mail address.",
            code="supplier_without_email",
            details={"field": "email", "supplier": po.supplier},
        )
    ship_to = _address(po.warehouse, warehouse)
    send(po_mail(po, supplier["email"], supplier["name"], ship_to, sender_name))


def _address(code: str, warehouse: catalog.Warehouse | None) -> list[str]:
    if warehouse is None:
        return [code]
    a = warehouse.address
    parts = [warehouse.name, a.company, a.line1, a.line2]
    city = " ".join(p for p in (a.postal_code, a.city) if p)
    return [p for p in (*parts, city, a.region, a.country) if p]


def receive_purchase_order(
    db: Database, number: str, body: ReceiptIn, actor: str
) -> PurchaseOrderView:
    """Book a receipt (full or partial) and post its units to the warehouse's stock."""
    with db.write() as conn:
        post_receipt(conn, _BOOKING, number, body, actor, lambda s: po_move(s, "receive"))
        return _read(conn, number)
