"""What a channel connector declares about itself, in one place (issue 13).

A connector is one ``ConnectorSpec``: its channel type, the label the dashboard shows, its
settings model, which settings are secrets, and how to build it. Settings validation, masking,
the API and dashboard forms and ``build_connectors`` all read these declarations through
``podium.channels.registry``; the built-in ones and any from another distribution are found
through the ``podium.channels`` entry point group.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from pydantic import BaseModel

from podium.channels.connector import Connector
from podium.channels.http import Caller
from podium.channels.settings import PlainSettings

__all__ = ["CSV", "MANUAL", "POS", "ConnectorSpec"]

_Model = type[BaseModel]  # the field named ``type`` below shadows the builtin in the class


@dataclass(frozen=True, slots=True)
class ConnectorSpec:
    """One channel type. ``build`` is None for types without a connector (orders come through
    the API or an import; nothing is pushed)."""

    type: str
    label: str
    settings: _Model = PlainSettings
    secret_fields: frozenset[str] = frozenset()
    build: Callable[[Caller], Connector] | None = None
    polled: bool = False  # orders are fetched on a schedule rather than sent by webhook

    def __post_init__(self) -> None:
        unknown = self.secret_fields - set(self.settings.model_fields)
        if unknown:
            raise RuntimeError(
                f"Connector {self.type}: secret fields {sorted(unknown)} are not settings"
            )


MANUAL = ConnectorSpec("manual", "Manual / API: no connector, nothing to push")
POS = ConnectorSpec("pos", "Point of sale: orders through the API")
CSV = ConnectorSpec("csv", "CSV import: no connector, nothing to push")
