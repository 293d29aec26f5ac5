"""The channel types Podium knows, each declared once as a ``ConnectorSpec``.

Specs come from the ``podium.channels`` entry point group: Podium's own are declared in its
``pyproject.toml``, and another distribution adds a connector by declaring one there too
(``[project.entry-points."podium.channels"] mine = "my_pkg.connector:SPEC"``). An entry point
names a ``ConnectorSpec`` or a function returning one. The built-in specs are also loaded by
module path, so a source checkout whose installed metadata is stale still knows them.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from importlib import import_module
from importlib.metadata import EntryPoint, entry_points
from typing import Any

from pydantic import BaseModel, ValidationError

from podium.channels.connector import Connectors
from podium.channels.http import Caller
from podium.channels.spec import ConnectorSpec
from podium.errors import ValidationFailed

__all__ = [
    "GROUP",
    "build_connectors",
    "load_entry_points",
    "masked",
    "register",
    "settings_notes",
    "spec_for",
    "specs",
    "typed",
    "validate_settings",
]

GROUP = "podium.channels"
_BUILT_IN = {
    "shopify": "podium.channels.shopify:SPEC",
    "woocommerce": "podium.channels.woocommerce:SPEC",
    "amazon": "podium.channels.amazon:SPEC",
    "manual": "podium.channels.spec:MANUAL",
    "pos": "podium.channels.spec:POS",
    "csv": "podium.channels.spec:CSV",
}

_specs: dict[str, ConnectorSpec] = {}
_loaded = False
_lock = threading.RLock()


def register(spec: ConnectorSpec) -> None:
    """Add a channel type; registering the same spec twice is harmless, a second spec for a
    type already taken is refused (two distributions must not both claim ``shopify``)."""
    if not isinstance(spec, ConnectorSpec):
        raise TypeError(f"{spec!r} is not a ConnectorSpec")
    with _lock:
        known = _specs.get(spec.type)
        if known is not None and known != spec:
            raise RuntimeError(f"Channel type {spec.type} is registered twice")
        _specs[spec.type] = spec


def _loaded_spec(target: object) -> ConnectorSpec:
    spec = target() if callable(target) and not isinstance(target, ConnectorSpec) else target
    if not isinstance(spec, ConnectorSpec):
        raise TypeError(f"{target!r} is not a ConnectorSpec")
    return spec


def load_entry_points(found: Iterable[EntryPoint] | None = None) -> list[ConnectorSpec]:
    """Register every spec of the ``podium.channels`` group (or of ``found``); the specs."""
    loaded = [
        _loaded_spec(ep.load()) for ep in (entry_points(group=GROUP) if found is None else found)
    ]
    for spec in loaded:
        register(spec)
    return loaded


def _ensure_loaded() -> None:
    global _loaded
    if _loaded:
        return
    with _lock:
        if _loaded:
            return
        load_entry_points()
        for type_, target in _BUILT_IN.items():
            if type_ not in _specs:
                module, _, name = target.partition(":")
                register(_loaded_spec(getattr(import_module(module), name)))
        _loaded = True


def specs() -> list[ConnectorSpec]:
    """Every channel type, by type."""
    _ensure_loaded()
    return [_specs[t] for t in sorted(_specs)]


def spec_for(channel_type: str) -> ConnectorSpec | None:
    _ensure_loaded()
    return _specs.get(channel_type)


def build_connectors(caller: Caller | None = None) -> Connectors:
    """A connector for every type that has one, sharing one HTTP caller (built in bootstrap)."""
    http = caller or Caller()
    return Connectors([s.build(http) for s in specs() if s.build is not None], http)


def _model(channel_type: str) -> type[BaseModel]:
    spec = spec_for(channel_type)
    return spec.settings if spec is not None else _plain()


def _plain() -> type[BaseModel]:
    spec = spec_for("manual")
    if spec is None:
        raise RuntimeError("The manual channel type is not registered")
    return spec.settings


def validate_settings(
    channel_type: str, settings: dict[str, Any], *, previous: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The settings as stored (defaults filled in), or 422 naming the field at fault.
    ``previous``: what the channel has now (None: a channel being created); a model may keep
    accepting from an old channel what it refuses from a new one (Amazon's fixed token)."""
    try:
        parsed = _model(channel_type).model_validate(settings, context={"previous": previous})
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(["settings", *(str(p) for p in first["loc"])])
        raise ValidationFailed(
            f"{field}: {first['msg']}.",
            code="invalid_settings",
            details={"field": field, "type": channel_type},
        ) from None
    return parsed.model_dump(mode="json", exclude_none=True)


def _secrets(channel_type: str) -> frozenset[str]:
    spec = spec_for(channel_type)
    if spec is not None:
        return spec.secret_fields
    # A type whose connector is gone (uninstalled): hide every secret any connector declares.
    return frozenset().union(*(s.secret_fields for s in specs()))


def masked(channel_type: str, settings: dict[str, Any]) -> dict[str, Any]:
    """Settings fit to show: every secret replaced by its last four characters."""
    secrets = _secrets(channel_type)
    out: dict[str, Any] = {}
    for key, value in settings.items():
        if key in secrets and isinstance(value, str):
            out[key] = "****" + value[-4:] if len(value) > 8 else "****"
        else:
            out[key] = value
    return out


def typed(channel_type: str, settings: dict[str, Any]) -> Any:
    """The settings as their connector's model (for connectors)."""
    return _model(channel_type).model_validate(settings)


def settings_notes(channel_type: str, settings: dict[str, Any]) -> list[str]:
    """What the connector's settings model says about the stored settings as read (e.g. a
    platform API version no longer served, read as a supported one)."""
    try:
        parsed = typed(channel_type, settings)
    except ValidationError:
        return ["The stored settings are not valid for this channel type any more."]
    notes = getattr(parsed, "notes", None)
    return list(notes()) if callable(notes) else []
