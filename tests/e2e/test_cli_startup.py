"""``podium --help`` answers without importing the capabilities: a group loads when used."""

import subprocess
import sys

CHECK = """
import sys
from typer.testing import CliRunner
from podium.cli import app
result = CliRunner().invoke(app, ["--help"])
assert result.exit_code == 0, result.output
loaded = sorted(m for m in sys.modules if m.startswith("podium."))
print(",".join(loaded))
print(result.output)
"""


def test_top_level_help_lists_every_group_without_loading_capabilities() -> None:
    out = subprocess.run(
        [sys.executable, "-c", CHECK], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    loaded, _, help_text = out.partition("\n")
    assert "podium.bootstrap" not in loaded
    assert not [m for m in loaded.split(",") if m.startswith(("podium.orders", "podium.inventory"))]
    for group in ("orders", "channels", "returns", "serve", "doctor", "users"):
        assert f" {group} " in help_text


def test_a_group_loads_when_it_is_used() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "podium.cli", "orders", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    assert "list" in out.stdout
