"""The processes the sync benchmarks under load run and watch: ``podium serve`` in its own
session (so it and its workers can be killed together and restarted on the same port), the
load generator subprocess, CPU accounting from /proc, and a sampler of the outbox backlog."""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import httpx
import sqlalchemy as sa
from sync_common import PODIUM, free_port

from podium.db.engine import normalise_url

CLK_TCK = os.sysconf("SC_CLK_TCK")
LOADGEN = Path(__file__).resolve().with_name("sync_loadgen.py")


class Serve:
    """``podium serve --workers N`` in a new session; ``kill()`` is ``kill -9`` of the whole
    process group, ``start()`` again brings it back on the same port and database."""

    def __init__(self, database_url: str, workers: int, env: dict[str, str] | None = None) -> None:
        self.database_url = database_url
        self.workers = workers
        self.env = env or {}
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.key = ""
        self.proc: subprocess.Popen[str] | None = None
        self.spawned_at = self.ready_at = 0.0
        self._log: IO[str] | None = None

    def start(self, timeout: float = 120.0) -> None:
        # The server's output, read while it runs (its key, its last words on failure).
        self._log = tempfile.TemporaryFile("w+")  # noqa: SIM115 - lives as long as the server
        env = {
            **os.environ,
            **self.env,
            "PODIUM_DATABASE_URL": self.database_url,
            "PODIUM_PORT": str(self.port),
            "COLUMNS": "240",
            "NO_COLOR": "1",
        }
        self.spawned_at = time.monotonic()
        self.proc = subprocess.Popen(
            [str(PODIUM), "serve", "--workers", str(self.workers)],
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
            start_new_session=True,
        )
        deadline = self.spawned_at + timeout
        with httpx.Client(timeout=1.0) as client:
            while time.monotonic() < deadline:
                if self.proc.poll() is not None:
                    raise SystemExit(f"podium serve exited:\n{self.log_tail()}")
                if not self.key:
                    self.key = next(
                        (w for w in self.log_tail(200).split() if w.startswith("pdm_")), ""
                    )
                try:
                    if client.get(f"{self.base}/api/v1/health").status_code == 200:
                        self.ready_at = time.monotonic()
                        return
                except httpx.TransportError:
                    pass
                time.sleep(0.05)
        raise SystemExit(f"podium serve did not answer /health:\n{self.log_tail()}")

    def log_tail(self, lines: int = 30) -> str:
        if self._log is None:
            return ""
        self._log.seek(0)
        return "".join(self._log.readlines()[-lines:])

    @property
    def session(self) -> int:
        return self.proc.pid if self.proc is not None else -1

    def kill(self) -> None:
        """SIGKILL to the server and every worker at once: nothing gets to clean up."""
        if self.proc is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)
        self._wait_group_gone(self.proc.pid)

    def stop(self) -> None:
        proc = self.proc
        if proc is None or proc.poll() is not None:
            self._wait_group_gone(proc.pid if proc else -1)
            return
        for sig, wait in ((signal.SIGINT, 20.0), (signal.SIGTERM, 10.0), (signal.SIGKILL, 5.0)):
            try:
                os.killpg(proc.pid, sig)
            except ProcessLookupError:
                break
            try:
                proc.wait(wait)
                break
            except subprocess.TimeoutExpired:
                continue
        self._wait_group_gone(proc.pid)

    @staticmethod
    def _wait_group_gone(pgid: int) -> None:
        """Workers orphaned by a killed parent: make sure none outlives the run."""
        if pgid <= 0:
            return
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                os.killpg(pgid, signal.SIGKILL)
            except ProcessLookupError:
                return
            time.sleep(0.05)


class LoadGen:
    """``sync_loadgen.py`` in its own process: ``ready`` once its webhooks are signed."""

    def __init__(self, plan: dict[str, Any]) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(LOADGEN)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps(plan) + "\n")
        self.proc.stdin.flush()
        if self.proc.stdout.readline().strip() != "ready":
            raise SystemExit("the load generator did not start")

    def go(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write("go\n")
        self.proc.stdin.flush()

    def stop_sending(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write("stop\n")
        self.proc.stdin.flush()

    def result(self, timeout: float) -> dict[str, Any]:
        out, _ = self.proc.communicate(timeout=timeout)
        line = out.strip().splitlines()[-1] if out.strip() else ""
        if self.proc.returncode != 0 or not line:
            raise SystemExit(f"the load generator failed ({self.proc.returncode})")
        result: dict[str, Any] = json.loads(line)
        return result

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)


# --------------------------------------------------------------------------- CPU and load


def _ours(pid: int, database: str | None) -> bool:
    """A postgres process serving the benchmark: its backends, or a background process."""
    try:
        title = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    except OSError:
        return False
    if re.search(r"\(\d+\)|\[local\]", title) is None:
        return True  # postmaster, WAL writer, checkpointer, autovacuum …
    return database is not None and f" {database} " in title


def cpu_snapshot(session: int, database: str | None) -> dict[str, float]:
    """CPU seconds so far: the server's session, PostgreSQL (this database's backends and the
    background processes), this process (the fake platforms), and the machine's busy time."""
    server = postgres = 0.0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            raw = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        comm = raw[raw.find("(") + 1 : raw.rfind(")")]
        fields = raw[raw.rfind(")") + 2 :].split()
        seconds = (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime + stime
        if int(fields[3]) == session:
            server += seconds
        elif database is not None and comm == "postgres" and _ours(int(entry), database):
            postgres += seconds
    ticks = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    mine = os.times()
    return {
        "server": server,
        "postgres": postgres,
        "platforms": mine.user + mine.system,
        "machine_busy": (sum(ticks) - ticks[3] - ticks[4]) / CLK_TCK,
        "wall": time.monotonic(),
        "loadavg_1m": os.getloadavg()[0],
    }


def cpu_used(
    before: dict[str, float], after: dict[str, float], loadgen_seconds: float = 0.0
) -> dict[str, float]:
    """Average cores used over the interval; ``other``: everything else on the machine."""
    wall = max(after["wall"] - before["wall"], 1e-9)
    used = {
        k: round((after[k] - before[k]) / wall, 2)
        for k in ("server", "postgres", "platforms", "machine_busy")
    }
    used["loadgen"] = round(loadgen_seconds / wall, 2)
    mine = used["server"] + used["postgres"] + used["platforms"] + used["loadgen"]
    used["other"] = round(max(0.0, used["machine_busy"] - mine), 2)
    used["seconds"] = round(wall, 1)
    used["loadavg_1m_before"] = round(before["loadavg_1m"], 2)
    used["loadavg_1m_after"] = round(after["loadavg_1m"], 2)
    return used


def database_name(url: str) -> str | None:
    return url.rsplit("/", 1)[1] if url.startswith("postgresql") else None


# --------------------------------------------------------------------------- outbox backlog


class Backlog(threading.Thread):
    """Every ``interval`` seconds: pending outbox events by type (and the oldest one's age),
    and webhook deliveries not yet sent: where a lag waits."""

    def __init__(self, url: str, interval: float = 0.5) -> None:
        super().__init__(daemon=True, name="backlog-sampler")
        self.engine = sa.create_engine(normalise_url(url), poolclass=sa.pool.NullPool)
        self.interval = interval
        self.samples: list[dict[str, Any]] = []
        self.stopping = threading.Event()

    def run(self) -> None:
        outbox = sa.text(
            "SELECT event_type, count(*), min(created_at) FROM outbox "
            "WHERE status = 'pending' GROUP BY event_type"
        )
        hooks = sa.text("SELECT count(*) FROM webhook_deliveries WHERE status = 'pending'")
        while not self.stopping.wait(self.interval):
            try:
                with self.engine.connect() as conn:
                    rows = conn.execute(outbox).all()
                    webhooks = int(conn.execute(hooks).scalar_one())
            except Exception:  # the server was killed mid-query, or the database is busy
                continue
            stamps = [r[2] for r in rows if isinstance(r[2], datetime)]
            age = None
            if stamps:
                oldest = min(s if s.tzinfo else s.replace(tzinfo=UTC) for s in stamps)
                age = round((datetime.now(UTC) - oldest).total_seconds(), 2)
            self.samples.append(
                {
                    "at": time.monotonic(),
                    "pending": {str(r[0]): int(r[1]) for r in rows},
                    "oldest_pending_age_s": age,
                    "webhooks_pending": webhooks,
                }
            )

    def empty(self) -> bool:
        """Nothing pending in the last sample (taken after the previous call)."""
        last = self.samples[-1] if self.samples else None
        return last is not None and not last["pending"] and not last["webhooks_pending"]

    def stop(self) -> None:
        self.stopping.set()
        self.join(10)
        self.engine.dispose()

    def summary(self, t0: float, load_end: float) -> dict[str, Any]:
        """Peak backlog per event type, the backlog when the load stopped, one sample a
        second (seconds since the load started)."""
        peak: dict[str, int] = {}
        for s in self.samples:
            for k, v in s["pending"].items():
                peak[k] = max(peak.get(k, 0), v)
        at_end = next((s for s in self.samples if s["at"] >= load_end), None)
        series, last = [], -1.0
        for s in self.samples:
            if s["at"] - last >= 0.95:
                series.append({**s, "at": round(s["at"] - t0, 1)})
                last = s["at"]
        return {
            "peak_pending": peak,
            "peak_oldest_pending_age_s": max(
                (s["oldest_pending_age_s"] or 0.0 for s in self.samples), default=None
            ),
            "peak_webhooks_pending": max((s["webhooks_pending"] for s in self.samples), default=0),
            "at_load_end": {**at_end, "at": round(at_end["at"] - t0, 1)} if at_end else None,
            "series": series,
        }
