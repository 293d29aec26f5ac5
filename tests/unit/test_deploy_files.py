"""The container image and compose topology (issue 19): checked as files here, since a
container engine is not always available; tests/e2e/test_scale_out.py runs the same topology
(PostgreSQL, several API processes, relay workers) as plain processes."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from podium.config import Settings

ROOT = Path(__file__).resolve().parents[2]


def _compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "deploy" / "compose.yaml").read_text())
    return loaded


def _probe(service: dict[str, Any]) -> str:
    return " ".join(service["healthcheck"]["test"])


def test_compose_runs_postgres_a_migration_job_apis_workers_smtp_and_prometheus() -> None:
    services = _compose()["services"]
    assert set(services) == {"postgres", "migrate", "api", "worker", "mailpit", "prometheus"}
    assert services["migrate"]["command"] == ["podium", "db", "upgrade"]
    assert services["api"]["command"][:2] == ["podium", "serve"]
    assert services["worker"]["command"] == ["podium", "worker"]
    assert "PODIUM_API_REPLICAS" in str(services["api"]["deploy"]["replicas"])
    for name in ("api", "worker"):
        waits = services[name]["depends_on"]
        assert waits["migrate"]["condition"] == "service_completed_successfully"
        assert waits["postgres"]["condition"] == "service_healthy"
        env = services[name]["environment"]
        assert env["PODIUM_DATABASE_URL"].startswith("postgresql://")
        assert env["PODIUM_SMTP_HOST"] == "mailpit"
    assert "PODIUM_WORKER_REPLICAS" in str(services["worker"]["deploy"]["replicas"])


def test_compose_probes_readiness_and_the_image_probes_liveness() -> None:
    services = _compose()["services"]
    assert "/api/v1/ready" in _probe(services["api"])
    assert "pg_isready" in _probe(services["postgres"])
    assert services["worker"]["healthcheck"] == {"disable": True}  # it serves no HTTP
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r"HEALTHCHECK[^\n]*\n[^\n]*/api/v1/health", dockerfile)


def test_the_image_is_multi_stage_slim_and_runs_as_a_user_without_privileges() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    stages = re.findall(r"^FROM (\S+)", dockerfile, flags=re.M)
    assert stages == ["python:3.11-slim", "python:3.11-slim"]
    assert "COPY --from=build /opt/podium /opt/podium" in dockerfile
    user = re.findall(r"^USER (\S+)", dockerfile, flags=re.M)
    assert user and not user[-1].startswith(("root", "0"))
    assert '".[otel]"' in dockerfile
    lines = (ROOT / ".dockerignore").read_text().splitlines()
    ignored = [line for line in lines if line and not line.startswith("#")]
    assert ignored[0] == "*" and "!src/" in ignored


def test_prometheus_scrapes_every_api_replica_with_a_key() -> None:
    config = yaml.safe_load((ROOT / "deploy" / "prometheus.yml").read_text())
    (job,) = config["scrape_configs"]
    assert job["metrics_path"] == "/metrics"
    assert job["authorization"]["credentials_file"]
    assert job["dns_sd_configs"][0]["names"] == ["api"]
    mounts = _compose()["services"]["prometheus"]["volumes"]
    assert any(m.startswith("./prometheus.yml:") for m in mounts)


def test_traces_follow_opentelemetry_s_own_switches_unless_podium_is_told() -> None:
    assert Settings.from_env({}).traces == "off"
    assert Settings.from_env({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://otel:4318"}).traces == "otlp"
    disabled = {"OTEL_EXPORTER_OTLP_ENDPOINT": "http://otel:4318", "OTEL_SDK_DISABLED": "true"}
    assert Settings.from_env(disabled).traces == "off"
    assert Settings.from_env({"PODIUM_TRACES": "console"}).traces == "console"
    read = Settings.from_env({"PODIUM_DATABASE_READ_URL": "postgresql://replica/podium"})
    assert read.database_read_url == "postgresql://replica/podium"
