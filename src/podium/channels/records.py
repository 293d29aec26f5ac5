"""Channels as shown and created: the type and its settings checked by the type's connector
spec, secrets masked. The channel record itself is the catalogue's (every capability reads a
channel's warehouses and policies); what a channel type means is this package's."""

from __future__ import annotations

from typing import Any

from pydantic import Field, field_validator

from podium import catalog
from podium.catalog import Channel
from podium.channels.registry import masked, specs, validate_settings
from podium.db.database import Database
from podium.validation import Code, Input

__all__ = ["ChannelIn", "create_channel", "get_channel", "list_channels", "shown"]


class ChannelIn(Input):
    code: Code
    name: str = Field(min_length=1, max_length=200)
    type: str = Field(
        default="manual",
        description="A registered channel type.",
        json_schema_extra=lambda schema: schema.update(enum=[s.type for s in specs()]),
    )
    warehouses: list[Code] | None = Field(
        default=None, description="Warehouses feeding this channel; omitted means all."
    )
    settings: dict[str, Any] = Field(default_factory=dict)

    @field_validator("type")
    @classmethod
    def _registered(cls, value: str) -> str:
        known = [s.type for s in specs()]
        if value not in known:
            raise ValueError(f"Input should be {', '.join(repr(t) for t in known)}")
        return value


def shown(channel: Channel) -> Channel:
    """The channel fit to show: its connector's secrets masked."""
    return channel.model_copy(update={"settings": masked(channel.type, channel.settings)})


def create_channel(db: Database, data: ChannelIn) -> Channel:
    settings = validate_settings(data.type, data.settings)
    created = catalog.add_channel(
        db,
        code=data.code,
        name=data.name,
        type_=data.type,
        warehouses=data.warehouses,
        settings=settings,
    )
    return shown(created)


def get_channel(db: Database, code: str) -> Channel:
    return shown(catalog.get_channel(db, code))


def list_channels(db: Database) -> list[Channel]:
    return [shown(c) for c in catalog.read_channels(db)]
