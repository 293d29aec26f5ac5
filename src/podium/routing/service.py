"""Routing use cases: the versioned rule set, and the locations routing decides among.

The active rule set is cached per process for ``TTL`` seconds (like ``catalog.cache``) and
dropped at once when this process saves a new version, so online decisions read no rules row.
"""

from __future__ import annotations

from datetime import UTC, datetime
from datetime import time as clock
from typing import Any

from pydantic import BaseModel
from sqlalchemy import Connection

from podium import catalog, shipments
from podium.catalog import RateTable, Warehouse
from podium.db.database import Database
from podium.db.tables import routing_rule_sets
from podium.db.versioned import Versions
from podium.geo import Coordinates
from podium.routing.costs import DEFAULT_RATES, WEEKDAYS, Calendar
from podium.routing.engine import Location
from podium.routing.rules import DEFAULT_RULES, RuleSet

__all__ = [
    "TTL",
    "RuleSetVersion",
    "active_rules",
    "get_rules",
    "locations",
    "rollback",
    "rule_history",
    "rule_version",
    "save_rules",
]

TTL = 2.0


class RuleSetVersion(BaseModel):
    """A saved rule set. Version 0 is Podium's built-in default (nothing saved yet)."""

    version: int
    active: bool
    created_at: datetime | None
    created_by: str | None
    note: str | None
    rule_set: RuleSet


RULES: Versions[RuleSet] = Versions(
    routing_rule_sets, "routing rules", lambda body: RuleSet(**body), DEFAULT_RULES, TTL
)


def active_rules(conn: Connection) -> tuple[int, RuleSet]:
    """The active rule set and its version (cached briefly per process)."""
    return RULES.active(conn)


def _view(row: dict[str, Any] | None, latest: int) -> RuleSetVersion:
    if row is None:
        return RuleSetVersion(
            version=0,
            active=latest == 0,
            created_at=None,
            created_by=None,
            note=DEFAULT_RULES.note,
            rule_set=DEFAULT_RULES,
        )
    return RuleSetVersion(
        version=row["version"],
        active=row["version"] == latest,
        created_at=row["created_at"],
        created_by=row["created_by"],
        note=row["note"],
        rule_set=RuleSet(**row["rules"]),
    )


def get_rules(db: Database) -> RuleSetVersion:
    row = RULES.newest(db)
    return _view(row, row["version"] if row else 0)


def rule_version(db: Database, number: int) -> RuleSetVersion:
    return _view(*RULES.read(db, number))


def rule_history(db: Database) -> list[RuleSetVersion]:
    rows, latest = RULES.history(db)
    return [*(_view(r, latest) for r in rows), _view(None, latest)]


def save_rules(db: Database, rules: RuleSet, actor: str, note: str | None = None) -> RuleSetVersion:
    """Save ``rules`` as a new version, which becomes the active one."""
    row = RULES.save(db, rules.model_dump(mode="json"), note or rules.note, actor)
    return _view(row, row["version"])


def rollback(db: Database, number: int, actor: str) -> RuleSetVersion:
    """Make an old version active again, by saving it as the newest version."""
    old = rule_version(db, number)
    return save_rules(db, old.rule_set, actor, note=f"rollback to version {number}")


# --- locations ---------------------------------------------------------------------------


def _calendar(w: Warehouse) -> Calendar:
    cutoff = None
    if w.cutoff_time:
        hours, minutes = w.cutoff_time.split(":")
        cutoff = clock(int(hours), int(minutes))
    return Calendar(
        cutoff=cutoff,
        time_zone=w.time_zone or "UTC",
        working_days=tuple(w.working_days) if w.working_days else WEEKDAYS,
    )


def _local_midnight(calendar: Calendar, now: datetime) -> datetime:
    local = now.astimezone(calendar.zone())
    start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return start.astimezone(UTC)


def location_of(w: Warehouse, used_today: int | None = None) -> Location:
    return Location(
        code=w.code,
        priority=w.priority,
        coords=Coordinates(w.latitude, w.longitude)
        if w.latitude is not None and w.longitude is not None
        else None,
        active=w.active,
        capacity_left=None
        if w.daily_order_capacity is None
        else w.daily_order_capacity - (used_today or 0),
        ship_from_store=w.ship_from_store,
        serves_channels=frozenset(w.serves_channels) if w.serves_channels is not None else None,
        serves_countries=frozenset(w.serves_countries) if w.serves_countries is not None else None,
        rates=RateTable.from_json(w.shipping_rates) if w.shipping_rates else DEFAULT_RATES,
        calendar=_calendar(w),
    )


def locations(
    conn: Connection, now: datetime, *, allowed: set[str] | None = None
) -> list[Location]:
    """Every warehouse (``allowed``: only these) with today's capacity use counted."""
    found = [w for w in catalog.warehouses(conn) if allowed is None or w.code in allowed]
    capped = {
        w.code: _local_midnight(_calendar(w), now)
        for w in found
        if w.active and w.daily_order_capacity is not None
    }
    used = shipments.shipments_since(conn, capped)
    return [location_of(w, used.get(w.code, 0)) for w in found]
