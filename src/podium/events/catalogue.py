"""The event catalogue: one frozen dataclass per event type, and the registry of them all.

An event class belongs to the capability that emits it (``podium/orders/events.py``,
``podium/inventory/events.py``…) and declares, in its class statement, its wire type (the
outbox ``event_type`` string) and its aggregate::

    @dataclass(frozen=True, kw_only=True)
    class OrderHeld(OrderEvent, type="order.held"):
        # the docstring: what happened, used in docs/webhooks.md
        reason: str

Defining the class registers it here (``__init_subclass__``): this module is the bottom
layer and imports no capability, so the catalogue holds the classes of the events modules
that have been imported. The composition root (``podium.bootstrap.EVENT_MODULES``) imports
every capability's events module, and notify imports those of the capabilities below it for
its webhook list, so by the time anything reads the catalogue it is complete (a test checks
that every ``podium/*/events.py`` is in ``EVENT_MODULES``).

The outbox row stays as it was: ``event_type`` is the class's wire type and ``payload`` is its
fields as JSON, in field order, under their wire keys. A field's ``metadata`` may rename its
key (``key("from")`` for ``from_``), leave it out when it is None (``omit_none()``), or
spread a mapping of further facts into the payload at its place (``SPREAD``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any, ClassVar, cast

__all__ = [
    "SPREAD",
    "Event",
    "by_type",
    "catalogue",
    "describe",
    "event_types",
    "key",
    "omit_none",
    "webhook_types",
]

_CATALOGUE: dict[str, type[Event]] = {}


class Event:
    """The base of every event class (each a frozen dataclass).

    Class keywords: ``type`` (the wire type; a class without one is an abstract base),
    ``aggregate`` (the aggregate type: ``order``, ``sku``…; inherited), ``webhook`` (whether a
    webhook may subscribe to it and docs/webhooks.md lists it; default True).
    """

    TYPE: ClassVar[str] = ""
    AGGREGATE: ClassVar[str] = ""
    WEBHOOK: ClassVar[bool] = True
    __slots__ = ()

    def __init_subclass__(
        cls,
        *,
        type: str | None = None,
        aggregate: str | None = None,
        webhook: bool | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init_subclass__(**kwargs)
        if aggregate is not None:
            cls.AGGREGATE = aggregate
        if webhook is not None:
            cls.WEBHOOK = webhook
        if type is None:
            # ``dataclass(slots=True)`` remakes the class from its namespace, without the
            # class keywords: the TYPE set on the first one is in it, and the remade class
            # replaces the first in the catalogue. A subclass that names no type is abstract.
            type = cls.__dict__.get("TYPE", "")
            if not type:
                cls.TYPE = ""
                return
        cls.TYPE = type
        known = _CATALOGUE.get(type)
        same = known is not None and (known.__module__, known.__qualname__) == (
            cls.__module__,
            cls.__qualname__,
        )
        if known is not None and not same:
            raise RuntimeError(f"event type {type} is declared twice: {known} and {cls}")
        _CATALOGUE[type] = cls

    def aggregate_id(self) -> str:
        """The id of the aggregate the event is about (delivery is ordered per aggregate)."""
        raise NotImplementedError

    def payload(self) -> dict[str, Any]:
        """The JSON payload as written to the outbox (and sent to webhooks as ``data``)."""
        out: dict[str, Any] = {}
        for f in dataclasses.fields(cast(Any, self)):  # every event class is a dataclass
            value = getattr(self, f.name)
            if f.metadata.get("spread"):
                out.update(value or {})
            elif value is None and f.metadata.get("omit_none"):
                continue
            else:
                out[f.metadata.get("key", f.name)] = value
        return out


def key(name: str) -> dict[str, Any]:
    """Field metadata: the field is written under another payload key
    (``from_: str = field(metadata=key("from"))``)."""
    return {"key": name}


def omit_none(name: str | None = None) -> dict[str, Any]:
    """Field metadata: the field is left out of the payload when None (a key that only some
    emitters send): ``queue: str | None = field(default=None, metadata=omit_none())``."""
    return {"omit_none": True} if name is None else {"omit_none": True, "key": name}


# Field metadata: a mapping of further facts written into the payload at the field's place
# (``extra: dict[str, Any] = field(default_factory=dict, metadata=SPREAD)``).
SPREAD: dict[str, Any] = {"spread": True}


def catalogue() -> dict[str, type[Event]]:
    """Every registered event class by wire type."""
    return dict(sorted(_CATALOGUE.items()))


def by_type(event_type: str) -> type[Event] | None:
    return _CATALOGUE.get(event_type)


def event_types(classes: Iterable[type[Event]]) -> frozenset[str]:
    """The wire types of ``classes`` (an abstract base is refused)."""
    out = []
    for cls in classes:
        if not cls.TYPE:
            raise ValueError(f"{cls.__name__} is not a concrete event class")
        out.append(cls.TYPE)
    return frozenset(out)


def webhook_types() -> frozenset[str]:
    return frozenset(t for t, cls in _CATALOGUE.items() if cls.WEBHOOK)


def describe(cls: type[Event]) -> str:
    """The class's docstring, on one line (for docs)."""
    return " ".join((cls.__doc__ or "").split())
