"""The crash test, bounded for ``make test`` (issue 18): under the mixed load, ``kill -9`` of
the server, the worker or both, twice per engine; then nothing acknowledged is lost, nothing
took effect twice, every event was delivered, the shops show what Podium publishes and the
doctor is clean. ``benchmarks/chaos.py`` runs the same for more cycles."""

from __future__ import annotations

from chaos_support import Plan, run, table


def test_kill_9_under_mixed_load_loses_and_duplicates_nothing(database_url: str) -> None:
    report = run(database_url, Plan(cycles=2, seconds=3.0, seed=18), print)
    print(table(report))
    assert report.settle_seconds is not None, table(report)
    assert report.result.problems == [], table(report)
    totals = report.result.totals
    assert totals["acknowledged"] > 20 and totals["lost"] == totals["duplicated"] == 0
    assert len(report.kills) == 2
