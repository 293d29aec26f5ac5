"""Random orders, shipments, returns, receipts with any disposition, refunds of any size and
channel refunds keep the books true: refunds never exceed payments, the refunds of an order add
up to what its payments show refunded (plus store credit), restocked units never exceed returned
ones, and the stock ledger stays balanced."""

from __future__ import annotations

import contextlib
import itertools

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from podium.bootstrap import Podium
from podium.catalog import service as catalog
from podium.catalog.model import ProductIn, WarehouseIn
from podium.channels import records as channels
from podium.channels.records import ChannelIn
from podium.errors import DomainError
from podium.fulfillment.service import ShipIn, ship_shipment
from podium.inventory import service as inventory
from podium.inventory.doctor import examine
from podium.inventory.model import AdjustmentIn
from podium.money import parse_amount
from podium.orders import lifecycle
from podium.orders.model import OrderIntake
from podium.orders.placement import place_order
from podium.payments.recording import list_payments, store_credit
from podium.returns import refunds, service
from podium.returns.channel_refunds import ChannelRefundLine, record_channel_refund
from podium.returns.model import ReceiveIn, RefundIn, ReturnIn
from podium.returns.receiving import receive_return
from podium.returns.refunds import OrderRefundIn

_runs = itertools.count()


def cents(v: int) -> str:
    return f"{v // 100}.{v % 100:02d}"


SKUS = ("A", "B")


def machine_for(podium: Podium) -> type[RuleBasedStateMachine]:
    class Returns(RuleBasedStateMachine):
        @initialize()
        def store(self) -> None:
            self.p = f"q{next(_runs)}"
            self.orders: list[str] = []
            self.returns: list[str] = []
            db = podium.db
            channels.create_channel(db, ChannelIn(code=self.p, name="web"))
            catalog.create_warehouse(
                db,
                WarehouseIn.model_validate(
                    {"code": f"{self.p}W", "name": "W", "address": {"country": "US"}}
                ),
            )
            for s in SKUS:
                catalog.create_product(db, ProductIn(sku=f"{self.p}{s}", name=s))
                inventory.adjust(
                    db,
                    AdjustmentIn(
                        sku=f"{self.p}{s}", warehouse=f"{self.p}W", quantity=500, reason="receipt"
                    ),
                    "test",
                )

        @rule(
            qa=st.integers(0, 3),
            qb=st.integers(1, 3),
            price=st.integers(1, 5000),
            discount_pct=st.integers(0, 60),
            tax=st.integers(0, 900),
            shipping=st.integers(0, 700),
        )
        def place_and_ship(
            self, qa: int, qb: int, price: int, discount_pct: int, tax: int, shipping: int
        ) -> None:
            lines = [(f"{self.p}A", qa), (f"{self.p}B", qb)]
            subtotal = sum(q * price for _, q in lines)
            intake = OrderIntake.model_validate(
                {
                    "channel": self.p,
                    "currency": "USD",
                    "customer": {"email": "sam@example.com"},
                    "shipping_address": {"country": "US", "postal_code": "98101"},
                    "lines": [
                        {"sku": s, "quantity": q, "unit_price": cents(price)} for s, q in lines if q
                    ],
                    "discount_total": cents(subtotal * discount_pct // 100),
                    "tax_total": cents(tax),
                    "shipping_total": cents(shipping),
                }
            )
            order = place_order(podium.db, intake, allocator=podium.allocator).order
            for s in order.shipments:
                ship_shipment(podium.db, s.id, ShipIn(), "test")
            self.orders.append(order.id)

        @precondition(lambda self: self.orders)
        @rule(data=st.data())
        def request_return(self, data: st.DataObject) -> None:
            order_id = data.draw(st.sampled_from(self.orders))
            sku = data.draw(st.sampled_from([f"{self.p}{s}" for s in SKUS]))
            body = ReturnIn.model_validate(
                {
                    "lines": [{"sku": sku, "quantity": data.draw(st.integers(1, 3))}],
                    "approve": data.draw(st.booleans()),
                }
            )
            with contextlib.suppress(DomainError):
                self.returns.append(service.create_return(podium.db, order_id, body, "t").id)

        @precondition(lambda self: self.returns)
        @rule(data=st.data())
        def move_return(self, data: st.DataObject) -> None:
            rma = data.draw(st.sampled_from(self.returns))
            view = service.get_return(podium.db, rma)
            action = data.draw(st.sampled_from(["approve", "reject", "receive", "refund"]))
            with contextlib.suppress(DomainError):
                if action == "approve":
                    service.approve_return(podium.db, rma, "t")
                elif action == "reject":
                    service.reject_return(podium.db, rma, "t")
                elif action == "receive":
                    line = data.draw(st.sampled_from(view.lines))
                    receive_return(
                        podium.db,
                        rma,
                        ReceiveIn.model_validate(
                            {
                                "lines": [
                                    {
                                        "sku": line.sku,
                                        "quantity": data.draw(st.integers(1, 3)),
                                        "disposition": data.draw(
                                            st.sampled_from(
                                                ["restock", "damaged", "scrap", "refurbish"]
                                            )
                                        ),
                                    }
                                ]
                            }
                        ),
                        "t",
                    )
                else:
                    amount = data.draw(st.none() | st.integers(1, 20000))
                    refunds.refund_return(
                        podium.db,
                        rma,
                        RefundIn(
                            amount=None
                            if amount is None
                            else f"{amount // 100}.{amount % 100:02d}",
                            include_shipping=data.draw(st.booleans()),
                            method=data.draw(st.sampled_from(["original_payment", "store_credit"])),
                        ),
                        podium.gateways,
                        "t",
                    )

        @precondition(lambda self: self.orders)
        @rule(data=st.data())
        def refund_without_return(self, data: st.DataObject) -> None:
            order_id = data.draw(st.sampled_from(self.orders))
            with contextlib.suppress(DomainError):
                if data.draw(st.booleans()):
                    refunds.refund_order(
                        podium.db,
                        order_id,
                        OrderRefundIn.model_validate(
                            {
                                "lines": [{"sku": f"{self.p}B", "quantity": 1}],
                                "include_shipping": True,
                            }
                        ),
                        podium.gateways,
                        "t",
                    )
                else:
                    record_channel_refund(
                        podium.db,
                        order_id=order_id,
                        channel_refund_id=f"ch-{data.draw(st.integers(1, 4))}",
                        amount=data.draw(st.integers(1, 3000)),
                        currency="USD",
                        lines=[ChannelRefundLine(f"{self.p}A", 1, data.draw(st.booleans()))],
                    )

        @invariant()
        def books_are_true(self) -> None:
            if not hasattr(self, "p"):
                return
            report = examine(podium.db)
            assert report.ok, [str(v) for v in report.violations]
            credit = store_credit(podium.db, "sam@example.com").balances.get("USD", "0.00")
            total_credit = 0
            for order_id in self.orders:
                pays = list_payments(podium.db, order_id)
                captured = parse_amount(pays.captured, "USD")
                to_card = parse_amount(pays.refunded, "USD")
                issued = refunds.list_refunds(podium.db, order_id)
                total = sum(parse_amount(r.amount, "USD") for r in issued)
                assert total <= captured
                card = sum(
                    parse_amount(r.amount, "USD") for r in issued if r.method != "store_credit"
                )
                assert card == to_card
                total_credit += total - card
                order = lifecycle.get_order(podium.db, order_id)
                if to_card:
                    assert order.payment_status in ("partially_refunded", "refunded")
            assert parse_amount(credit, "USD") >= total_credit  # other runs share the e-mail
            for rma in self.returns:
                for ln in service.get_return(podium.db, rma).lines:
                    assert ln.quantity_restocked <= ln.quantity_received <= ln.quantity
                    assert (
                        ln.quantity_restocked
                        + ln.quantity_damaged
                        + ln.quantity_scrapped
                        + ln.quantity_refurbished
                        == ln.quantity_received
                    )

    return Returns


def test_random_returns_and_refunds_keep_money_and_stock_exact(podium: Podium) -> None:
    run_state_machine_as_test(
        machine_for(podium),
        settings=settings(
            max_examples=6,
            stateful_step_count=12,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
