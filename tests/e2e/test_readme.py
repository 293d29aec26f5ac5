"""The README's first hour, run as written: the tour's shell blocks against a real server, and
the make targets it names. A README that stops working fails here, not for a newcomer."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import Server

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"


def _section(title: str) -> str:
    text = README.read_text()
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


def _shell_blocks(section: str) -> list[str]:
    return re.findall(r"```sh\n(.*?)```", section, flags=re.DOTALL)


@pytest.mark.skipif(shutil.which("curl") is None, reason="the tour uses curl")
def test_readme_tour_runs_as_written_against_a_fresh_server(server: Server) -> None:
    blocks = _shell_blocks(_section("A five-minute tour"))
    assert len(blocks) >= 5
    script = "\n".join(blocks)
    # The one thing a reader types in: the key their server printed.
    script, swapped = re.subn(r"^export KEY=.*$", f"export KEY={server.key}", script, flags=re.M)
    assert swapped == 1
    port = server.url.rsplit(":", 1)[1]
    env = {**os.environ, "PODIUM_PORT": port}  # the README's API line reads it

    ran = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert ran.returncode == 0, ran.stderr
    said = ran.stdout
    assert '"code":"web"' in said and '"sku":"TEE-M"' in said
    assert '"number":"PD-100001"' in said and '"status":"ready"' in said
    assert '"warehouse":"WEST"' in said  # Seattle ships whole from Oakland, as the text says
    assert '"status":"shipped"' in said
    # The one error the tour shows on purpose: a shipped order cannot be cancelled.
    assert said.count('"error"') == 1 and '"code":"invalid_transition"' in said


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_targets_the_readme_names_pass_port_host_and_the_demo_database() -> None:
    def planned(*args: str) -> str:
        return subprocess.run(
            ["make", "-n", *args], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout

    assert "podium serve --host 0.0.0.0 --port 8001" in planned("run", "PORT=8001", "HOST=0.0.0.0")
    assert "podium demo --database demo.db" in planned("demo")
    assert "podium serve --database demo.db --port 8002" in planned("run-demo", "PORT=8002")
    first_hour = _section("A five-minute tour") + README.read_text().split("## What Podium")[0]
    assert "source .venv/bin/activate" in first_hour and ".venv/bin/podium" in first_hour
    assert "PORT=" in first_hour and "make demo" in first_hour
