"""Channel types are declared once, as ConnectorSpecs, and found through entry points."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest
from pydantic import Field

from podium.channels import registry
from podium.channels.records import ChannelIn
from podium.channels.settings import SettingsBase
from podium.channels.spec import ConnectorSpec
from podium.errors import ValidationFailed


@pytest.fixture
def clean_registry(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Registrations made by a test vanish with it."""
    registry.specs()
    monkeypatch.setattr(registry, "_specs", dict(registry._specs))
    yield


def test_the_built_in_types_are_registered() -> None:
    assert [s.type for s in registry.specs()] == [
        "amazon",
        "csv",
        "manual",
        "pos",
        "shopify",
        "woocommerce",
    ]
    assert sorted(registry.build_connectors().types) == ["amazon", "shopify", "woocommerce"]


def test_the_built_in_types_are_declared_as_entry_points() -> None:
    """pyproject.toml declares each built-in spec in the group the registry loads."""
    project = tomllib.loads((Path(__file__).parents[3] / "pyproject.toml").read_text())
    declared = project["project"]["entry-points"][registry.GROUP]
    found = [EntryPoint(name=n, value=v, group=registry.GROUP) for n, v in declared.items()]
    assert {s.type: s for s in registry.load_entry_points(found)} == {
        s.type: s for s in registry.specs()
    }


_FAKE_MODULE = """
from pydantic import Field
from podium.channels.settings import SettingsBase
from podium.channels.spec import ConnectorSpec


class TillSettings(SettingsBase):
    till_url: str = Field(min_length=8)
    api_key: str = Field(min_length=1)


class TillConnector:
    type = "till"

    def __init__(self, caller):
        self.caller = caller


def spec():
    return ConnectorSpec(
        type="till",
        label="A till from another package",
        settings=TillSettings,
        secret_fields=frozenset({"api_key"}),
        build=TillConnector,
    )
"""


def test_a_connector_from_another_distribution_registers_through_its_entry_point(
    clean_registry: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "podium_till.py").write_text(_FAKE_MODULE)
    dist = tmp_path / "podium_till-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: podium-till\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text("[podium.channels]\ntill = podium_till:spec\n")
    monkeypatch.syspath_prepend(str(tmp_path))

    loaded = registry.load_entry_points()

    assert "till" in [s.type for s in loaded]
    spec = registry.spec_for("till")
    assert spec is not None and spec.label == "A till from another package"
    assert "till" in registry.build_connectors().types
    stored = registry.validate_settings(
        "till", {"till_url": "https://till.example", "api_key": "k" * 12}
    )
    assert registry.masked("till", stored)["api_key"] == "****kkkk"
    assert ChannelIn(code="till1", name="Till", type="till").type == "till"
    with pytest.raises(ValidationFailed) as refused:
        registry.validate_settings("till", {"till_url": "https://till.example"})
    assert refused.value.details["field"] == "settings.api_key"


class _Kiosk(SettingsBase):
    kiosk_id: str = Field(min_length=1)


KIOSK = ConnectorSpec(type="kiosk", label="Kiosk", settings=_Kiosk)


def test_an_entry_point_may_name_the_spec_itself(clean_registry: None) -> None:
    found = EntryPoint(name="kiosk", value=f"{__name__}:KIOSK", group=registry.GROUP)
    assert registry.load_entry_points([found]) == [KIOSK]
    assert registry.spec_for("kiosk") is KIOSK
    assert registry.build_connectors().for_type("kiosk") is None  # no connector to build


def test_two_specs_for_one_type_are_refused(clean_registry: None) -> None:
    registry.register(KIOSK)
    registry.register(KIOSK)  # the same declaration twice is harmless
    with pytest.raises(RuntimeError, match="registered twice"):
        registry.register(ConnectorSpec(type="kiosk", label="Another kiosk", settings=_Kiosk))


def test_an_entry_point_that_is_not_a_spec_is_refused(clean_registry: None) -> None:
    found = EntryPoint(name="bad", value="podium.channels.registry:GROUP", group=registry.GROUP)
    with pytest.raises(TypeError, match="not a ConnectorSpec"):
        registry.load_entry_points([found])


def test_a_secret_field_must_be_a_setting() -> None:
    with pytest.raises(RuntimeError, match="not settings"):
        ConnectorSpec(type="x", label="x", settings=_Kiosk, secret_fields=frozenset({"token"}))


def test_an_unregistered_type_is_refused_on_input() -> None:
    with pytest.raises(ValueError, match="type"):
        ChannelIn(code="x", name="x", type="fax")
