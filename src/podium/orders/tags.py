"""An order's tags: free labels people, channels and automation rules put on orders.

A tag is 1–64 characters of text (no control characters, surrounding space stripped); an
order carries at most ``MAX_TAGS``. Each change is one ``order.tagged`` timeline entry naming
what was added and removed; a change that changes nothing writes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Annotated, Any

from pydantic import AfterValidator, Field, StringConstraints
from pydantic_core import PydanticCustomError
from sqlalchemy import Connection

from podium.db.database import Database
from podium.errors import ValidationFailed
from podium.orders import _store as store
from podium.orders.lifecycle import get_order, locked_order
from podium.orders.model import OrderView
from podium.orders.timeline import TimelineRow, add_timeline
from podium.validation import Input

__all__ = [
    "MAX_TAGS",
    "MAX_TAG_LENGTH",
    "RESERVED_TAG_PREFIXES",
    "Tag",
    "TagsIn",
    "change_tags",
    "tag_order",
]

MAX_TAGS = 50
MAX_TAG_LENGTH = 64
# Tags Podium itself sets and reads (the channel, who took the money, how the goods left, where
# an automation rule sent it): nobody adds or removes them by hand or by rule.
RESERVED_TAG_PREFIXES = ("channel:", "payment:", "handed_over:", "routing:")


def _not_reserved(tag: str) -> str:
    if tag.startswith(RESERVED_TAG_PREFIXES):
        raise PydanticCustomError(
            "reserved_tag",
            "tags starting {prefixes} are Podium's own",
            {"prefixes": ", ".join(RESERVED_TAG_PREFIXES)},
        )
    return tag


Tag = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TAG_LENGTH),
    AfterValidator(_not_reserved),
]


class TagsIn(Input):
    """Tags to add to an order and tags to take off it (removing one it lacks is no error)."""

    add: list[Tag] = Field(default_factory=list, max_length=MAX_TAGS)
    remove: list[Tag] = Field(default_factory=list, max_length=MAX_TAGS)


def _unique(tags: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(tags))


def change_tags(
    conn: Connection,
    order: Mapping[Any, Any],
    add: Sequence[str],
    remove: Sequence[str],
    actor: str,
    *,
    why: str | None = None,
    data: dict[str, Any] | None = None,
    system: bool = False,
) -> tuple[list[str], list[str]]:
    """Add and remove tags on ``order`` (its row, locked by the caller) in the caller's
    transaction; returns what was really added and removed. ``why`` and ``data`` say who
    asked (an automation rule names itself) on the timeline entry; ``system``: Podium itself
    sets one of its reserved tags (routing's ``routing:only:WH``)."""
    reserved = [] if system else [t for t in (*add, *remove) if t.startswith(RESERVED_TAG_PREFIXES)]
    if reserved:
        raise ValidationFailed(
            f"Tag {reserved[0]!r} is Podium's own; it is not added or removed by hand.",
            code="reserved_tag",
            details={"field": "add" if reserved[0] in add else "remove"},
        )
    current = list(order["tags"] or [])
    added = [t for t in _unique(add) if t not in current and t not in remove]
    removed = [t for t in _unique(remove) if t in current]
    if not added and not removed:
        return [], []
    after = [t for t in current if t not in removed] + added
    if len(after) > MAX_TAGS:
        raise ValidationFailed(
            f"An order carries at most {MAX_TAGS} tags; this change would give it {len(after)}.",
            code="too_many_tags",
            details={"field": "add", "limit": MAX_TAGS},
        )
    store.update_order(conn, order["id"], {"tags": after})
    said = ", ".join([*(f"+{t}" for t in added), *(f"-{t}" for t in removed)])
    entry = TimelineRow(
        "order.tagged",
        f"Tags {said}" + (f" ({why})." if why else "."),
        {"added": added, "removed": removed, "tags": after, **(data or {})},
    )
    add_timeline(conn, order["id"], [entry], actor)
    return added, removed


def tag_order(db: Database, order_id: str, data: TagsIn, actor: str) -> OrderView:
    """Change an order's tags (by id or number); answers the order as it now is."""
    found = get_order(db, order_id)
    with db.write() as conn:
        change_tags(conn, locked_order(conn, found.id), data.add, data.remove, actor)
    return get_order(db, found.id)
