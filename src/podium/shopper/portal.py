"""The returns portal's reads and its one write: what a shopper may send back from an order
(shipped minus already returned, minus the policy's non-returnable SKUs), the channel's
policy shown before confirming, the request itself, and a return's status page.

Exchanges: for a fresh unit of the same SKU, or for another variant of the same product
group (another size or colour, issue 17), with the channel's stock of the chosen SKU checked
live; the return records the replacement asked for and staff place it from the return page
(docs/shopper.md "Exchanges").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Literal

from podium import catalog, inventory, orders, returns
from podium.db.database import Database
from podium.errors import Conflict, NotFound, ValidationFailed
from podium.shopper.service import channel_look

__all__ = [
    "PortalForm",
    "PortalLine",
    "PortalRequest",
    "PortalVariant",
    "ReturnPage",
    "portal_form",
    "return_page",
    "submit_return",
]

Resolution = Literal["refund", "exchange"]
EXCHANGE_NOTE = "Shopper asks for an exchange: {items}."


@dataclass(frozen=True, slots=True)
class PortalVariant:
    """Another variant of a returned product: what it differs by, and its stock now."""

    sku: str
    name: str
    options: tuple[tuple[str, str], ...]
    in_stock: int

    @property
    def label(self) -> str:
        return " / ".join(value for _, value in self.options) or self.name


@dataclass(frozen=True, slots=True)
class PortalLine:
    sku: str
    name: str
    returnable: int  # units shipped and not yet on a return
    allowed: bool  # False: the policy does not take this SKU back
    in_stock: int  # units the channel could send as an exchange now
    options: tuple[tuple[str, str], ...] = ()  # this variant's option values
    variants: tuple[PortalVariant, ...] = ()  # the other variants of its product group

    def in_stock_of(self, sku: str) -> int | None:
        """Stock of ``sku`` for an exchange of this line; None: not this product."""
        if sku == self.sku:
            return self.in_stock
        return next((v.in_stock for v in self.variants if v.sku == sku), None)


@dataclass(frozen=True, slots=True)
class PortalForm:
    order_id: str
    number: str
    brand: str
    locale: str
    channel: str
    email: str
    lines: list[PortalLine]
    reasons: tuple[str, ...]
    window_days: int
    window_closes: date | None  # None: nothing shipped yet
    fee: str | None
    currency: str
    auto_approve: bool
    returns: list[tuple[str, str, datetime]]  # earlier returns: id, status, created

    @property
    def window_open(self) -> bool:
        return self.window_closes is not None and date.today() <= self.window_closes

    @property
    def can_return(self) -> bool:
        return self.window_open and any(ln.allowed and ln.returnable for ln in self.lines)


@dataclass(frozen=True, slots=True)
class PortalRequest:
    quantities: dict[str, int]  # sku -> units to send back (0: not this one)
    reason: str
    comment: str = ""
    resolution: Resolution = "refund"
    exchange_for: dict[str, str] = field(default_factory=dict)  # sku -> replacement SKU


@dataclass(frozen=True, slots=True)
class ReturnPage:
    return_id: str
    order_id: str
    number: str
    brand: str
    channel: str
    status: str
    created_at: datetime
    items: list[tuple[str, int, str]]  # name, units, reason code
    note: str | None
    exchange: bool
    label: returns.ReturnLabelView | None
    swaps: list[tuple[str, str]]  # another size or colour asked for: item, replacement
    refunded: list[tuple[str, str]]  # amount, currency


def portal_form(db: Database, order_id: str) -> PortalForm | None:
    try:
        order = orders.get_order(db, order_id)
        side = returns.order_returns(db, order_id)
        policy = returns.get_policies(db, order.channel).returns
    except NotFound:
        return None
    brand, locale = channel_look(db, order.channel)
    shipped = [s.shipped_at for s in order.shipments if s.shipped_at is not None]
    closes = (max(shipped) + timedelta(days=policy.window_days)).date() if shipped else None
    names: dict[str, str] = {}
    for ln in order.lines:
        names.setdefault(ln.sku, ln.name)
    lines = []
    for sku, left in side.returnable.items():
        try:
            product = catalog.get_product(db, sku)
            others = catalog.product_variants(db, sku)
        except NotFound:
            product, others = None, []
        variants = tuple(
            PortalVariant(
                p.sku, p.name, tuple((p.options or {}).items()), _in_stock(db, p.sku, order.channel)
            )
            for p in others
            if p.active
        )
        lines.append(
            PortalLine(
                sku,
                names.get(sku, sku),
                left,
                sku not in policy.non_returnable,
                _in_stock(db, sku, order.channel),
                tuple(((product.options if product else None) or {}).items()),
                variants,
            )
        )
    return PortalForm(
        order_id=order.id,
        number=order.number,
        brand=brand,
        locale=locale,
        channel=order.channel,
        email=str(order.customer.get("email") or ""),
        lines=lines,
        reasons=side.reasons,
        window_days=policy.window_days,
        window_closes=closes,
        fee=policy.fee,
        currency=order.currency,
        auto_approve=policy.auto_approve,
        returns=[(r.id, r.status, r.created_at) for r in side.returns],
    )


def _in_stock(db: Database, sku: str, channel: str) -> int:
    """Units the channel could send now: its sellable stock across its warehouses."""
    try:
        stock = inventory.sku_availability(db, sku).channels
    except NotFound:
        return 0
    return sum(c.available for c in stock if c.channel == channel)


def _refuse(message: str, code: str, field: str) -> ValidationFailed:
    return ValidationFailed(message, code=code, details={"field": field})


def submit_return(db: Database, form: PortalForm, asked: PortalRequest) -> returns.ReturnView:
    """Check the shopper's choices against the form they saw (fresh), then open the return —
    approved at once when the channel's policy says so."""
    by_sku = {ln.sku: ln for ln in form.lines}
    wanted = {sku: q for sku, q in asked.quantities.items() if q}
    if not form.window_open:
        raise Conflict(
            "The return window for this order has closed.",
            code="return_window_closed",
            details={"window_days": form.window_days},
        )
    if not wanted:
        raise _refuse("Choose at least one item to return.", "no_items", "quantity")
    for sku, units in wanted.items():
        line = by_sku.get(sku)
        field = f"quantity_{sku}"
        if line is None or not line.allowed:
            raise _refuse(f"{sku} cannot be returned.", "not_returnable", field)
        if units < 0 or units > line.returnable:
            raise _refuse(
                f"Choose between 0 and {line.returnable} of {sku}.", "invalid_quantity", field
            )
        if asked.resolution != "exchange":
            continue
        target = asked.exchange_for.get(sku) or sku
        stock = line.in_stock_of(target)
        if stock is None:
            raise _refuse(
                f"{target} is not another size or colour of {sku}.",
                "exchange_not_a_variant",
                f"exchange_{sku}",
            )
        if units > stock:
            raise Conflict(
                f"{target} is out of stock for an exchange; choose another or a refund.",
                code="exchange_out_of_stock",
                details={"field": f"exchange_{sku}", "sku": target, "in_stock": stock},
            )
    if asked.reason not in form.reasons:
        raise _refuse("Choose a reason from the list.", "invalid_return_reason", "reason")
    if len(asked.comment) > 800:
        raise _refuse("The comment is too long (800 characters at most).", "too_long", "comment")
    notes = [asked.comment.strip()] if asked.comment.strip() else []
    swaps: dict[str, str] = {}
    if asked.resolution == "exchange":
        swaps = {s: asked.exchange_for.get(s) or s for s in wanted}
        items = ", ".join(
            f"{sku} × {units}" + (f" → {swaps[sku]}" if swaps[sku] != sku else "")
            for sku, units in sorted(wanted.items())
        )
        notes.append(EXCHANGE_NOTE.format(items=items))
    data = returns.ReturnIn(
        lines=[
            returns.ReturnLineIn(sku=sku, quantity=units, reason=asked.reason)
            for sku, units in sorted(wanted.items())
        ],
        note="\n".join(notes) or None,
        approve=form.auto_approve,
        exchange_for=swaps or None,
    )
    return returns.create_return(db, form.order_id, data, f"customer:{form.email.lower()}")


def return_page(db: Database, return_id: str) -> tuple[ReturnPage, str] | None:
    """A return's status page and its channel's locale (None: no such return)."""
    try:
        rma = returns.get_return(db, return_id)
        order = orders.get_order(db, rma.order_id)
    except NotFound:
        return None
    try:
        label: returns.ReturnLabelView | None = returns.get_return_label(db, return_id)
    except NotFound:
        label = None
    names = {ln.sku: ln.name for ln in order.lines}
    brand, locale = channel_look(db, order.channel)
    page = ReturnPage(
        return_id=rma.id,
        order_id=order.id,
        number=order.number,
        brand=brand,
        channel=order.channel,
        status=rma.status,
        created_at=rma.created_at,
        items=[(names.get(ln.sku, ln.sku), ln.quantity, ln.reason) for ln in rma.lines],
        note=rma.note,
        exchange=bool(rma.note and "Shopper asks for an exchange" in rma.note)
        or rma.exchange_order_id is not None,
        label=label if rma.status != "rejected" else None,
        refunded=[(f.amount, f.currency) for f in rma.refunds],
        swaps=[
            (names.get(sku, sku), _variant_words(db, swap))
            for sku, swap in sorted((rma.exchange_for or {}).items())
            if swap != sku
        ],
    )
    return page, locale


def _variant_words(db: Database, sku: str) -> str:
    """A replacement in the shopper's words: its option values, else its name."""
    try:
        product = catalog.get_product(db, sku)
    except NotFound:
        return sku
    return " / ".join((product.options or {}).values()) or product.name
