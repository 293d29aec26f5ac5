"""The processes of the crash test (tests/chaos, benchmarks/chaos.py): ``podium serve`` and
``podium worker`` each in a session of its own, so ``kill()`` is ``kill -9`` of the process and
everything it started; ``start()`` brings it back on the same port and database. The outside
world they talk to runs in this process: fake Shopify and WooCommerce shops, an SMTP server and
a webhook receiver, each recording what it received."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import httpx

import podium
from fakes.channels.shopify import FakeShopify
from fakes.channels.woocommerce import FakeWooCommerce
from notify_fakes import Inbox, Receiver, free_port, smtp_server, webhook_receiver

PODIUM = Path(sys.executable).with_name("podium")


class Proc:
    """One ``podium`` command (``serve`` or ``worker``) that can be killed and started again.
    ``ready`` says when a start has finished: /health answers (serve) or the relay runs
    (worker)."""

    def __init__(self, args: list[str], env: dict[str, str], health: str | None) -> None:
        self.args, self.env, self.health = args, env, health
        self.proc: subprocess.Popen[str] | None = None
        self.key = ""  # the admin key ``serve`` prints on a first start
        self.spawned_at = self.ready_at = 0.0
        self._log: IO[str] | None = None

    def spawn(self) -> None:
        self.close()
        self._log = tempfile.TemporaryFile("w+")  # noqa: SIM115 - lives as long as the process
        self.spawned_at = time.monotonic()
        self.proc = subprocess.Popen(
            [str(PODIUM), *self.args],
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
            start_new_session=True,
        )

    def ready(self) -> bool:
        """Polled after ``spawn()``: True once the process serves (and notes when)."""
        assert self.proc is not None
        if self.proc.poll() is not None:
            raise RuntimeError(f"podium {self.args[0]} exited:\n{self.log_tail()}")
        out = self.log_tail(400)
        if not self.key:
            self.key = next((w for w in out.split() if w.startswith("pdm_")), "")
        if self.health is None:
            done = "Relay running" in out
        else:
            try:
                done = httpx.get(self.health, timeout=1.0).status_code == 200
            except httpx.TransportError:
                done = False
        if done:
            self.ready_at = time.monotonic()
        return done

    def start(self, timeout: float = 120.0) -> None:
        self.spawn()
        deadline = time.monotonic() + timeout
        while not self.ready():
            if time.monotonic() > deadline:
                raise RuntimeError(f"podium {self.args[0]} did not start:\n{self.log_tail()}")
            time.sleep(0.05)

    def log_tail(self, lines: int = 30) -> str:
        if self._log is None:
            return ""
        self._log.seek(0)
        return "".join(self._log.readlines()[-lines:])

    def kill(self) -> None:
        """SIGKILL to the process and its children at once: nothing gets to clean up."""
        if self.proc is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)
        _gone(self.proc.pid)

    def close(self) -> None:
        if self._log is not None:
            self._log.close()
            self._log = None


def _gone(pgid: int) -> None:
    """Children orphaned by a killed parent: make sure none outlives the run."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, signal.SIGKILL)
        except ProcessLookupError:
            return
        time.sleep(0.05)


@dataclass
class Outside:
    """What Podium talks to: the shops it pushes stock to, the SMTP server it sends e-mail
    through and the receiver of its webhooks."""

    shopify: FakeShopify
    woo: FakeWooCommerce
    inbox: Inbox
    smtp_port: int
    receiver: Receiver


@contextmanager
def outside() -> Iterator[Outside]:
    with ExitStack() as stack:
        shopify = stack.enter_context(FakeShopify(restore=1000.0, bucket=2000.0))
        woo = stack.enter_context(FakeWooCommerce())
        inbox, port = stack.enter_context(smtp_server())
        receiver = stack.enter_context(webhook_receiver())
        yield Outside(shopify, woo, inbox, port, receiver)


@dataclass
class Topology:
    """``serve`` (API processes, each with a relay) and ``worker`` relays beside it."""

    serve: Proc
    workers: list[Proc]
    base: str

    def all(self) -> list[Proc]:
        return [self.serve, *self.workers]

    def start(self, procs: list[Proc]) -> float:
        """Start these together; seconds until the last one was ready."""
        began = time.monotonic()
        for p in procs:
            p.spawn()
        pending = list(procs)
        deadline = began + 120
        while pending:
            pending = [p for p in pending if not p.ready()]
            if pending and time.monotonic() > deadline:
                raise RuntimeError(f"did not start:\n{pending[0].log_tail()}")
            time.sleep(0.05)
        return time.monotonic() - began

    def stop(self) -> None:
        """The end of a run: ``kill -9`` too (what a clean stop does is not under test)."""
        for p in self.all():
            p.kill()
            p.close()


def topology(database_url: str, world: Outside, workers: int = 1) -> Topology:
    port = free_port()
    # The processes run the Podium this process imported (a worktree's, not the venv's).
    source = str(Path(podium.__file__).resolve().parents[1])
    path = os.pathsep.join(p for p in (source, os.environ.get("PYTHONPATH")) if p)
    env = {
        **os.environ,
        "PYTHONPATH": path,
        "PODIUM_DATABASE_URL": database_url,
        "PODIUM_PORT": str(port),
        "PODIUM_SMTP_HOST": "127.0.0.1",
        "PODIUM_SMTP_PORT": str(world.smtp_port),
        "PODIUM_WEBHOOKS_ALLOW_PRIVATE": "1",
        "PODIUM_WEBHOOK_BACKOFF_SECONDS": "0.2",
        "PODIUM_RELAY_POLL_SECONDS": "0.05",
        "PODIUM_RELAY_BACKOFF_SECONDS": "0.2",
        "COLUMNS": "240",
        "NO_COLOR": "1",
    }
    base = f"http://127.0.0.1:{port}"
    serve = Proc(["serve"], env, f"{base}/api/v1/health")
    relays = [Proc(["worker"], env, None) for _ in range(workers)]
    return Topology(serve, relays, base)
