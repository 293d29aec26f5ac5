"""``podium.cli.common``: the one decorator every command goes through."""

from __future__ import annotations

import inspect
from typing import TYPE_CHECKING

import pytest
import typer
from typer.testing import CliRunner

from podium.cli.common import friendly, with_podium
from podium.errors import NotFound

if TYPE_CHECKING:
    from podium.bootstrap import Podium


def test_with_podium_hides_the_podium_parameter_from_typer() -> None:
    @with_podium
    def command(podium: Podium, code: str, limit: int = typer.Option(5)) -> None:
        raise AssertionError("not called")

    assert list(inspect.signature(command).parameters) == ["code", "limit"]
    assert "podium" not in command.__annotations__
    app = typer.Typer()
    app.command("go")(command)
    app.command("other")(command)
    shown = CliRunner().invoke(app, ["go", "--help"])
    assert shown.exit_code == 0
    assert "code" in shown.output.lower() and "--limit" in shown.output
    assert "podium" not in shown.output.lower()


@pytest.mark.parametrize(
    ("error", "line"),
    [
        (NotFound("No order x.", code="order_not_found"), "No order x. (order_not_found)"),
        (ValueError("--line 'x': expected SKU:QUANTITY"), "--line 'x': expected SKU:QUANTITY"),
    ],
)
def test_friendly_turns_expected_failures_into_one_line_and_exit_2(
    error: Exception, line: str
) -> None:
    @friendly
    def fails() -> None:
        raise error

    app = typer.Typer()
    app.command("fail")(fails)
    app.command("other")(fails)
    result = CliRunner().invoke(app, ["fail"])
    assert result.exit_code == 2
    assert result.output.strip() == f"error: {line}"


def test_friendly_lets_typer_exit_codes_through() -> None:
    @friendly
    def drifts() -> None:
        raise typer.Exit(1)

    app = typer.Typer()
    app.command("drift")(drifts)
    app.command("other")(drifts)
    assert CliRunner().invoke(app, ["drift"]).exit_code == 1
