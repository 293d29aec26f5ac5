"""The crash test, bounded for ``make test`` (issue 18): under the mixed load, ``kill -9`` of
the server and its worker together (nothing left alive to take the work over), a restart; then
nothing acknowledged is lost, nothing took effect twice, every event was delivered, each
e-mail sent once, the shops show what Podium publishes and the doctor is clean.
``benchmarks/chaos.py --cycles N`` runs the same for more cycles, killing the server, the
workers or both at random."""

from __future__ import annotations

from chaos_support import Plan, run, table


def test_kill_9_under_mixed_load_loses_and_duplicates_nothing(database_url: str) -> None:
    plan = Plan(cycles=1, seconds=2.0, after=1.0, skus=3, seed=18, victims=("both",))
    report = run(database_url, plan)
    assert report.settle_seconds is not None, table(report)
    assert report.result.problems == [], table(report)
    totals = report.result.totals
    assert totals["acknowledged"] > 0 and totals["lost"] == totals["duplicated"] == 0
    assert totals["outbox_events"] > 0 and totals["emails"] > 0
    assert [k["victim"] for k in report.kills] == ["both"]
