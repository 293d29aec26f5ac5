"""Returns: requests, receiving and dispositions, refunds, exchanges, return labels, and the
use cases that move money when an order shrinks (partial cancellation, edits)."""

from podium.returns.accounting import (
    accounting_csv,
)
from podium.returns.cancellation import (
    cancel_order,
    reject_for_risk,
    settle_cancellation,
)
from podium.returns.channel_subscriber import (
    on_channel_refund,
)
from podium.returns.customer import (
    request_return,
)
from podium.returns.edits import (
    edit_order,
)
from podium.returns.events import (
    ExchangeCreated,
    RefundIssued,
    ReturnApproved,
    ReturnCreated,
    ReturnLabelCreated,
    ReturnReceived,
    ReturnRejected,
)
from podium.returns.exchanges import (
    ARRIVED,
    WAITING,
    ExchangeIn,
    ExchangeView,
    create_exchange,
)
from podium.returns.figures import ReturnedLine, returned_lines
from podium.returns.label_purchase import (
    buy_return_label,
)
from podium.returns.label_tracking import (
    ReturnParcels,
)
from podium.returns.labels import (
    ReturnLabelIn,
    ReturnLabelView,
    get_return_label,
    on_return_rejected,
    return_label_document,
    void_return_label,
)
from podium.returns.model import (
    RECEIVABLE,
    REFUNDABLE,
    Disposition,
    ReceiveIn,
    ReceiveLineIn,
    RefundIn,
    RefundView,
    ReturnIn,
    ReturnLineIn,
    ReturnStatus,
    ReturnView,
    ShipBackIn,
)
from podium.returns.policies import (
    PaymentPolicyIn,
    Policies,
    ReturnPolicyIn,
    get_policies,
    set_payment_policy,
    set_return_policy,
)
from podium.returns.pushed import (
    PushableRefund,
    RefundedUnits,
    link_channel_refund,
    refund_note,
    refund_to_push,
)
from podium.returns.queue import (
    ReturnsQuery,
    search_returns,
)
from podium.returns.receiving import (
    receive_return,
)
from podium.returns.refunds import (
    OrderRefundIn,
    list_refunds,
    refund_order,
    refund_return,
)
from podium.returns.service import (
    approve_return,
    close_return,
    create_return,
    get_return,
    list_returns,
    reject_return,
    ship_back,
)
from podium.returns.summary import (
    order_returns,
)

__all__ = [
    "ARRIVED",
    "RECEIVABLE",
    "REFUNDABLE",
    "WAITING",
    "Disposition",
    "ExchangeCreated",
    "ExchangeIn",
    "ExchangeView",
    "OrderRefundIn",
    "PaymentPolicyIn",
    "Policies",
    "PushableRefund",
    "ReceiveIn",
    "ReceiveLineIn",
    "RefundIn",
    "RefundIssued",
    "RefundView",
    "RefundedUnits",
    "ReturnApproved",
    "ReturnCreated",
    "ReturnIn",
    "ReturnLabelCreated",
    "ReturnLabelIn",
    "ReturnLabelView",
    "ReturnLineIn",
    "ReturnParcels",
    "ReturnPolicyIn",
    "ReturnReceived",
    "ReturnRejected",
    "ReturnStatus",
    "ReturnView",
    "ReturnedLine",
    "ReturnsQuery",
    "ShipBackIn",
    "accounting_csv",
    "approve_return",
    "buy_return_label",
    "cancel_order",
    "close_return",
    "create_exchange",
    "create_return",
    "edit_order",
    "get_policies",
    "get_return",
    "get_return_label",
    "link_channel_refund",
    "list_refunds",
    "list_returns",
    "on_channel_refund",
    "on_return_rejected",
    "order_returns",
    "receive_return",
    "refund_note",
    "refund_order",
    "refund_return",
    "refund_to_push",
    "reject_for_risk",
    "reject_return",
    "request_return",
    "return_label_document",
    "returned_lines",
    "search_returns",
    "set_payment_policy",
    "set_return_policy",
    "settle_cancellation",
    "ship_back",
    "void_return_label",
]
