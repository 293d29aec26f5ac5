"""``podium demo`` as a newcomer meets it after the README's tour: a clear way to a demo
database of its own, and closing words that say how to look at it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from podium.channels.records import ChannelIn, create_channel
from podium.db.database import Database
from podium.db.engine import build_engine
from podium.db.migrate import upgrade

PODIUM = Path(sys.executable).with_name("podium")


def _podium(cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("PODIUM_")}
    return subprocess.run(
        [str(PODIUM), *args],
        env={**environ, "COLUMNS": "200", **env},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_demo_after_the_tour_says_how_to_give_it_a_database_of_its_own(tmp_path: Path) -> None:
    db = Database(build_engine(f"sqlite:///{tmp_path / 'podium.db'}"))
    upgrade(db.engine)
    create_channel(db, ChannelIn(code="web", name="Web store", type="manual"))  # the tour's
    db.dispose()

    refused = _podium(tmp_path, "demo", "--orders", "5")

    assert refused.returncode == 2
    said = " ".join(refused.stderr.split())
    assert "demo_store_conflict" in said
    assert "podium demo --database demo.db" in said
    assert "podium serve --database demo.db" in said
    assert "Traceback" not in refused.stderr


def test_demo_on_its_own_database_prints_the_command_and_url_to_look_at_it(
    tmp_path: Path,
) -> None:
    ran = _podium(tmp_path, "demo", "--orders", "30", "--database", "demo.db", PODIUM_PORT="8765")

    assert ran.returncode == 0, ran.stderr
    said = " ".join(ran.stdout.split())
    assert "serve --database demo.db" in said
    assert "http://127.0.0.1:8765/" in said
    assert (tmp_path / "demo.db").exists() and not (tmp_path / "podium.db").exists()
    # The server it names serves that store.
    listed = _podium(tmp_path, "keys", "list", PODIUM_DATABASE_URL="sqlite:///demo.db")
    assert "demo" in listed.stdout


def test_demo_on_a_database_from_the_environment_says_to_serve_with_it(tmp_path: Path) -> None:
    ran = _podium(tmp_path, "demo", "--orders", "10", PODIUM_DATABASE_URL="sqlite:///env.db")

    assert ran.returncode == 0, ran.stderr
    assert "PODIUM_DATABASE_URL=sqlite:///env.db " in " ".join(ran.stdout.split())
