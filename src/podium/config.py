"""Settings from the environment (``PODIUM_*``), read in one place."""

from __future__ import annotations

import ipaddress
import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

__all__ = [
    "DEFAULT_DATABASE_URL",
    "DEFAULT_TRUSTED_PROXIES",
    "Settings",
    "browse_url",
    "database_url_for",
    "schema_url",
]

DEFAULT_DATABASE_URL = "sqlite:///./podium.db"


def browse_url(host: str, port: int) -> str:
    """The URL to open for a server listening on ``host``: a wildcard address is reached
    through this machine's loopback, and an IPv6 address goes in brackets."""
    shown = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(host, host)
    return f"http://[{shown}]:{port}/" if ":" in shown else f"http://{shown}:{port}/"


def database_url_for(value: str) -> str:
    """A ``--database`` option's value: a database URL, or the path of an SQLite file (so
    ``--database demo.db`` works without knowing SQLAlchemy's three slashes)."""
    value = value.strip()
    if not value:
        raise ValueError("--database needs a path to an SQLite file or a database URL.")
    return value if "://" in value else f"sqlite:///{value}"


_SCHEMA = re.compile(r"[a-z_][a-z0-9_]{0,62}")


def schema_url(url: str, schema: str | None) -> str:
    """The database URL whose connections work in ``schema`` (PODIUM_DATABASE_SCHEMA: one
    brand per PostgreSQL schema, docs/multi-tenant.md): its ``search_path`` is set when each
    connection opens, so every table, sequence and migration of this Podium lives there."""
    if not schema:
        return url
    if not _SCHEMA.fullmatch(schema):
        raise ValueError(
            "PODIUM_DATABASE_SCHEMA must be a lower-case PostgreSQL name (letters, digits and "
            f"_, not starting with a digit, at most 63), got {schema!r}"
        )
    if not url.startswith(("postgres://", "postgresql://", "postgresql+psycopg://")):
        raise ValueError(
            "PODIUM_DATABASE_SCHEMA needs a PostgreSQL PODIUM_DATABASE_URL; on SQLite give each "
            "brand its own database file"
        )
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)]
    options = " ".join(v for k, v in query if k == "options")
    query = [(k, v) for k, v in query if k != "options"]
    query.append(("options", f"{options} -csearch_path={schema}".strip()))
    return urlunsplit(parts._replace(query=urlencode(query)))


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ValueError(f"{name} must be a whole number, got {raw!r}") from exc
    if value <= 0:
        raise ValueError(f"{name} must be positive, got {raw!r}")
    return value


def _float(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = float(raw)
    except ValueError as exc:
        raise ValueError(f"{name} must be a number, got {raw!r}") from exc
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a positive number, got {raw!r}")
    return value


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = (env.get(name) or "").strip().lower()
    if raw == "":
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"{name} must be 1/0, true/false, yes/no or on/off, got {raw!r}")


DEFAULT_TRUSTED_PROXIES = ("127.0.0.1", "::1")

BUS_SCHEMES = ("nats", "tls", "amqp", "amqps")


def _bus_url(env: Mapping[str, str], name: str) -> str | None:
    """The message bus: a NATS (``nats://``, ``tls://``) or AMQP (``amqp://``, ``amqps://``) URL."""
    raw = (env.get(name) or "").strip()
    if not raw:
        return None
    scheme = raw.split("://", 1)[0].lower() if "://" in raw else ""
    if scheme not in BUS_SCHEMES:
        raise ValueError(
            f"{name} must be a nats://, tls://, amqp:// or amqps:// URL, got {raw.split('@')[-1]!r}"
        )
    return raw


def _bus_name(env: Mapping[str, str], name: str, default: str, *, dots: bool = True) -> str:
    """A subject prefix (words joined by dots) or a stream name (one word): letters, digits,
    ``_`` and ``-`` in each word."""
    raw = (env.get(name) or "").strip()
    if not raw:
        return default
    pattern = r"[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*" if dots else r"[A-Za-z0-9_-]+"
    if not re.fullmatch(pattern, raw):
        allowed = "letters, digits, '_' and '-'" + (" in words joined by dots" if dots else "")
        raise ValueError(f"{name} may hold {allowed}, got {raw!r}")
    return raw


def _public_url(env: Mapping[str, str], name: str) -> str | None:
    """Where shoppers reach this server (links in e-mails): an http(s) URL without a query."""
    raw = (env.get(name) or "").strip()
    if raw == "":
        return None
    if not raw.lower().startswith(("http://", "https://")) or any(c in raw for c in "?# "):
        raise ValueError(f"{name} must be an http(s) URL such as https://shop.example.com")
    return raw.rstrip("/")


def _choice(env: Mapping[str, str], name: str, choices: tuple[str, ...], default: str) -> str:
    raw = (env.get(name) or "").strip().lower()
    if raw == "":
        return default
    if raw not in choices:
        raise ValueError(f"{name} must be one of {', '.join(choices)}, got {raw!r}")
    return raw


def _score(env: Mapping[str, str], name: str, default: int) -> int:
    value = _int(env, name, default)
    if value > 100:
        raise ValueError(f"{name} must be a score from 1 to 100, got {value}")
    return value


def _amount(env: Mapping[str, str], name: str, default: str) -> str:
    raw = (env.get(name) or "").strip()
    if raw == "":
        return default
    try:
        value = Decimal(raw)
    except InvalidOperation as exc:
        raise ValueError(f"{name} must be an amount such as 500 or 499.99, got {raw!r}") from exc
    if not value.is_finite() or value < 0:
        raise ValueError(f"{name} must be an amount such as 500 or 499.99, got {raw!r}")
    return raw


def _words(env: Mapping[str, str], name: str, default: tuple[str, ...]) -> tuple[str, ...]:
    """Comma-separated words (lower-cased); ``none`` is the empty list."""
    raw = (env.get(name) or "").strip()
    if raw == "":
        return default
    if raw.lower() == "none":
        return ()
    return tuple(w.strip().lower() for w in raw.split(",") if w.strip())


def _networks(env: Mapping[str, str], name: str, default: tuple[str, ...]) -> tuple[str, ...]:
    """Comma-separated addresses or CIDR networks; ``none`` trusts no proxy at all."""
    raw = (env.get(name) or "").strip()
    if raw == "":
        return default
    if raw.lower() == "none":
        return ()
    found = []
    for item in (part.strip() for part in raw.split(",")):
        try:
            found.append(str(ipaddress.ip_network(item, strict=False)))
        except ValueError as exc:
            raise ValueError(
                f"{name} must list IP addresses or CIDR networks, got {item!r}"
            ) from exc
    return tuple(found)


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything Podium can be told through its environment."""

    database_url: str = DEFAULT_DATABASE_URL
    host: str = "127.0.0.1"
    port: int = 8000
    # Outbox relay: how often to look for work when idle, how many events per batch,
    # how many attempts before an event is dead-lettered, the first retry delay.
    relay_poll_seconds: float = 0.2
    relay_batch_size: int = 500
    relay_max_attempts: int = 10
    relay_backoff_seconds: float = 1.0
    relay_lease_seconds: float = 5.0
    # Paced channel stock pushes (channels/pusher.py): the lease one process holds on a
    # channel's pushes (another takes over within it after a crash), how often an idle pusher
    # looks for marks made by other processes, and the share of the platform's rate budget
    # stock pushes may use (the rest is left for fulfilments, refunds and the like).
    push_lease_seconds: float = 3.0
    push_poll_seconds: float = 0.05
    push_share: float = 0.8
    max_body_bytes: int = 1024 * 1024
    db_pool_size: int = 20
    # How long a request waits for the database (SQLite's lock, a PostgreSQL connection)
    # before it is answered 503 Retry-After instead of hanging.
    db_busy_timeout_seconds: float = 30.0
    # Customer e-mail (notify/): disabled while smtp_host is unset.
    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = False
    smtp_from: str = "Podium <orders@localhost>"
    smtp_timeout_seconds: float = 10.0
    templates_dir: str | None = None
    # Outgoing webhooks (notify/): per-attempt timeout, first retry delay, attempts per
    # delivery, and when a failing subscription is paused (N consecutive failures spanning T).
    webhooks_allow_private: bool = False
    webhook_timeout_seconds: float = 10.0
    webhook_backoff_seconds: float = 10.0
    webhook_max_attempts: int = 12
    webhook_pause_after_failures: int = 20
    webhook_pause_after_seconds: float = 3600.0
    webhook_lease_seconds: float = 5.0
    webhook_concurrency: int = 8
    # The company's message bus (bus/, docs/operations.md "Events to your message bus"):
    # nats://… (JetStream) or amqp://… (RabbitMQ); unset, nothing is published. Subjects (NATS)
    # are <prefix>.<event type>; RabbitMQ's topic exchange is named <prefix> and routes by
    # event type. bus_stream names the JetStream stream made if missing.
    bus_url: str | None = None
    bus_prefix: str = "podium.events"
    bus_stream: str = "PODIUM_EVENTS"
    bus_timeout_seconds: float = 10.0
    # Platform outages (podium/resilience.py; docs/operations.md "When a platform is down"):
    # the connect bound of every outgoing HTTP call, the total bound of a carrier call made
    # within a request (rates, labels: a hanging carrier is a 504, not a hung request), and the
    # circuit breaker per destination (open after N consecutive failures within the window;
    # one probe after the cool-down).
    outbound_connect_seconds: float = 5.0
    carrier_timeout_seconds: float = 20.0
    circuit_failures: int = 5
    circuit_window_seconds: float = 60.0
    circuit_cooldown_seconds: float = 30.0
    # CSV imports (POST /api/v1/imports/...) may be larger than other request bodies.
    max_import_bytes: int = 32 * 1024 * 1024
    # Signs dashboard session cookies; when unset, a key kept in the database is used.
    secret_key: str | None = None
    # Encrypt channel, carrier and gateway secrets in the database (db/secrets.py): Fernet keys,
    # newest first; older ones only decrypt. Empty: secrets are stored in plaintext.
    encryption_keys: tuple[str, ...] = ()
    # 3PL CSV drops (handoff_dir) must lie under this directory; relative ones are taken
    # relative to it. Relative itself to the server's working directory.
    handoff_root: str = "handoff"
    # Returns portal photos (docs/shopper.md): stored under <uploads_dir>/returns/<return id>/,
    # outside the web root; relative to the server's working directory.
    uploads_dir: str = "uploads"
    # Proxies whose X-Forwarded-For / X-Forwarded-Proto are believed (addresses or CIDRs).
    # Anyone else's forwarded headers are ignored: the connecting address is the client's.
    trusted_proxies: tuple[str, ...] = DEFAULT_TRUSTED_PROXIES
    # Risk and address checks at placement (issue 15; docs/operations.md "Risk and address
    # checks"): score thresholds of the medium and high levels (a high level holds the order),
    # the first-order value that counts as high (in the order's currency), the velocity window
    # and how many earlier orders in it raise a velocity signal, the service levels that refuse
    # PO boxes, and extra freight-forwarder names (or ``zip:<postal code>``).
    risk_enabled: bool = True
    risk_medium_score: int = 40
    risk_high_score: int = 70
    risk_first_order_value: str = "500"
    risk_velocity_window_minutes: int = 60
    risk_velocity_limit: int = 3
    address_po_box_refused_by: tuple[str, ...] = ("express", "next_day")
    risk_forwarders: tuple[str, ...] = ()
    # Where shoppers reach this server: the base of the order-status links in customer
    # e-mails (docs/shopper.md). Unset: http://<host>:<port>.
    public_url: str | None = None

    @property
    def shopper_url(self) -> str:
        return self.public_url or browse_url(self.host, self.port).rstrip("/")

    # Data lifecycle (docs/operations.md "Data lifecycle"): how long delivered outbox events
    # and succeeded webhook deliveries (with their attempts) are kept, how often a node prunes
    # (one node at a time, under a lease), and how many rows go per transaction.
    retain_delivered_events_days: float = 7.0
    retain_webhook_attempts_days: float = 30.0
    prune_interval_seconds: float = 300.0
    prune_batch_size: int = 1000

    # Logs (docs/operations.md "Logs"): json, text, or auto (text on a terminal, JSON
    # elsewhere); the level; one line per HTTP request (the access log).
    log_format: str = "auto"
    log_level: str = "INFO"
    access_log: bool = True
    # Traces (docs/operations.md "Traces"): off, otlp (to OTEL_EXPORTER_OTLP_ENDPOINT) or
    # console; otlp by default when an OTLP endpoint is set in the environment.
    traces: str = "off"
    # A read-only replica for the dashboard's and reports' heavy reads; None: the primary.
    database_read_url: str | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        e = os.environ if env is None else env
        return cls(
            database_url=schema_url(
                e.get("PODIUM_DATABASE_URL") or DEFAULT_DATABASE_URL,
                (e.get("PODIUM_DATABASE_SCHEMA") or "").strip() or None,
            ),
            host=e.get("PODIUM_HOST") or "127.0.0.1",
            port=_int(e, "PODIUM_PORT", 8000),
            relay_poll_seconds=_float(e, "PODIUM_RELAY_POLL_SECONDS", 0.2),
            relay_batch_size=_int(e, "PODIUM_RELAY_BATCH_SIZE", 500),
            relay_max_attempts=_int(e, "PODIUM_RELAY_MAX_ATTEMPTS", 10),
            relay_backoff_seconds=_float(e, "PODIUM_RELAY_BACKOFF_SECONDS", 1.0),
            relay_lease_seconds=_float(e, "PODIUM_RELAY_LEASE_SECONDS", 5.0),
            push_lease_seconds=_float(e, "PODIUM_PUSH_LEASE_SECONDS", 3.0),
            push_poll_seconds=_float(e, "PODIUM_PUSH_POLL_SECONDS", 0.05),
            push_share=min(1.0, max(0.05, _float(e, "PODIUM_PUSH_SHARE", 0.8))),
            max_body_bytes=_int(e, "PODIUM_MAX_BODY_BYTES", 1024 * 1024),
            db_pool_size=_int(e, "PODIUM_DB_POOL_SIZE", 20),
            db_busy_timeout_seconds=_float(e, "PODIUM_DB_BUSY_TIMEOUT_SECONDS", 30.0),
            smtp_host=e.get("PODIUM_SMTP_HOST") or None,
            smtp_port=_int(e, "PODIUM_SMTP_PORT", 25),
            smtp_username=e.get("PODIUM_SMTP_USERNAME") or None,
            smtp_password=e.get("PODIUM_SMTP_PASSWORD") or None,
            smtp_starttls=_bool(e, "PODIUM_SMTP_STARTTLS", False),
            smtp_from=e.get("PODIUM_SMTP_FROM") or "Podium <orders@localhost>",
            smtp_timeout_seconds=_float(e, "PODIUM_SMTP_TIMEOUT_SECONDS", 10.0),
            templates_dir=e.get("PODIUM_TEMPLATES_DIR") or None,
            webhooks_allow_private=_bool(e, "PODIUM_WEBHOOKS_ALLOW_PRIVATE", False),
            webhook_timeout_seconds=_float(e, "PODIUM_WEBHOOK_TIMEOUT_SECONDS", 10.0),
            webhook_backoff_seconds=_float(e, "PODIUM_WEBHOOK_BACKOFF_SECONDS", 10.0),
            webhook_max_attempts=_int(e, "PODIUM_WEBHOOK_MAX_ATTEMPTS", 12),
            webhook_pause_after_failures=_int(e, "PODIUM_WEBHOOK_PAUSE_AFTER_FAILURES", 20),
            webhook_pause_after_seconds=_float(e, "PODIUM_WEBHOOK_PAUSE_AFTER_SECONDS", 3600.0),
            webhook_lease_seconds=_float(e, "PODIUM_WEBHOOK_LEASE_SECONDS", 5.0),
            webhook_concurrency=_int(e, "PODIUM_WEBHOOK_CONCURRENCY", 8),
            bus_url=_bus_url(e, "PODIUM_BUS_URL"),
            bus_prefix=_bus_name(e, "PODIUM_BUS_PREFIX", "podium.events"),
            bus_stream=_bus_name(e, "PODIUM_BUS_STREAM", "PODIUM_EVENTS", dots=False),
            bus_timeout_seconds=_float(e, "PODIUM_BUS_TIMEOUT_SECONDS", 10.0),
            outbound_connect_seconds=_float(e, "PODIUM_OUTBOUND_CONNECT_SECONDS", 5.0),
            carrier_timeout_seconds=_float(e, "PODIUM_CARRIER_TIMEOUT_SECONDS", 20.0),
            circuit_failures=max(1, _int(e, "PODIUM_CIRCUIT_FAILURES", 5)),
            circuit_window_seconds=_float(e, "PODIUM_CIRCUIT_WINDOW_SECONDS", 60.0),
            circuit_cooldown_seconds=_float(e, "PODIUM_CIRCUIT_COOLDOWN_SECONDS", 30.0),
            max_import_bytes=_int(e, "PODIUM_MAX_IMPORT_BYTES", 32 * 1024 * 1024),
            secret_key=e.get("PODIUM_SECRET_KEY") or None,
            encryption_keys=tuple(
                k.strip() for k in (e.get("PODIUM_ENCRYPTION_KEYS") or "").split(",") if k.strip()
            ),
            handoff_root=e.get("PODIUM_HANDOFF_ROOT") or "handoff",
            uploads_dir=e.get("PODIUM_UPLOADS_DIR") or "uploads",
            trusted_proxies=_networks(e, "PODIUM_TRUSTED_PROXIES", DEFAULT_TRUSTED_PROXIES),
            risk_enabled=_bool(e, "PODIUM_RISK_ENABLED", True),
            risk_medium_score=_score(e, "PODIUM_RISK_MEDIUM_SCORE", 40),
            risk_high_score=_score(e, "PODIUM_RISK_HIGH_SCORE", 70),
            risk_first_order_value=_amount(e, "PODIUM_RISK_FIRST_ORDER_VALUE", "500"),
            risk_velocity_window_minutes=_int(e, "PODIUM_RISK_VELOCITY_WINDOW_MINUTES", 60),
            risk_velocity_limit=_int(e, "PODIUM_RISK_VELOCITY_LIMIT", 3),
            address_po_box_refused_by=_words(
                e, "PODIUM_ADDRESS_PO_BOX_REFUSED_BY", ("express", "next_day")
            ),
            risk_forwarders=_words(e, "PODIUM_RISK_FORWARDERS", ()),
            public_url=_public_url(e, "PODIUM_PUBLIC_URL"),
            retain_delivered_events_days=_float(e, "PODIUM_RETAIN_DELIVERED_EVENTS_DAYS", 7.0),
            retain_webhook_attempts_days=_float(e, "PODIUM_RETAIN_WEBHOOK_ATTEMPTS_DAYS", 30.0),
            prune_interval_seconds=_float(e, "PODIUM_PRUNE_INTERVAL_SECONDS", 300.0),
            prune_batch_size=_int(e, "PODIUM_PRUNE_BATCH_SIZE", 1000),
            log_format=_choice(e, "PODIUM_LOG_FORMAT", ("auto", "json", "text"), "auto"),
            log_level=_choice(
                e, "PODIUM_LOG_LEVEL", ("debug", "info", "warning", "error"), "info"
            ).upper(),
            access_log=_bool(e, "PODIUM_ACCESS_LOG", True),
            traces=_choice(e, "PODIUM_TRACES", ("off", "otlp", "console"), _traces_default(e)),
            database_read_url=e.get("PODIUM_DATABASE_READ_URL") or None,
        )


def _traces_default(env: Mapping[str, str]) -> str:
    """OpenTelemetry's own switches: an OTLP endpoint turns traces on, OTEL_SDK_DISABLED off."""
    if (env.get("OTEL_SDK_DISABLED") or "").strip().lower() == "true":
        return "off"
    endpoint = env.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") or env.get(
        "OTEL_EXPORTER_OTLP_ENDPOINT"
    )
    return "otlp" if (endpoint or "").strip() else "off"
