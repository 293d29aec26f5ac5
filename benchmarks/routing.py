"""Routing quality and speed on a generated US network (issue 4).

Eight locations, 500 SKUs with skewed popularity and skewed stock, 10,000 orders whose
destinations follow population (state populations from the 2020 census, then a random standard
ZIP code of that state from the ``zipcodes`` package, which has coordinates but no population).
Four ways to route the same orders from the same stock:

1. ``nearest``: the nearest location holding the whole order, else the fewest-shipments split
   (Podium's routing before rules, ``routing.model.plan_shipments``);
2. ``rules``: Podium's default rule set, one order after another as placement would
   (``routing.engine.route``; the decision time measured per order);
3. ``optimiser``: the wave optimiser (MILP, HiGHS) over waves of ``--wave`` orders, in order,
   each wave with its time budget, stock running down between waves;
4. ``optimum``: the same programme over all orders at once, with a long budget, and its linear
   relaxation (a lower bound on it).

Every plan is priced the same way: shipping by the default rate table and service level, plus
the split penalty per extra parcel; the objective adds 50.00 per order delivered after its
promise and 1,000.00 per unit left short (see routing.optimiser). Prints a table and writes
JSON under benchmarks/results/.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import random
import subprocess
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import zipcodes

from podium.geo.coordinates import Coordinates
from podium.routing.costs import promise_for
from podium.routing.engine import Location, OrderFacts, plan_cost, sites_for
from podium.routing.model import Allocation, Candidate, plan_shipments
from podium.routing.optimiser import (
    LATE_PENALTY,
    OVER_CAPACITY_PENALTY,
    SHORT_PENALTY,
    WaveOrder,
    optimise,
    over_capacity,
)
from podium.routing.optimiser import Option as Opt
from podium.routing.rules import DEFAULT_RULES
from podium.routing.simulate import percentile

HERE = Path(__file__).resolve().parent

# code, city, latitude, longitude, share of the network's stock
LOCATIONS = [
    ("NJ", "Edison NJ", 40.5187, -74.4121, 0.22),
    ("PA", "Allentown PA", 40.6084, -75.4902, 0.10),
    ("GA", "Atlanta GA", 33.7490, -84.3880, 0.12),
    ("IL", "Joliet IL", 41.5250, -88.0817, 0.14),
    ("TX", "Dallas TX", 32.7767, -96.7970, 0.12),
    ("CO", "Denver CO", 39.7392, -104.9903, 0.06),
    ("CA", "Ontario CA", 34.0633, -117.6509, 0.17),
    ("WA", "Kent WA", 47.3809, -122.2348, 0.07),
]

# 2020 census, thousands.
STATE_POP = {
    "AL": 5024, "AK": 733, "AZ": 7152, "AR": 3012, "CA": 39538, "CO": 5774, "CT": 3606,
    "DE": 990, "DC": 690, "FL": 21538, "GA": 10712, "HI": 1455, "ID": 1839, "IL": 12813,
    "IN": 6786, "IA": 3190, "KS": 2938, "KY": 4506, "LA": 4658, "ME": 1362, "MD": 6177,
    "MA": 7030, "MI": 10077, "MN": 5706, "MS": 2961, "MO": 6155, "MT": 1084, "NE": 1962,
    "NV": 3105, "NH": 1378, "NJ": 9289, "NM": 2118, "NY": 20201, "NC": 10439, "ND": 779,
    "OH": 11799, "OK": 3959, "OR": 4237, "PA": 13003, "RI": 1097, "SC": 5118, "SD": 887,
    "TN": 6911, "TX": 29146, "UT": 3272, "VT": 643, "VA": 8631, "WA": 7705, "WV": 1794,
    "WI": 5894, "WY": 577,
}  # fmt: skip


def network(
    rng: random.Random, skus: int, orders: int
) -> tuple[list[Location], dict[tuple[str, str], int], list[WaveOrder], dict[str, int]]:
    locations = [Location(code, coords=Coordinates(lat, lon)) for code, _, lat, lon, _ in LOCATIONS]
    names = [f"SKU-{i:04d}" for i in range(1, skus + 1)]
    popularity = [1 / (i + 1) ** 0.9 for i in range(skus)]  # Zipf-like
    weights = {s: rng.choice([150, 300, 450, 800, 1200, 2500, 4500]) for s in names}
    by_state: dict[str, list[tuple[float, float, str]]] = {}
    for z in zipcodes.list_all():  # type: ignore[no-untyped-call]
        if z["zip_code_type"] == "STANDARD" and z["active"] and z["state"] in STATE_POP:
            by_state.setdefault(z["state"], []).append(
                (float(z["lat"]), float(z["long"]), z["zip_code"])
            )
    states = sorted(by_state)
    state_weights = [STATE_POP[s] for s in states]
    start = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # a Monday
    wave: list[WaveOrder] = []
    demand_total: dict[str, int] = {}
    for i in range(orders):
        state = rng.choices(states, state_weights)[0]
        lat, lon, zip_code = rng.choice(by_state[state])
        lines = min(4, 1 + int(rng.expovariate(1.6)))
        chosen = sorted(set(rng.choices(names, popularity, k=lines)))
        demand = {s: 1 + (rng.random() < 0.15) for s in chosen}
        for s, q in demand.items():
            demand_total[s] = demand_total.get(s, 0) + q
        service = rng.choices(["standard", "express", "next_day"], [80, 15, 5])[0]
        placed = start + timedelta(seconds=i * 8 * 3600 / orders)
        facts = OrderFacts(
            channel="web",
            placed_at=placed,
            country="US",
            region=state,
            postal_code=zip_code,
            value=3000 * len(chosen),
            service_level=service,
            promised=promise_for(placed, service, None),
            weights={s: weights[s] for s in demand},
        )
        wave.append(WaveOrder(f"o{i}", facts, demand, Coordinates(lat, lon)))
    stock: dict[tuple[str, str], int] = {}
    for s in names:
        total = int(demand_total.get(s, 0) * 1.6) + 2
        for code, _, _, _, share in LOCATIONS:
            # Skew: each SKU is stocked in a location with its share, a random tilt, or not at all.
            if rng.random() < 0.25:
                continue
            stock[(code, s)] = int(total * share * rng.uniform(0.5, 1.8)) + 1
    return locations, stock, wave, demand_total


def _option(
    order: WaveOrder, locations: Sequence[Location], allocations: Sequence[Allocation], penalty: int
) -> Opt:
    sites = {s.loc.code: s for s in sites_for(order.facts, locations, order.destination)}
    promised = order.facts.promised
    late = promised is not None and any(sites[a.warehouse].delivers > promised for a in allocations)
    given: dict[str, int] = {}
    for a in allocations:
        given[a.sku] = given.get(a.sku, 0) + a.quantity
    short = sum(max(0, q - given.get(s, 0)) for s, q in order.demand.items())
    cost = plan_cost(order.facts, sites, allocations, penalty) if allocations else 0
    return Opt(tuple(allocations), cost, late, short)


def _figures(
    name: str,
    orders: Sequence[WaveOrder],
    options: dict[str, Opt],
    locations: Sequence[Location],
    decision_ms: Sequence[float] | None,
    seconds: float,
    cpu_ms: Sequence[float] | None = None,
) -> dict[str, Any]:
    capacity = {loc.code: loc.capacity_left for loc in locations}
    distance = 0.0
    parcels = 0
    for o in orders:
        opt = options[o.id]
        for w in opt.warehouses:
            loc = next(x for x in locations if x.code == w)
            from podium.geo.coordinates import haversine_km

            if loc.coords and o.destination:
                distance += haversine_km(loc.coords, o.destination)
            parcels += 1
    cost = sum(opt.cost for opt in options.values())
    # Units short are reported apart: they are the same for every strategy (stock is stock).
    objective = sum(opt.score - SHORT_PENALTY * opt.short for opt in options.values())
    objective += OVER_CAPACITY_PENALTY * over_capacity(options.values(), capacity)
    return {
        "strategy": name,
        "cost": cost,
        "objective": objective,
        "shipments_per_order": parcels / len(orders),
        "mean_distance_km": distance / max(1, parcels),
        "promise_misses": sum(opt.late for opt in options.values()),
        "short_units": sum(opt.short for opt in options.values()),
        "decision_p50_ms": percentile(decision_ms, 50) if decision_ms else None,
        "decision_p99_ms": percentile(decision_ms, 99) if decision_ms else None,
        "decision_cpu_p50_ms": percentile(cpu_ms, 50) if cpu_ms else None,
        "decision_cpu_p99_ms": percentile(cpu_ms, 99) if cpu_ms else None,
        "seconds": seconds,
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    rng = random.Random(args.seed)
    locations, stock, orders, _ = network(rng, args.skus, args.orders)
    penalty = 250
    results: list[dict[str, Any]] = []

    # 1. nearest location with stock (sequential).
    left = dict(stock)
    nearest: dict[str, Opt] = {}
    times: list[float] = []
    cpu: list[float] = []
    gc.collect()
    gc.freeze()  # the generated network is long-lived; keep full collections off the clock
    began = time.perf_counter()
    for o in orders:
        t, c = time.perf_counter(), time.thread_time()
        candidates = [Candidate(loc.code, loc.priority, loc.coords) for loc in locations]
        plan = plan_shipments(o.demand, left, candidates, o.destination)
        times.append((time.perf_counter() - t) * 1000)
        cpu.append((time.thread_time() - c) * 1000)
        for a in plan.allocations:
            left[(a.warehouse, a.sku)] -= a.quantity
        nearest[o.id] = _option(o, locations, plan.allocations, penalty)
    results.append(
        _figures("nearest", orders, nearest, locations, times, time.perf_counter() - began, cpu)
    )
    print(f"nearest done in {results[-1]['seconds']:.1f}s", file=sys.stderr)

    # 2. Podium's default rules (sequential, as placement routes).
    from podium.routing.engine import route

    left = dict(stock)
    ruled: dict[str, Opt] = {}
    times, cpu = [], []
    began = time.perf_counter()
    for o in orders:
        t, c = time.perf_counter(), time.thread_time()
        plan = route(o.facts, o.demand, left, locations, DEFAULT_RULES, o.destination)
        times.append((time.perf_counter() - t) * 1000)
        cpu.append((time.thread_time() - c) * 1000)
        for a in plan.allocations:
            left[(a.warehouse, a.sku)] -= a.quantity
        ruled[o.id] = _option(o, locations, plan.allocations, penalty)
    results.append(
        _figures("rules", orders, ruled, locations, times, time.perf_counter() - began, cpu)
    )
    print(f"rules done in {results[-1]['seconds']:.1f}s", file=sys.stderr)

    # 3a. The optimiser over the whole backlog, with its operational time budget.
    began = time.perf_counter()
    backlog = optimise(orders, stock, locations, DEFAULT_RULES, time_budget=args.budget)
    results.append(
        _figures("optimiser", orders, backlog.chosen, locations, None, time.perf_counter() - began)
    )
    results[-1]["status"] = backlog.status
    print(f"optimiser done in {results[-1]['seconds']:.1f}s ({backlog.status})", file=sys.stderr)

    # 3b. The optimiser in waves (as releases happen through the day), stock running down.
    left = dict(stock)
    optimised: dict[str, Opt] = {}
    statuses: list[str] = []
    began = time.perf_counter()
    for k in range(0, len(orders), args.wave):
        wave = orders[k : k + args.wave]
        result = optimise(wave, left, locations, DEFAULT_RULES, time_budget=args.budget)
        statuses.append(result.status)
        for o in wave:
            chosen = result.chosen[o.id]
            optimised[o.id] = chosen
            for a in chosen.allocations:
                left[(a.warehouse, a.sku)] -= a.quantity
    results.append(
        _figures("waves", orders, optimised, locations, None, time.perf_counter() - began)
    )
    results[-1]["waves"] = {s: statuses.count(s) for s in sorted(set(statuses))}
    print(f"waves done in {results[-1]['seconds']:.1f}s", file=sys.stderr)

    # 4. The whole set at once, and its linear relaxation.
    began = time.perf_counter()
    whole = optimise(orders, stock, locations, DEFAULT_RULES, time_budget=args.optimum_budget)
    results.append(
        _figures("optimum", orders, whole.chosen, locations, None, time.perf_counter() - began)
    )
    results[-1]["status"] = whole.status
    results[-1]["dual_bound"] = whole.bound
    began = time.perf_counter()
    relaxed = optimise(orders, stock, locations, DEFAULT_RULES, relax=True, time_budget=600)
    lp_bound = relaxed.bound
    print(f"optimum done; LP bound {lp_bound}", file=sys.stderr)
    optimum = next(r for r in results if r["strategy"] == "optimum")
    if lp_bound is not None:  # on the same footing: the short units are structural (no stock)
        lp_bound -= SHORT_PENALTY * optimum["short_units"]
    reference = optimum["objective"] if whole.status == "optimal" else (lp_bound or 1)
    for r in results:
        r["gap_vs_optimum_pct"] = 100 * (r["objective"] - reference) / reference
        r["cost_gap_vs_optimum_pct"] = 100 * (r["cost"] - optimum["cost"]) / optimum["cost"]
    return {
        "parameters": {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()},
        "reference": {
            "objective": reference,
            "kind": "MILP optimum" if whole.status == "optimal" else "LP lower bound",
            "lp_bound": lp_bound,
            "note": "objectives exclude the penalty for units short, the same for all",
            "lp_seconds": time.perf_counter() - began,
        },
        "penalties": {
            "split_per_extra_parcel": penalty,
            "late_order": LATE_PENALTY,
            "short_unit": SHORT_PENALTY,
            "over_capacity_parcel": OVER_CAPACITY_PENALTY,
        },
        "results": results,
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": _cpu(),
            "commit": _commit(),
            "load_average_after": os.getloadavg(),
        },
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def _commit() -> str:
    done = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    )
    return done.stdout.strip()


def table(report: dict[str, Any]) -> str:
    head = (
        f"{'strategy':<10} {'cost $':>11} {'cost gap%':>9} {'objective $':>12} {'gap %':>7} "
        f"{'ship/ord':>8} "
        f"{'mean km':>8} {'late':>5} {'short':>5} {'p50 ms':>7} {'p99 ms':>7} {'secs':>7}"
    )
    lines = [head, "-" * len(head)]
    for r in report["results"]:
        p50 = "" if r["decision_p50_ms"] is None else f"{r['decision_p50_ms']:.3f}"
        p99 = "" if r["decision_p99_ms"] is None else f"{r['decision_p99_ms']:.3f}"
        lines.append(
            f"{r['strategy']:<10} {r['cost'] / 100:>11,.2f} {r['cost_gap_vs_optimum_pct']:>9.2f} "
            f"{r['objective'] / 100:>12,.2f} "
            f"{r['gap_vs_optimum_pct']:>7.2f} {r['shipments_per_order']:>8.3f} "
            f"{r['mean_distance_km']:>8.0f} {r['promise_misses']:>5} {r['short_units']:>5} "
            f"{p50:>7} {p99:>7} {r['seconds']:>7.1f}"
        )
    ref = report["reference"]
    lines.append(f"gap measured against the {ref['kind']} ({ref['objective'] / 100:,.2f})")
    if ref["lp_bound"] is not None:
        lines.append(f"LP relaxation (lower bound): {ref['lp_bound'] / 100:,.2f}")
    for r in report["results"]:
        if r["decision_cpu_p99_ms"] is not None:
            lines.append(
                f"{r['strategy']}: decision CPU time p50 {r['decision_cpu_p50_ms']:.3f} ms, "
                f"p99 {r['decision_cpu_p99_ms']:.3f} ms"
            )
    lines.append(f"load average after the run: {report['machine']['load_average_after']}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=10_000)
    parser.add_argument("--skus", type=int, default=500)
    parser.add_argument("--wave", type=int, default=1000, help="Orders per optimiser wave.")
    parser.add_argument(
        "--budget", type=float, default=30.0, help="The optimiser's time budget (per wave)."
    )
    parser.add_argument("--optimum-budget", type=float, default=300.0)
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--output", type=Path, default=HERE / "results" / "routing.json")
    args = parser.parse_args()
    report = run(args)
    print(table(report))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2, default=str) + "\n")
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
