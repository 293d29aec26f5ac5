"""``podium users`` as an operator uses it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PODIUM = Path(sys.executable).with_name("podium")


def _podium(database_url: str, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PODIUM_DATABASE_URL": database_url, "COLUMNS": "200"}
    return subprocess.run(
        [str(PODIUM), *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_users_create_from_stdin_list_disable_and_refuse_a_weak_password(database_url: str) -> None:
    made = _podium(
        database_url,
        *("users", "create", "--email", "Ann@Example.com", "--role", "support"),
        *("--password", "-"),
        stdin="correct horse battery\n",
    )
    assert made.returncode == 0, made.stderr
    assert "Created support user ann@example.com" in made.stderr
    listed = _podium(database_url, "users", "list")
    assert "ann@example.com" in listed.stdout and "support" in listed.stdout
    assert "argon2" not in listed.stdout  # never the hash
    weak = _podium(
        database_url,
        *("users", "create", "--email", "bob@example.com", "--role", "admin"),
        *("--password", "short"),
    )
    assert weak.returncode == 2 and "at least 10 characters" in weak.stderr
    disabled = _podium(database_url, "users", "disable", "ann@example.com")
    assert disabled.returncode == 0, disabled.stderr
    assert "no" in _podium(database_url, "users", "list").stdout
