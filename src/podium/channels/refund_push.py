"""What a platform is told of a refund made in Podium (pure): the amount, its shipping part,
and the refunded units named by the platform's own line ids, restocked where they came back to
stock; and which platform errors are a refusal (never retried) rather than a failure."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from podium.channels.connector import PlatformError, RefundLinePush, RefundPush
from podium.channels.kept_lines import room_of, spread
from podium.errors import DomainError
from podium.returns import PushableRefund, refund_note

__all__ = ["build_refund_push", "is_refusal", "refund_lines"]


def refund_lines(
    kept: Sequence[Mapping[Any, Any]],
    refunded: Sequence[tuple[str, int, bool]],
    platform_sku: Mapping[str, str] | None = None,
) -> list[RefundLinePush]:
    """Refunded ``(Podium SKU, units, restock)`` spread over the order's kept platform lines
    of that SKU in order (as shipments are). Units no kept line can carry (an order captured
    before lines were kept, or a line the platform gave no id) go as a line without an id,
    under the platform's SKU, for the connector to find or to refund as money only."""
    room = room_of(kept)
    out: list[RefundLinePush] = []
    for sku, quantity, restock in refunded:
        taken, left = spread(kept, room, sku, quantity)
        for i, take in taken:
            k = kept[i]
            out.append(
                RefundLinePush(str(k["line_id"]), str(k["platform_sku"] or sku), take, restock)
            )
        if left > 0:
            named = next((k for k in kept if k["sku"] == sku), None)
            remote = str(named["platform_sku"]) if named and named["platform_sku"] else None
            remote = remote or (platform_sku or {}).get(sku, sku)
            out.append(RefundLinePush(None, remote, left, restock))
    return out


def build_refund_push(
    refund: PushableRefund,
    external_id: str,
    kept: Sequence[Mapping[Any, Any]],
    platform_sku: Mapping[str, str] | None = None,
) -> RefundPush:
    """The refund as a platform is asked to make it. Restocked units and the others of a SKU
    become separate lines (restocking is per line on the platforms)."""
    refunded: list[tuple[str, int, bool]] = []
    for ln in refund.lines:
        if ln.restocked > 0:
            refunded.append((ln.sku, ln.restocked, True))
        if ln.quantity - ln.restocked > 0:
            refunded.append((ln.sku, ln.quantity - ln.restocked, False))
    return RefundPush(
        external_id=external_id,
        refund_id=refund.refund_id,
        currency=refund.currency,
        amount=refund.amount,
        shipping=refund.shipping,
        lines=refund_lines(kept, refunded, platform_sku),
        note=refund_note(refund.refund_id, refund.reason)[:500],
    )


def is_refusal(exc: DomainError) -> bool:
    """A platform's considered no (a 4xx, or an answer a connector marked ``refused``): asking
    again changes nothing, so a human must look. Anything else (5xx after the caller's own
    retries, a timeout, a 429 that outlasted the wait) is a failure worth retrying."""
    if not isinstance(exc, PlatformError):
        return True  # our own refusal (unsupported, invalid): not going to change either
    details = exc.details or {}
    if details.get("refused") is True:
        return True
    status = details.get("status")
    return isinstance(status, int) and 400 <= status < 500 and status not in (408, 429)
