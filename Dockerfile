# Podium's image (docs/operations.md "Container and compose"): multi-stage, non-root, slim.
#   docker build -t podium .
#   docker run -e PODIUM_DATABASE_URL=postgresql://… -p 8000:8000 podium            # API + relay
#   docker run -e PODIUM_DATABASE_URL=postgresql://… podium podium worker             # relay only
#   docker run -e PODIUM_DATABASE_URL=postgresql://… podium podium db upgrade         # migrations

# Build: a virtual environment with Podium and its dependencies (wheels; no compiler needed).
FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/podium
WORKDIR /build
COPY pyproject.toml README.md ./
COPY src ./src
# The otel extra: traces stay off until PODIUM_TRACES or OTEL_EXPORTER_OTLP_ENDPOINT is set.
RUN /opt/podium/bin/pip install --prefer-binary ".[otel]" \
    && find /opt/podium -name __pycache__ -prune -exec rm -rf {} + \
    && /opt/podium/bin/python -m compileall -q /opt/podium/lib

# Run: the slim base, the environment, and a user without privileges or a shell login.
FROM python:3.11-slim
RUN useradd --system --uid 10001 --user-group --home-dir /var/lib/podium --create-home \
        --shell /usr/sbin/nologin podium
COPY --from=build /opt/podium /opt/podium
ENV PATH=/opt/podium/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PODIUM_HOST=0.0.0.0 \
    PODIUM_PORT=8000 \
    PODIUM_LOG_FORMAT=json \
    PODIUM_UPLOADS_DIR=/var/lib/podium/uploads \
    PODIUM_HANDOFF_ROOT=/var/lib/podium/handoff
USER podium:podium
WORKDIR /var/lib/podium
EXPOSE 8000
# Liveness: the process answers (readiness, /api/v1/ready, is the orchestrator's probe).
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/api/v1/health', timeout=2)"]
CMD ["podium", "serve"]
