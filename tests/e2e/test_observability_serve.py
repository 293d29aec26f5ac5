"""``podium serve --workers 2``: one scrape of /metrics sums both workers' counts, every log
line on stderr is JSON with the request id, and /ready answers the orchestrator (issue 19)."""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from conftest import PODIUM, Server, _free_port, _printed_key
from support import order_body, seed_http, stop, wait_until_serving


@pytest.fixture
def workers(database_url: str, tmp_path: Path) -> Iterator[tuple[Server, Path]]:
    port = _free_port()
    metrics_dir = tmp_path / "metrics"
    metrics_dir.mkdir()
    (metrics_dir / "counter_999999999.db").write_bytes(b"left by a dead run")
    env = {
        **os.environ,
        "PODIUM_DATABASE_URL": database_url,
        "PODIUM_PORT": str(port),
        "PODIUM_LOG_FORMAT": "json",
        "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
    }
    log_path = tmp_path / "serve.log"
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            [str(PODIUM), "serve", "--workers", "2"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
        )
    try:
        url = f"http://127.0.0.1:{port}"
        output = wait_until_serving(proc, url, log_path, ready=lambda out: bool(_printed_key(out)))
        yield Server(url, _printed_key(output), database_url), log_path
    finally:
        stop(proc)
    assert not (metrics_dir / "counter_999999999.db").exists()


def _sample(text: str, name: str, **labels: str) -> float:
    total = 0.0
    for line in text.splitlines():
        metric, _, rest = line.partition("{")
        if metric != name:
            continue
        found = dict(re.findall(r'(\w+)="([^"]*)"', rest))
        if all(found.get(k) == v for k, v in labels.items()):
            total += float(line.rpartition(" ")[2])
    return total


def test_a_scrape_sums_every_worker_and_logs_are_json_with_the_request_id(
    workers: tuple[Server, Path],
) -> None:
    server, log_path = workers
    with server.client() as api:
        seed_http(api, {("TEE", "EAST"): 50})
        ids = []
        for i in range(12):  # uvicorn spreads the connections over both workers
            with httpx.Client(base_url=f"{server.url}/api/v1", timeout=30) as fresh:
                r = fresh.post(
                    "/orders",
                    json=order_body([("TEE", 1)], external_id=f"E{i}"),
                    headers={"Authorization": f"Bearer {server.key}", "X-Request-ID": f"e2e-{i}"},
                )
            assert r.status_code == 201, r.text
            assert r.headers["x-request-id"] == f"e2e-{i}"
            ids.append(r.json()["id"])
        scrapes = [
            httpx.get(f"{server.url}/metrics", headers={"Authorization": f"Bearer {server.key}"})
            for _ in range(4)
        ]
        assert api.get("/ready").json()["status"] == "ready"
    for scraped in scrapes:
        assert scraped.status_code == 200
        assert _sample(scraped.text, "podium_orders_placed_total", channel="web") == 12
        route = "/api/v1/orders"
        assert _sample(scraped.text, "podium_http_requests_total", route=route) >= 12
    assert "podium_outbox_pending_events" in scrapes[-1].text

    lines = [ln for ln in log_path.read_text().splitlines() if ln.startswith("{")]
    parsed = [json.loads(ln) for ln in lines]
    placed = [p for p in parsed if p.get("logger") == "podium.orders"]
    assert {p["request_id"] for p in placed} == {f"e2e-{i}" for i in range(12)}
    assert {p["order_id"] for p in placed} == set(ids)
    access = [
        p for p in parsed if p.get("logger") == "podium.access" and p["route"] == "/api/v1/orders"
    ]
    assert sorted(p["request_id"] for p in access) == sorted(f"e2e-{i}" for i in range(12))
    assert all(p["status"] == 201 and p["method"] == "POST" for p in access)
    text = log_path.read_text()
    assert "ann@example.com" not in text
