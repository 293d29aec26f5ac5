"""The crash test in one call, shared by tests/chaos/test_crash.py and benchmarks/chaos.py:
``podium serve`` and ``podium worker`` on a database, the fake outside world, the mixed load;
then ``cycles`` times: let the load run, ``kill -9`` the server, the workers or both at a random
moment, start them again. Finally stop the load, let Podium settle and run the checker.

The kills and the load are drawn from ``seed``, so a failing run can be repeated."""

from __future__ import annotations

import random
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import sqlalchemy as sa

from chaos_check import Result, check, settle
from chaos_load import Load
from chaos_procs import PODIUM, Outside, Proc, outside, topology
from chaos_shop import seed
from podium.db.engine import normalise_url

VICTIMS = ("server", "workers", "both")


@dataclass
class Plan:
    cycles: int = 2
    seconds: float = 3.0  # of load before a kill, at most (at least 30 % of it)
    after: float = 1.5  # of load after the restart, before the next cycle or the end
    # Before each kill, and after each restart, wait until this many requests were answered
    # 2xx (up to a minute): a kill hits a load that flows, whatever the machine's speed.
    flowing: int = 5
    skus: int = 6
    threads: int = 4
    workers: int = 1  # `podium worker` processes beside `podium serve`
    seed: int = 1
    settle_timeout: float = 60.0
    victims: tuple[str, ...] = VICTIMS
    cli_doctor: bool = False  # run `podium doctor` too (GET /doctor is always checked)


@dataclass
class Report:
    result: Result
    kills: list[dict[str, Any]] = field(default_factory=list)
    settle_seconds: float | None = None
    startup_seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.result.ok and self.settle_seconds is not None,
            "cycles": [
                {**c, **(self.kills[i] if i < len(self.kills) else {})}
                for i, c in enumerate(self.result.cycles)
            ],
            "totals": self.result.totals,
            "startup_seconds": round(self.startup_seconds, 2),
            "settle_seconds": None
            if self.settle_seconds is None
            else round(self.settle_seconds, 2),
            "problems": self.result.problems[:50],
        }


def table(report: Report) -> str:
    """The per-cycle counts, one line each, then the totals."""
    head = f"{'cycle':>5} {'killed':>8} {'requests':>8} {'acked':>6} {'lost':>5} {'dup':>4}"
    rows = [head + f" {'retried':>7} {'back after s':>12} {'first 2xx s':>11}"]
    for i, c in enumerate(report.result.cycles):
        k = report.kills[i] if i < len(report.kills) else {}
        back, first = k.get("recovery_seconds"), k.get("first_ack_after_restart_seconds")
        rows.append(
            f"{c['cycle']:>5} {k.get('victim', '-'):>8} {c['requests']:>8} "
            f"{c['acknowledged']:>6} {c['lost']:>5} {c['duplicated']:>4} {c['retried']:>7} "
            f"{'-' if back is None else f'{back:.2f}':>12} "
            f"{'-' if first is None else f'{first:.2f}':>11}"
        )
    t = report.result.totals
    rows.append(
        f"total: {t['requests']} requests, {t['acknowledged']} acknowledged, lost {t['lost']}, "
        f"duplicated {t['duplicated']}; {t['outbox_events']} events, "
        f"{t['webhooks_lost']} webhooks lost, {t['emails_duplicated']} e-mails twice, "
        f"{t['platform_mismatches']} platform mismatches, doctor {t['doctor_violations']}; "
        f"settled in {report.settle_seconds} s"
    )
    rows += [f"problem: {p}" for p in report.result.problems[:20]]
    return "\n".join(rows)


def run(database_url: str, plan: Plan, say: Callable[[str], None] = lambda _: None) -> Report:
    rng = random.Random(plan.seed)
    skus = [f"CH-{i:02d}" for i in range(plan.skus)]
    engine = sa.create_engine(normalise_url(database_url), poolclass=sa.pool.NullPool)
    with outside() as world:
        procs = topology(database_url, world, plan.workers)
        try:
            startup = procs.start(procs.all())
            client = httpx.Client(
                base_url=f"{procs.base}/api/v1",
                headers={"Authorization": f"Bearer {procs.serve.key}"},
                timeout=30,
            )
            with client:
                seed(client, world, skus)
                report = _cycles(plan, rng, procs, world, client, engine, skus, say)
                report.startup_seconds = startup
                return report
        finally:
            procs.stop()
            engine.dispose()


def _cycles(
    plan: Plan,
    rng: random.Random,
    procs: Any,
    world: Outside,
    client: httpx.Client,
    engine: sa.Engine,
    skus: list[str],
    say: Callable[[str], None],
) -> Report:
    load = Load(procs.base, procs.serve.key, skus, threads=plan.threads, seed=plan.seed)
    kills: list[dict[str, Any]] = []
    load.start()
    try:
        for cycle in range(1, plan.cycles + 1):
            load.cycle = cycle
            load.flowing(time.monotonic(), plan.flowing, 60)
            time.sleep(rng.uniform(0.3, 1.0) * plan.seconds)
            victim = rng.choice(plan.victims)
            chosen: list[Proc] = {
                "server": [procs.serve],
                "workers": procs.workers,
                "both": procs.all(),
            }[victim]
            chosen = chosen or [procs.serve]
            killed = time.monotonic()
            for p in chosen:
                p.kill()
            back = procs.start(chosen)
            time.sleep(plan.after)
            load.flowing(killed, plan.flowing, 60)
            first = load.first_answer(max(p.ready_at for p in chosen))
            kills.append(
                {
                    "victim": victim,
                    "recovery_seconds": round(back, 2),
                    "first_ack_after_restart_seconds": None if first is None else round(first, 2),
                }
            )
            say(f"cycle {cycle}: killed {victim}; back in {back:.2f} s, first 2xx {first} s later")
    finally:
        load.stop()
    settled = settle(engine, plan.settle_timeout)
    say(f"load stopped; settled in {settled} s")
    result = check(load.journal, client, engine, world, skus, plan.cycles)
    if plan.cli_doctor:
        doctor = subprocess.run(
            [str(PODIUM), "doctor"],
            env=procs.serve.env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        result.totals["cli_doctor_exit"] = doctor.returncode
        if doctor.returncode != 0:
            result.problems.append(f"podium doctor: {doctor.stdout[-500:]}{doctor.stderr[-500:]}")
    return Report(result, kills, settled)
