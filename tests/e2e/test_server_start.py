"""The helper that waits for a test server says why a start failed, and waits long enough."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from support import SERVER_START_SECONDS, wait_until_serving


def test_server_that_exits_fails_the_test_with_its_exit_code_and_output(tmp_path: Path) -> None:
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-c", "print('cannot bind 127.0.0.1:1'); raise SystemExit(3)"],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    with pytest.raises(pytest.fail.Exception) as failed:
        wait_until_serving(proc, "http://127.0.0.1:1", log)
    assert "exited with code 3" in str(failed.value)
    assert "cannot bind 127.0.0.1:1" in str(failed.value)


def test_server_that_never_answers_fails_after_the_wait_naming_the_last_error(
    tmp_path: Path,
) -> None:
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-c", "print('starting', flush=True); import time; time.sleep(30)"],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        with pytest.raises(pytest.fail.Exception) as failed:
            wait_until_serving(proc, "http://127.0.0.1:1", log, seconds=0.5)
    finally:
        proc.kill()
        proc.wait()
    message = str(failed.value)
    assert "did not answer http://127.0.0.1:1 within 0.5 s" in message
    assert "ConnectError" in message and "starting" in message


@pytest.mark.skipif(
    "PODIUM_TEST_SERVER_START_SECONDS" in os.environ, reason="the wait is set by the environment"
)
def test_default_start_up_wait_is_generous() -> None:
    assert SERVER_START_SECONDS >= 180
