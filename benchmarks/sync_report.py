"""Runs ``sync_latency.py --scenario load|flash|crash``, prints its tables and writes
``benchmarks/results/sync_latency_<scenario>_<engine>.json``."""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
from datetime import UTC, datetime
from typing import Any

import sync_crash
import sync_load
from rich.console import Console
from rich.table import Table
from sync_common import ROOT

console = Console(width=140)
TARGETS: dict[str, dict[str, Any]] = {
    "load": {
        "orders_per_second_at_least": "0.9 × rate",
        "lag_p99_ms_below": 1000,
        "lag_max_ms_below": 2000,
        "final_counts_exact": True,
    },
    "flash": {
        "orders_per_second_at_least": "0.9 × rate",
        "lag_p99_ms_below": 1000,
        "lag_max_ms_below": 2000,
        "final_counts_exact": True,
    },
    "crash": {
        "resume_all_outstanding_within_s": 5,
        "lost": 0,
        "final_counts_exact": True,
    },
}


def _ms(v: Any) -> str:
    return "-" if v is None else f"{v:,.0f}"


def load_table(r: dict[str, Any]) -> Table:
    lag, rt = r["lag_from_commit"], r["webhook_round_trip"]
    table = Table(
        "scenario",
        "engine",
        "sales ok/sent",
        "orders/s",
        "lag p50",
        "p95",
        "p99",
        "max ms",
        "never",
        "webhook p50/p99",
        "drain s",
        "pushes/sale",
        "throttled",
        "exact",
        title="Lag from the order's commit to both other channels (b, c) showing it",
    )
    table.add_row(
        r["scenario"],
        r["engine"],
        f"{r['sales_acknowledged']}/{r['sales_sent']}",
        str(r["achieved_orders_per_second"]),
        _ms(lag["p50_ms"]),
        _ms(lag["p95_ms"]),
        _ms(lag["p99_ms"]),
        _ms(lag["max_ms"]),
        str(r["never_seen"]),
        f"{_ms(rt['p50_ms'])}/{_ms(rt['p99_ms'])}",
        str(r["drain_seconds"]),
        str(r["pushes_per_sale"]),
        str(r["throttled_by_platforms"]),
        "yes" if r["final_counts_exact"] else "NO",
    )
    return table


def machine_table(phases: dict[str, dict[str, float]]) -> Table:
    table = Table(
        "phase",
        "seconds",
        "server",
        "postgres",
        "platforms",
        "loadgen",
        "other",
        "machine busy",
        "loadavg 1m",
        title="Average cores used (2-core machine); platforms = the fake shops in this process",
    )
    for name, c in phases.items():
        table.add_row(
            name,
            str(c["seconds"]),
            str(c["server"]),
            str(c["postgres"]),
            str(c["platforms"]),
            str(c["loadgen"]),
            str(c["other"]),
            str(c["machine_busy"]),
            f"{c['loadavg_1m_before']} → {c['loadavg_1m_after']}",
        )
    return table


def crash_table(r: dict[str, Any]) -> Table:
    table = Table(
        "sales ok/sent",
        "outstanding at kill (stock/webhooks)",
        "startup s",
        "first resumed s",
        "all resumed s",
        "lost (stock/webhooks)",
        "duplicate webhooks",
        "outbox oldest pending s",
        "exact",
        title="kill -9 under load; seconds from the restarted server answering /health",
    )
    out, res = r["outstanding_at_kill"], r["resume"]
    table.add_row(
        f"{r['sales_acknowledged']}/{r['sales_sent']}",
        f"{out['stock_sales']}/{out['webhooks']}",
        str(r["restart_startup_seconds"]),
        str(res["first_seconds"]),
        str(res["all_seconds"]),
        f"{r['lost']['stock_sales']}/{r['lost']['webhooks']}",
        str(r["duplicate_webhook_deliveries"]),
        str(r["outbox"]["peak_oldest_pending_age_s"]),
        "yes" if r["final_counts_exact"] else "NO",
    )
    return table


def commit() -> str:
    return subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    ).stdout.strip()


def run_scenario(p: argparse.Namespace) -> int:
    started = datetime.now(UTC)
    if p.scenario == "crash":
        result = sync_crash.run(p)
        met = sync_crash.target_met(result)
        console.print(crash_table(result))
    else:
        result = sync_load.run(p)
        met = sync_load.target_met(result)
        console.print(load_table(result))
        gap, late = result["commit_to_response"], result["sends_late_over_50ms"]
        console.print(
            f"commit → response p50/p99 {_ms(gap['p50_ms'])}/{_ms(gap['p99_ms'])} ms; "
            f"sales sent over 50 ms late (32 in flight) {late}; "
            f"planned {result['sales_planned']}, failed {result['failed_requests']}"
        )
        console.print(
            "outbox empty (every event delivered) after the load stopped: "
            f"{result['outbox_drained_after_load_s']} s (None: not within --outbox-timeout)"
        )
        if p.scenario == "flash":
            console.print(
                "from the last sale's commit until every channel shows what is left "
                f"{result['left_at_the_end']}: {result['sold_out_shown_after_last_sale_s']} s"
            )
    phases = {k[4:]: v for k, v in result.items() if k.startswith("cpu_")}
    console.print(machine_table(phases))
    backlog = result["outbox"]
    console.print(f"outbox peak pending by type: {backlog['peak_pending']}")
    if backlog["at_load_end"]:
        console.print(f"outbox pending when the load stopped: {backlog['at_load_end']['pending']}")
    targets = ", ".join(f"{k} {v}" for k, v in TARGETS[p.scenario].items())
    console.print(f"target ({targets}): " + ("met" if met else "NOT met"))
    p.output.parent.mkdir(parents=True, exist_ok=True)
    document = {
        "benchmark": "sync_latency",
        "scenario": p.scenario,
        "started_at": started.isoformat(timespec="seconds"),
        "machine": {
            "cpu_count": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "commit": commit(),
        },
        "target": {**TARGETS[p.scenario], "met": met},
        "result": result,
    }
    p.output.write_text(json.dumps(document, indent=2) + "\n")
    console.print(f"Wrote {p.output}")
    return 0 if met else 1
