"""The late-shipment check: a shipment past its promised delivery date (``promised_by``) and
not delivered gets one ``shipment.late`` timeline entry and event, which the automation rules
hear as the ``shipment.late`` trigger.

Run periodically by every process that runs the relay (``LateShipments``, every
``INTERVAL`` seconds) and on demand by ``podium automation late-check``. Idempotent: the
entry is written in the transaction that locks the order and first checks there is none for
that shipment, so however many processes check at once, each shipment fires once. Looks back
``LOOKBACK_DAYS`` days of promises (a shipment promised longer ago and still not delivered
when the check first runs is not announced).
"""

from __future__ import annotations

import logging
import threading
from datetime import date, timedelta

from podium import orders, shipments
from podium.automation.events import ShipmentLate
from podium.db.database import Database, utcnow
from podium.orders import Batch, TimelineRow
from podium.shipments import Shipment, ShipmentStatus

__all__ = ["INTERVAL", "LOOKBACK_DAYS", "LateShipments", "check_late"]

INTERVAL = 300.0
FIRST_DELAY = 10.0  # let a starting process settle (migrations, preloads) before the first
LOOKBACK_DAYS = 30
PAGE = 200
ACTOR = "automation"
KIND = "shipment.late"
S = ShipmentStatus
# Not delivered yet, and still going to be (cancelled or returned shipments are not late).
NOT_DELIVERED = sorted(
    s.value for s in S if s not in (S.DELIVERED, S.CANCELLED, S.RETURNED_TO_SENDER)
)
log = logging.getLogger(__name__)


def _announce(db: Database, shipment: Shipment, today: date) -> bool:
    """One late shipment on its order's timeline and in the outbox, unless already there."""
    if shipment.promised_by is None:
        return False
    with db.write() as conn:
        order = orders.locked_order(conn, shipment.order_id)
        current = shipments.get_shipment(conn, shipment.id)
        if current is None or current.status not in NOT_DELIVERED:
            return False  # delivered or cancelled meanwhile
        if orders.has_entry(conn, shipment.order_id, KIND, "shipment_id", shipment.id):
            return False
        days = (today - shipment.promised_by).days
        promised = shipment.promised_by.isoformat()
        data = {
            "shipment_id": shipment.id,
            "warehouse": current.warehouse,
            "status": current.status,
            "promised_by": promised,
            "days_late": days,
        }
        entry = TimelineRow(
            KIND,
            f"Shipment {shipment.id} from {current.warehouse} was promised by {promised} and "
            f"is not delivered ({current.status}).",
            data,
        )
        event = ShipmentLate(
            id=order["id"],
            number=order["number"],
            shipment_id=shipment.id,
            warehouse=current.warehouse,
            status=current.status,
            carrier=current.carrier,
            promised_by=promised,
            days_late=days,
        )
        Batch([entry], [event]).write(conn, order["id"], ACTOR)
    return True


def check_late(db: Database, today: date | None = None, seen: set[str] | None = None) -> int:
    """Announce every shipment newly past its promise; returns how many. ``seen``: ids this
    process already looked at (skipped, and added to), so a long-running check does not lock
    the same late order again every pass."""
    today = today or utcnow().date()
    since = today - timedelta(days=LOOKBACK_DAYS)
    found, after = 0, ""
    while True:
        with db.read() as conn:
            page = shipments.overdue(conn, NOT_DELIVERED, since, today, after_id=after, limit=PAGE)
        for shipment in page:
            if seen is not None and shipment.id in seen:
                continue
            found += _announce(db, shipment, today)
            if seen is not None:
                seen.add(shipment.id)
        if len(page) < PAGE:
            return found
        after = page[-1].id


class LateShipments:
    """Runs ``check_late`` every ``interval`` seconds on a daemon thread."""

    def __init__(self, db: Database, interval: float = INTERVAL) -> None:
        self.db = db
        self.interval = interval
        self.stopping = threading.Event()
        self.seen: set[str] = set()
        self._thread: threading.Thread | None = None

    def run_forever(self) -> None:
        self.stopping.wait(min(FIRST_DELAY, self.interval))
        while not self.stopping.is_set():
            try:
                found = check_late(self.db, seen=self.seen)
                if found:
                    log.info("late-shipment check: %d shipment(s) newly late", found)
            except Exception:  # a database hiccup: log, wait, carry on
                log.exception("late-shipment check failed")
            self.stopping.wait(self.interval)

    def start(self) -> None:
        self.stopping.clear()
        self._thread = threading.Thread(
            target=self.run_forever, name="podium-late-shipments", daemon=True
        )
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self.stopping.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
