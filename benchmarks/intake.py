"""Order-intake benchmark: a real ``podium serve``, seeded over REST, loaded with wrk.

For each engine (SQLite file, PostgreSQL database made for the run) and each workers ×
connections combination: a fresh database, a server subprocess, a catalogue seeded through the
API (one channel, N warehouses, N products, plenty of stock everywhere), a short warm-up, then
a measured wrk run that POSTs multi-line orders (``benchmarks/intake.lua``). Afterwards the
stock doctor must say ok and ``SELECT count(*) FROM orders`` must agree with wrk's 201s.

    .venv/bin/python benchmarks/intake.py                       # both engines, 20 s, 32 conns
    .venv/bin/python benchmarks/intake.py --engines postgres --workers 1,2,3 --connections 8,32

Results: a table on the terminal and ``benchmarks/results/intake.json``. Only loopback traffic;
every run is bounded by ``--seconds``. Needs ``wrk`` (Debian package) on PATH.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import quote

import httpx
import psycopg
from psycopg import sql
from rich.console import Console
from rich.table import Table
from sqlalchemy import Engine, create_engine, text

ROOT = Path(__file__).resolve().parent.parent
LUA_SCRIPT = Path(__file__).resolve().with_name("intake.lua")
DEFAULT_OUTPUT = ROOT / "benchmarks" / "results" / "intake.json"
DEFAULT_PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/test"
ENGINES = ("sqlite", "postgres")
DEFAULT_WORKERS = {"sqlite": 1, "postgres": 2}
API = "/api/v1"
# pg_stat_database counters recorded around the measured run (sessions = new connections).
PG_STATS = (
    "xact_commit",
    "xact_rollback",
    "tup_inserted",
    "tup_updated",
    "tup_fetched",
    "deadlocks",
    "sessions",
)
CLK_TCK = os.sysconf("SC_CLK_TCK")

# code, name, city, region, postal code, latitude, longitude: spread over US regions.
WAREHOUSE_SITES: tuple[tuple[str, str, str, str, str, float, float], ...] = (
    ("EAST", "East (Newark)", "Newark", "NJ", "07102", 40.73, -74.17),
    ("SOUTH", "South (Dallas)", "Dallas", "TX", "75201", 32.78, -96.80),
    ("WEST", "West (Reno)", "Reno", "NV", "89501", 39.53, -119.81),
    ("MIDWEST", "Midwest (Columbus)", "Columbus", "OH", "43215", 39.96, -82.99),
    ("SOUTHEAST", "Southeast (Atlanta)", "Atlanta", "GA", "30303", 33.75, -84.39),
    ("NORTHWEST", "Northwest (Portland)", "Portland", "OR", "97204", 45.52, -122.68),
)

console = Console()


# --------------------------------------------------------------------------- parameters


@dataclass(frozen=True)
class Params:
    engines: tuple[str, ...]
    workers: dict[str, tuple[int, ...]]
    connections: tuple[int, ...]
    seconds: int
    warmup: int
    analyze: bool
    wrk_threads: int
    timeout: int
    skus: int
    warehouses: int
    lines: int
    pg_admin_url: str
    output: Path
    automation_rules: tuple[int, ...] = (0,)


def _int_list(raw: str, name: str) -> tuple[int, ...]:
    try:
        values = tuple(int(v) for v in raw.split(",") if v.strip())
    except ValueError:
        raise SystemExit(f"{name} must be whole numbers separated by commas, got {raw!r}") from None
    if not values or min(values) < 1:
        raise SystemExit(f"{name} must be at least 1, got {raw!r}")
    return values


def _workers(raw: str | None, engines: tuple[str, ...]) -> dict[str, tuple[int, ...]]:
    """``2`` or ``1,2,3`` (every engine) or ``sqlite=1,postgres=2,postgres=3`` (per engine)."""
    chosen: dict[str, list[int]] = {e: [] for e in engines}
    for item in (raw or "").split(","):
        item = item.strip()
        if not item:
            continue
        engine, _, count = item.rpartition("=")
        (n,) = _int_list(count, "--workers")
        targets = [engine] if engine else list(engines)
        for target in targets:
            if target not in ENGINES:
                raise SystemExit(f"--workers: unknown engine {target!r}")
            if target in chosen:
                chosen[target].append(n)
    return {e: tuple(chosen[e]) or (DEFAULT_WORKERS[e],) for e in engines}


def parse_args(argv: list[str] | None = None) -> Params:
    p = argparse.ArgumentParser(
        description="Benchmark POST /api/v1/orders against a real `podium serve` with wrk."
    )
    p.add_argument("--engines", default="sqlite,postgres", help="sqlite,postgres (default both)")
    p.add_argument(
        "--workers",
        default=None,
        help="API processes: N, a list 1,2,3, or per engine sqlite=1,postgres=2 "
        f"(default {', '.join(f'{k}={v}' for k, v in DEFAULT_WORKERS.items())})",
    )
    p.add_argument("--connections", default="32", help="wrk connections; a list runs each")
    p.add_argument("--seconds", type=int, default=20, help="measured run length (default 20)")
    p.add_argument("--warmup", type=int, default=3, help="warm-up seconds, not measured")
    p.add_argument(
        "--no-analyze",
        dest="analyze",
        action="store_false",
        help="skip ANALYZE after the warm-up (a fresh database then has no planner statistics)",
    )
    p.add_argument("--wrk-threads", type=int, default=2, help="wrk threads (default 2)")
    p.add_argument("--timeout", type=int, default=10, help="wrk per-request timeout, seconds")
    p.add_argument("--skus", type=int, default=500)
    p.add_argument("--warehouses", type=int, default=3, choices=range(1, 7))
    p.add_argument("--lines", type=int, default=3, help="lines per order")
    p.add_argument("--pg-admin-url", default=DEFAULT_PG_ADMIN_URL)
    p.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    p.add_argument(
        "--automation-rules",
        default="0",
        help="enabled order.placed automation rules saved before the run (benchmarks/rules.py's "
        "mix; each adds a tag when it fires); a list 0,100 runs each (default 0)",
    )
    a = p.parse_args(argv)
    engines = tuple(e.strip() for e in a.engines.split(",") if e.strip())
    for e in engines:
        if e not in ENGINES:
            p.error(f"unknown engine {e!r}; choose from {', '.join(ENGINES)}")
    if not engines:
        p.error("--engines is empty")
    for name in ("seconds", "wrk_threads", "timeout", "skus", "lines"):
        if getattr(a, name) < 1:
            p.error(f"--{name.replace('_', '-')} must be at least 1")
    if a.warmup < 0:
        p.error("--warmup must be 0 or more")
    return Params(
        engines=engines,
        workers=_workers(a.workers, engines),
        connections=_int_list(a.connections, "--connections"),
        seconds=a.seconds,
        warmup=a.warmup,
        analyze=a.analyze,
        wrk_threads=a.wrk_threads,
        timeout=a.timeout,
        skus=a.skus,
        warehouses=a.warehouses,
        lines=a.lines,
        pg_admin_url=a.pg_admin_url,
        output=a.output,
        automation_rules=_rule_counts(a.automation_rules),
    )


def _rule_counts(raw: str) -> tuple[int, ...]:
    """``--automation-rules``: 0 is allowed (no rules), unlike the other lists."""
    try:
        counts = tuple(int(v) for v in raw.split(",") if v.strip())
    except ValueError:
        raise SystemExit(f"--automation-rules: not a list of numbers: {raw!r}") from None
    if not counts or any(not 0 <= c <= 200 for c in counts):
        raise SystemExit("--automation-rules takes numbers from 0 to 200")
    return counts


# --------------------------------------------------------------------------- databases


@contextmanager
def fresh_database(engine: str, pg_admin_url: str) -> Iterator[str]:
    """Yield a PODIUM_DATABASE_URL for an empty database; remove it afterwards, whatever happens."""
    if engine == "sqlite":
        folder = Path(tempfile.mkdtemp(prefix="podium_bench_"))
        try:
            yield f"sqlite:///{folder / 'podium.db'}"
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return
    name = f"podium_bench_{secrets.token_hex(4)}"
    with psycopg.connect(pg_admin_url, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        info = psycopg.conninfo.conninfo_to_dict(pg_admin_url)
        info["dbname"] = name
        yield _pg_url(info)
    finally:
        with psycopg.connect(pg_admin_url, autocommit=True) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def _pg_url(info: dict[str, Any]) -> str:
    user = quote(str(info.get("user") or "postgres"), safe="")
    password = f":{quote(str(info['password']), safe='')}" if info.get("password") else ""
    host = info.get("host") or "127.0.0.1"
    port = info.get("port") or 5432
    return f"postgresql://{user}{password}@{host}:{port}/{info['dbname']}"


def _database_name(url: str) -> str | None:
    return url.rsplit("/", 1)[1] if url.startswith("postgresql") else None


def _sql_engine(url: str) -> Engine:
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return create_engine(url)


def count_orders(url: str) -> int:
    engine = _sql_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text("SELECT count(*) FROM orders")).scalar_one())
    finally:
        engine.dispose()


def analyze(url: str) -> None:
    """Give the planner statistics, as autovacuum (PostgreSQL) would on a live system.

    Without it a database created seconds ago plans every query as if its tables were empty:
    on PostgreSQL the foreign-key checks and the idempotency look-up then scan ``orders``,
    and the cost per order grows with the number of orders placed during the run.
    """
    engine = _sql_engine(url)
    try:
        with engine.connect() as conn:
            conn.execute(text("ANALYZE"))
            conn.commit()
    finally:
        engine.dispose()


def pg_database_stats(url: str) -> dict[str, int]:
    """Transactions and rows touched in the benchmark database (pg_stat_database)."""
    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute(
            f"SELECT {', '.join(PG_STATS)} FROM pg_stat_database WHERE datname = current_database()"
        ).fetchone()
    return dict(zip(PG_STATS, (int(v or 0) for v in row or ()), strict=False))


# --------------------------------------------------------------------------- the server


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def podium_executable() -> str:
    for candidate in (Path(sys.executable).parent / "podium", ROOT / ".venv" / "bin" / "podium"):
        if candidate.exists():
            return str(candidate)
    found = shutil.which("podium")
    if found is None:
        raise SystemExit("cannot find the `podium` command; install the project (pip install -e .)")
    return found


class Server:
    """``podium serve`` in its own session so that it and its workers stop together."""

    def __init__(self, url: str, workers: int) -> None:
        self.url = url
        self.workers = workers
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.output: list[str] = []
        self.key: str | None = None
        self._key_seen = threading.Event()
        self._proc: subprocess.Popen[str] | None = None

    @property
    def pid(self) -> int:
        assert self._proc is not None
        return self._proc.pid

    def start(self, timeout: float = 120.0) -> str:
        env = {
            **os.environ,
            "PODIUM_DATABASE_URL": self.url,
            "COLUMNS": "240",
            "NO_COLOR": "1",
            "PYTHONUNBUFFERED": "1",
        }
        cmd = [podium_executable(), "serve", "--port", str(self.port)]
        cmd += ["--workers", str(self.workers)]
        self._proc = subprocess.Popen(
            cmd,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
            start_new_session=True,
        )
        threading.Thread(target=self._drain, args=(self._proc.stdout,), daemon=True).start()
        deadline = time.monotonic() + timeout
        while not self._key_seen.wait(0.2):
            if self._proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"no API key printed by podium serve:\n{self.log_tail()}")
        assert self.key is not None
        with httpx.Client(base_url=self.base, timeout=2.0) as client:
            while time.monotonic() < deadline:
                if self._proc.poll() is not None:
                    raise RuntimeError(f"podium serve exited early:\n{self.log_tail()}")
                try:
                    if client.get(f"{API}/health").status_code == 200:
                        return self.key
                except httpx.TransportError:
                    pass
                time.sleep(0.2)
        raise RuntimeError(f"podium serve never answered /health:\n{self.log_tail()}")

    def _drain(self, stream: TextIO | None) -> None:
        if stream is None:
            return
        for line in stream:
            self.output.append(line.rstrip("\n"))
            word = line.strip()
            if self.key is None and word.startswith("pdm_") and " " not in word:
                self.key = word
                self._key_seen.set()

    def log_tail(self, lines: int = 30) -> str:
        return "\n".join(self.output[-lines:])

    def stop(self) -> None:
        proc = self._proc
        if proc is None or proc.poll() is not None:
            return
        for sig, wait in ((signal.SIGINT, 20.0), (signal.SIGTERM, 10.0), (signal.SIGKILL, 5.0)):
            try:
                if sig == signal.SIGINT:
                    proc.send_signal(sig)
                else:  # the whole session we started: uvicorn's worker processes too
                    os.killpg(proc.pid, sig)
            except ProcessLookupError:
                return
            try:
                proc.wait(wait)
                return
            except subprocess.TimeoutExpired:
                continue


# --------------------------------------------------------------------------- CPU accounting


def _proc_stats() -> Iterator[tuple[int, str, int, float]]:
    """(pid, comm, session id, user + system CPU seconds) for every process we can read."""
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            raw = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        comm = raw[raw.find("(") + 1 : raw.rfind(")")]
        fields = raw[raw.rfind(")") + 2 :].split()
        # fields[0] is field 3 (state): session is field 6, utime 14, stime 15.
        yield int(entry), comm, int(fields[3]), (int(fields[11]) + int(fields[12])) / CLK_TCK


def _ours(pid: int, database: str | None) -> bool:
    """A postgres process that serves the benchmark: its backends, or a background process."""
    try:
        title = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    except OSError:
        return False
    client_backend = re.search(r"\(\d+\)|\[local\]", title) is not None
    if not client_backend:
        return True  # postmaster, WAL writer, checkpointer, autovacuum …
    return database is not None and f" {database} " in title


def cpu_snapshot(server_session: int, database: str | None) -> dict[str, float]:
    server = postgres = 0.0
    for pid, comm, session, seconds in _proc_stats():
        if session == server_session:
            server += seconds
        elif database is not None and comm == "postgres" and _ours(pid, database):
            # Backends that exited during the run (pool overflow connections; see
            # pg_stats.sessions) are missed: the postmaster's reaped-children time would
            # also hold every other database's, and this server is shared.
            postgres += seconds
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # reaped children: wrk
    # user nice system idle iowait irq softirq steal (guest time is already inside user)
    ticks = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    idle = ticks[3] + ticks[4]
    return {
        "server": server,
        "postgres": postgres,
        "wrk": usage.ru_utime + usage.ru_stime,
        "machine_busy": (sum(ticks) - idle) / CLK_TCK,
        "wall": time.monotonic(),
    }


def cpu_used(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
    """Cores used on average during the interval, per consumer; ``other``: everything else on
    the machine (other people's tests, other databases' backends)."""
    wall = max(after["wall"] - before["wall"], 1e-9)
    used = {
        k: round((after[k] - before[k]) / wall, 2)
        for k in ("server", "postgres", "wrk", "machine_busy")
    }
    mine = used["server"] + used["postgres"] + used["wrk"]
    used["other"] = round(max(0.0, used["machine_busy"] - mine), 2)
    return used


# --------------------------------------------------------------------------- seeding


def seed(base: str, key: str, p: Params) -> float:
    started = time.monotonic()
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    limits = httpx.Limits(max_connections=16, max_keepalive_connections=16)
    with httpx.Client(base_url=base + API, headers=headers, timeout=60.0, limits=limits) as c:

        def post(path: str, body: dict[str, Any]) -> None:
            r = c.post(path, json=body)
            if r.status_code != 201:
                raise RuntimeError(f"POST {path} {body} -> {r.status_code}: {r.text[:500]}")

        post("/channels", {"code": "web", "name": "Web", "type": "manual"})
        sites = WAREHOUSE_SITES[: p.warehouses]
        for code, name, city, region, postal, lat, lon in sites:
            address = {"line1": "1 Depot Rd", "city": city, "region": region}
            address |= {"postal_code": postal, "country": "US"}
            post(
                "/warehouses",
                {"code": code, "name": name, "address": address, "latitude": lat, "longitude": lon},
            )
        skus = [f"SKU-{i:04d}" for i in range(1, p.skus + 1)]
        products = [
            ("/products", {"sku": s, "name": f"Bench product {s}", "weight_grams": 300})
            for s in skus
        ]
        stock = [
            (
                "/inventory/adjustments",
                {"sku": s, "warehouse": w[0], "quantity": 100_000, "reason": "receipt"},
            )
            for s in skus
            for w in sites
        ]
        with ThreadPoolExecutor(max_workers=8) as pool:
            for batch in (products, stock):
                for _ in pool.map(lambda job: post(*job), batch):
                    pass
    return time.monotonic() - started


def save_rules(base: str, key: str, count: int) -> None:
    """``count`` enabled order.placed rules of benchmarks/rules.py's mix, saved as the API does."""
    from rules import rule  # benchmarks/rules.py, beside this file

    headers = {"Authorization": f"Bearer {key}"}
    body = {"rules": [rule(i) for i in range(count)]}
    r = httpx.put(f"{base}{API}/automation/rules", json=body, headers=headers, timeout=60.0)
    if r.status_code != 200:
        raise RuntimeError(f"PUT /automation/rules -> {r.status_code}: {r.text[:500]}")


def drain_relay(base: str, key: str, limit: float = 300.0) -> tuple[int, float]:
    """(events pending when called, seconds until none are) — bounded by ``limit``."""
    headers = {"Authorization": f"Bearer {key}"}
    started = time.monotonic()
    backlog: int | None = None
    with httpx.Client(base_url=base + API, headers=headers, timeout=60.0) as c:
        while True:
            counts = c.get("/events", params={"limit": 1}).json().get("counts") or {}
            pending = int(counts.get("pending", 0))
            backlog = pending if backlog is None else backlog
            if pending == 0 or time.monotonic() - started > limit:
                return backlog, round(time.monotonic() - started, 2)
            time.sleep(0.2)


# --------------------------------------------------------------------------- wrk


def wrk_version() -> str:
    try:
        out = subprocess.run(["wrk", "-v"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    return (out.stdout or out.stderr).splitlines()[0].strip() if (out.stdout or out.stderr) else ""


def run_wrk(
    base: str, key: str, p: Params, *, seconds: int, connections: int, tag: str
) -> dict[str, Any]:
    threads = min(p.wrk_threads, connections)
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s"]
    cmd += [f"--timeout={p.timeout}s", "--latency", "-s", str(LUA_SCRIPT), base]
    cmd += ["--", str(p.skus), str(p.lines), tag]
    env = {**os.environ, "PODIUM_BENCH_KEY": key}
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=seconds + 120)
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}")
    figures: dict[str, Any] = {"status_codes": {}}
    for line in done.stdout.splitlines():
        if not line.startswith("PODIUM_BENCH "):
            continue
        _, name, *rest = line.split(" ", 2)
        value = rest[0] if rest else ""
        if name == "first_error":
            figures[name] = value
        elif name.startswith("status_"):
            figures["status_codes"][name[len("status_") :]] = int(float(value))
        else:
            figures[name] = float(value)
    if "requests" not in figures:
        raise RuntimeError(f"wrk printed no figures:\n{done.stdout}\n{done.stderr}")
    figures["threads"] = threads
    figures["stdout"] = [ln for ln in done.stdout.splitlines() if "PODIUM_BENCH" not in ln]
    return figures


# --------------------------------------------------------------------------- one case


@dataclass
class CaseResult:
    engine: str
    workers: int
    connections: int
    automation_rules: int = 0
    # after wrk stops: how long the relay took to finish the events the run left pending
    # (automation rules run there), and how many were pending when wrk stopped
    relay_backlog: int | None = None
    relay_drain_seconds: float | None = None
    wrk_threads: int = 0
    seconds: float = 0.0
    seed_seconds: float = 0.0
    requests: int = 0
    orders_created: int = 0
    orders_per_s: float = 0.0
    requests_per_s: float = 0.0
    replayed: int = 0
    non2xx: int = 0
    status_codes: dict[str, int] = field(default_factory=dict)
    socket_errors: dict[str, int] = field(default_factory=dict)
    errors: int = 0
    first_error: str = ""
    latency_ms: dict[str, float] = field(default_factory=dict)
    cpu_cores: dict[str, float] = field(default_factory=dict)
    warmup_created: int = 0
    sql_orders: int | None = None
    sql_orders_expected_min: int | None = None
    sql_count_ok: bool | None = None
    doctor_ok: bool | None = None
    doctor: dict[str, Any] = field(default_factory=dict)
    outbox: dict[str, Any] = field(default_factory=dict)
    pg_stats: dict[str, float] = field(default_factory=dict)
    load_average_before: list[float] = field(default_factory=list)
    failure: str | None = None
    server_log_tail: list[str] = field(default_factory=list)
    wrk_output: list[str] = field(default_factory=list)


def run_case(engine: str, workers: int, connections: int, p: Params, rules: int = 0) -> CaseResult:
    result = CaseResult(
        engine=engine, workers=workers, connections=connections, automation_rules=rules
    )
    console.rule(
        f"[bold]{engine}[/bold]: workers={workers}, connections={connections}, "
        f"automation rules={rules}"
    )
    try:
        with fresh_database(engine, p.pg_admin_url) as url:
            server = Server(url, workers)
            try:
                _measure(server, result, p)
            except Exception as exc:
                result.failure = f"{type(exc).__name__}: {exc}"
                console.print(f"[red]failed:[/red] {result.failure}")
                console.print(server.log_tail(), markup=False, highlight=False)
            finally:
                server.stop()
                if result.failure or result.non2xx or result.errors:
                    result.server_log_tail = server.output[-60:]
            if result.failure is None:
                result.sql_orders = count_orders(url)
                # Requests in flight when wrk stops may still commit: up to one per connection.
                expected = result.warmup_created + result.orders_created
                result.sql_orders_expected_min = expected
                result.sql_count_ok = expected <= result.sql_orders <= expected + 2 * connections
    except Exception as exc:  # database creation/drop or the count itself
        result.failure = result.failure or f"{type(exc).__name__}: {exc}"
        console.print(f"[red]failed:[/red] {result.failure}")
    return result


def _measure(server: Server, r: CaseResult, p: Params) -> None:
    key = server.start()
    console.print(
        f"server pid {server.pid} on {server.base} with {server.workers} worker(s); seeding "
        f"{p.skus} SKUs × {p.warehouses} warehouses …"
    )
    r.seed_seconds = round(seed(server.base, key, p), 2)
    console.print(f"seeded in {r.seed_seconds} s")
    if r.automation_rules:
        save_rules(server.base, key, r.automation_rules)
        console.print(f"{r.automation_rules} enabled automation rules saved")
    if p.warmup:
        warm = run_wrk(server.base, key, p, seconds=p.warmup, connections=r.connections, tag="w")
        r.warmup_created = int(warm.get("created", 0))
        console.print(
            f"warm-up: {r.warmup_created} orders in {p.warmup} s, "
            f"{int(warm.get('non2xx', 0))} non-2xx"
        )
    if p.analyze:
        analyze(server.url)
    stats_before = pg_database_stats(server.url) if server.url.startswith("postgresql") else {}
    r.load_average_before = [round(v, 2) for v in os.getloadavg()]
    database = _database_name(server.url)
    before = cpu_snapshot(server.pid, database)
    w = run_wrk(server.base, key, p, seconds=p.seconds, connections=r.connections, tag="m")
    after = cpu_snapshot(server.pid, database)
    r.cpu_cores = cpu_used(before, after)
    r.relay_backlog, r.relay_drain_seconds = drain_relay(server.base, key)
    duration = w["duration_us"] / 1e6
    r.wrk_threads = int(w["threads"])
    r.seconds = round(duration, 3)
    r.requests = int(w["requests"])
    r.orders_created = int(w.get("created", 0))
    r.replayed = int(w.get("replayed", 0))
    r.non2xx = int(w.get("non2xx", 0))
    r.status_codes = dict(w["status_codes"])
    r.socket_errors = {
        k: int(w.get(f"errors_{k}", 0)) for k in ("connect", "read", "write", "timeout")
    }
    r.errors = sum(r.socket_errors.values())
    r.first_error = str(w.get("first_error", ""))
    r.orders_per_s = round(r.orders_created / duration, 1)
    r.requests_per_s = round(r.requests / duration, 1)
    r.latency_ms = {
        name: round(w[f"latency_{name}_us"] / 1000, 2)
        for name in ("p50", "p75", "p90", "p95", "p99", "p99.9", "mean", "stdev", "max")
    }
    r.wrk_output = w["stdout"]
    if stats_before:
        time.sleep(0.5)  # pg_stat_database is updated by backends when they go idle
        stats_after = pg_database_stats(server.url)
        r.pg_stats = {k: stats_after[k] - stats_before.get(k, 0) for k in stats_after}
        if r.orders_created:
            for name in ("xact_commit", "tup_fetched", "tup_inserted", "tup_updated", "sessions"):
                r.pg_stats[f"{name}_per_order"] = round(r.pg_stats[name] / r.orders_created, 2)
    headers = {"Authorization": f"Bearer {key}"}
    with httpx.Client(base_url=server.base + API, headers=headers, timeout=300.0) as c:
        doctor = c.get("/doctor")
        doctor.raise_for_status()
        body: dict[str, Any] = doctor.json()
        r.doctor_ok = bool(body.get("ok"))
        r.doctor = {
            "balances_checked": body.get("balances_checked"),
            "violations": (body.get("violations") or [])[:20],
        }
        events = c.get("/events", params={"limit": 1})
        if events.status_code == 200:
            r.outbox = dict(events.json().get("counts") or {})
    console.print(
        f"{r.orders_created} orders in {r.seconds} s = [bold]{r.orders_per_s}/s[/bold], "
        f"p99 {r.latency_ms['p99']} ms, doctor ok: {r.doctor_ok}"
    )


# --------------------------------------------------------------------------- report


def machine() -> dict[str, Any]:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        mem_kib = int(Path("/proc/meminfo").read_text().split()[1])
    except (OSError, ValueError, IndexError):
        mem_kib = 0
    return {
        "nproc": len(os.sched_getaffinity(0)),
        "cpu_model": model,
        "memory_gib": round(mem_kib / 1024 / 1024, 1),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "wrk": wrk_version(),
        "postgres": _pg_version(),
        "git_commit": _git_commit(),
        "git_modified": _git_modified(),
    }


def _pg_version() -> str | None:
    try:
        with psycopg.connect(DEFAULT_PG_ADMIN_URL, connect_timeout=3) as conn:
            row = conn.execute("SHOW server_version").fetchone()
            return str(row[0]) if row else None
    except psycopg.Error:
        return None


def _git_commit() -> str | None:
    try:
        out = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return out.stdout.strip() or None


def _git_modified() -> list[str]:
    """Tracked files changed in the work tree: the figures are for the code as it was run."""
    try:
        out = subprocess.run(
            ["git", "--no-optional-locks", "-C", str(ROOT), "diff", "--name-only", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
        )
    except (OSError, subprocess.TimeoutExpired):
        return []
    return [line for line in out.stdout.splitlines() if line.strip()]


def print_table(results: list[CaseResult]) -> None:
    table = Table(title="POST /api/v1/orders (podium serve + wrk)")
    for name in ("engine", "workers", "conns", "rules", "orders/s", "p50 ms", "p95 ms", "p99 ms"):
        table.add_column(name, justify="left" if name == "engine" else "right")
    for name in ("errors", "non-2xx", "doctor ok", "SQL count", "cores srv/pg/wrk/other"):
        table.add_column(name, justify="right")
    table.add_column("relay backlog / drain s", justify="right")
    for r in results:
        if r.failure:
            table.add_row(r.engine, str(r.workers), str(r.connections), "", "failed", "", "", "")
            continue
        cpu = r.cpu_cores
        table.add_row(
            r.engine,
            str(r.workers),
            str(r.connections),
            str(r.automation_rules),
            f"{r.orders_per_s:.1f}",
            f"{r.latency_ms['p50']:.1f}",
            f"{r.latency_ms['p95']:.1f}",
            f"{r.latency_ms['p99']:.1f}",
            str(r.errors),
            str(r.non2xx),
            "yes" if r.doctor_ok else "NO",
            f"{r.sql_orders}{'' if r.sql_count_ok else ' (!)'}",
            "/".join(f"{cpu.get(k, 0):.1f}" for k in ("server", "postgres", "wrk", "other")),
            f"{r.relay_backlog} / {r.relay_drain_seconds}",
        )
    console.print(table)
    for r in results:
        if r.first_error:
            console.print(
                f"{r.engine} w={r.workers} c={r.connections}: first non-2xx: {r.first_error}",
                markup=False,
                highlight=False,
            )


def write_json(
    path: Path, p: Params, results: list[CaseResult], started: datetime, host: dict[str, Any]
) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {
        "benchmark": "intake",
        "description": "POST /api/v1/orders against `podium serve`, load from wrk "
        "(benchmarks/intake.lua); latency in ms as measured by wrk, orders/s = 201 responses "
        "per second of the measured run; cpu_cores = average cores used per process group.",
        "date": started.isoformat(timespec="seconds"),
        "finished": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": host,
        "parameters": {
            "engines": list(p.engines),
            "workers": {k: list(v) for k, v in p.workers.items()},
            "connections": list(p.connections),
            "seconds": p.seconds,
            "warmup_seconds": p.warmup,
            "analyze_after_warmup": p.analyze,
            "wrk_threads": p.wrk_threads,
            "wrk_timeout_seconds": p.timeout,
            "skus": p.skus,
            "warehouses": p.warehouses,
            "lines_per_order": p.lines,
            "stock_per_sku_and_warehouse": 100_000,
            "automation_rules": list(p.automation_rules),
        },
        "target": {"engine": "postgres", "orders_per_s": 300, "p99_ms_below": 100},
        "results": [asdict(r) for r in results],
    }
    path.write_text(json.dumps(document, indent=2) + "\n")


def target_met(results: list[CaseResult]) -> bool:
    return any(
        r.engine == "postgres"
        and not r.failure
        and r.orders_per_s >= 300
        and r.latency_ms.get("p99", 1e9) < 100
        and r.doctor_ok
        for r in results
    )


def main(argv: list[str] | None = None) -> int:
    p = parse_args(argv)
    if not console.is_terminal:
        console.width = max(console.width, 160)  # keep the table readable in logs
    if shutil.which("wrk") is None:
        console.print("[red]wrk is not installed[/red]: apt-get install -y wrk")
        return 2
    started = datetime.now(UTC)
    console.print(
        f"engines {', '.join(p.engines)}; workers "
        + ", ".join(f"{e}={','.join(map(str, p.workers[e]))}" for e in p.engines)
        + f"; connections {','.join(map(str, p.connections))}; {p.seconds} s measured after "
        f"{p.warmup} s warm-up; wrk threads {p.wrk_threads}; {p.skus} SKUs, "
        f"{p.warehouses} warehouses, {p.lines} lines/order"
    )
    host = machine()  # before the runs: the commit and work tree that were measured
    results: list[CaseResult] = []
    cases = [
        (e, w, c, n)
        for e in p.engines
        for w in p.workers[e]
        for c in p.connections
        for n in p.automation_rules
    ]
    for engine, workers, connections, rules in cases:
        results.append(run_case(engine, workers, connections, p, rules))
        write_json(p.output, p, results, started, host)  # keep what we have if a later case hangs
    print_table(results)
    console.print(f"results: {p.output}")
    if "postgres" in p.engines:
        met = target_met(results)
        console.print(
            "target (postgres ≥ 300 orders/s, p99 < 100 ms): "
            + ("[green]met[/green]" if met else "[red]not met[/red]")
        )
    failed = any(r.failure or r.doctor_ok is False or r.sql_count_ok is False for r in results)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
