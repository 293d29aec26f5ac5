"""Settings read from PODIUM_* environment variables."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from hypothesis import assume, given
from hypothesis import strategies as st

from podium.config import (
    DEFAULT_DATABASE_URL,
    Settings,
    browse_url,
    database_url_for,
    schema_url,
)

INT_VARS = [
    ("PODIUM_PORT", "port"),
    ("PODIUM_RELAY_BATCH_SIZE", "relay_batch_size"),
    ("PODIUM_RELAY_MAX_ATTEMPTS", "relay_max_attempts"),
    ("PODIUM_MAX_BODY_BYTES", "max_body_bytes"),
    ("PODIUM_DB_POOL_SIZE", "db_pool_size"),
    ("PODIUM_WEBHOOK_CONCURRENCY", "webhook_concurrency"),
    ("PODIUM_CIRCUIT_FAILURES", "circuit_failures"),
]
FLOAT_VARS = [
    ("PODIUM_RELAY_POLL_SECONDS", "relay_poll_seconds"),
    ("PODIUM_RELAY_BACKOFF_SECONDS", "relay_backoff_seconds"),
    ("PODIUM_RELAY_LEASE_SECONDS", "relay_lease_seconds"),
    ("PODIUM_WEBHOOK_LEASE_SECONDS", "webhook_lease_seconds"),
    ("PODIUM_DB_BUSY_TIMEOUT_SECONDS", "db_busy_timeout_seconds"),
    ("PODIUM_OUTBOUND_CONNECT_SECONDS", "outbound_connect_seconds"),
    ("PODIUM_CARRIER_TIMEOUT_SECONDS", "carrier_timeout_seconds"),
    ("PODIUM_CIRCUIT_WINDOW_SECONDS", "circuit_window_seconds"),
    ("PODIUM_CIRCUIT_COOLDOWN_SECONDS", "circuit_cooldown_seconds"),
]


def test_an_empty_environment_gives_the_defaults() -> None:
    settings = Settings.from_env({})

    assert settings == Settings()
    assert settings.database_url == DEFAULT_DATABASE_URL == "sqlite:///./podium.db"
    assert settings.host == "127.0.0.1"
    assert settings.port == 8000
    assert settings.relay_poll_seconds == 0.2
    assert settings.relay_batch_size == 500
    assert settings.relay_max_attempts == 10
    assert settings.relay_backoff_seconds == 1.0
    assert settings.relay_lease_seconds == 5.0
    assert settings.webhook_lease_seconds == 5.0
    assert settings.max_body_bytes == 1024 * 1024
    assert settings.db_pool_size == 20


def test_every_setting_is_read_from_its_variable() -> None:
    env = {
        "PODIUM_DATABASE_URL": "postgresql://db/podium",
        "PODIUM_HOST": "0.0.0.0",
        "PODIUM_PORT": "9000",
        "PODIUM_RELAY_POLL_SECONDS": "0.5",
        "PODIUM_RELAY_BATCH_SIZE": "25",
        "PODIUM_RELAY_MAX_ATTEMPTS": "3",
        "PODIUM_RELAY_BACKOFF_SECONDS": "2.5",
        "PODIUM_RELAY_LEASE_SECONDS": "30",
        "PODIUM_MAX_BODY_BYTES": "2048",
        "PODIUM_DB_POOL_SIZE": "4",
    }

    assert Settings.from_env(env) == Settings(
        database_url="postgresql://db/podium",
        host="0.0.0.0",
        port=9000,
        relay_poll_seconds=0.5,
        relay_batch_size=25,
        relay_max_attempts=3,
        relay_backoff_seconds=2.5,
        relay_lease_seconds=30.0,
        max_body_bytes=2048,
        db_pool_size=4,
    )


def test_empty_strings_fall_back_to_the_defaults() -> None:
    names = ["PODIUM_DATABASE_URL", "PODIUM_HOST"] + [n for n, _ in INT_VARS + FLOAT_VARS]

    assert Settings.from_env(dict.fromkeys(names, "")) == Settings()


@pytest.mark.parametrize(("name", "_attr"), INT_VARS + FLOAT_VARS)
def test_blank_numbers_fall_back_to_the_defaults(name: str, _attr: str) -> None:
    assert Settings.from_env({name: "   "}) == Settings()


@pytest.mark.parametrize(("name", "attr"), INT_VARS)
def test_whole_numbers_are_parsed_with_surrounding_space(name: str, attr: str) -> None:
    assert getattr(Settings.from_env({name: " 42 "}), attr) == 42


@pytest.mark.parametrize(("name", "attr"), FLOAT_VARS)
def test_decimal_numbers_are_parsed(name: str, attr: str) -> None:
    assert getattr(Settings.from_env({name: "0.25"}), attr) == 0.25
    assert getattr(Settings.from_env({name: "3"}), attr) == 3.0


@pytest.mark.parametrize(("name", "_attr"), INT_VARS)
@pytest.mark.parametrize("raw", ["eighty", "1.5", "8000x", "1e3"])
def test_a_bad_whole_number_raises_naming_the_variable(name: str, _attr: str, raw: str) -> None:
    with pytest.raises(ValueError, match=f"^{name} must be a whole number, got '{raw}'$"):
        Settings.from_env({name: raw})


@pytest.mark.parametrize(("name", "_attr"), FLOAT_VARS)
@pytest.mark.parametrize("raw", ["fast", "1,5", "0.2s"])
def test_a_bad_decimal_number_raises_naming_the_variable(name: str, _attr: str, raw: str) -> None:
    with pytest.raises(ValueError, match=f"^{name} must be a number, got '{raw}'$"):
        Settings.from_env({name: raw})


def test_unrelated_variables_are_ignored() -> None:
    assert Settings.from_env({"PORT": "1", "PODIUM_UNKNOWN": "x"}) == Settings()


def test_without_a_mapping_the_process_environment_is_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PODIUM_PORT", "8123")
    monkeypatch.setenv("PODIUM_HOST", "example.internal")

    settings = Settings.from_env()

    assert settings.port == 8123
    assert settings.host == "example.internal"


def test_settings_are_frozen() -> None:
    settings = Settings()

    with pytest.raises(AttributeError):
        settings.port = 1  # type: ignore[misc]


def test_database_option_takes_a_file_path_or_a_url() -> None:
    assert database_url_for("demo.db") == "sqlite:///demo.db"
    assert database_url_for("/tmp/demo.db") == "sqlite:////tmp/demo.db"
    assert database_url_for("postgresql://u@h/db") == "postgresql://u@h/db"


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1))
def test_any_file_path_becomes_an_sqlite_url_for_that_path(path: str) -> None:
    # "?" would start SQLAlchemy's query string; such a file is given as a URL instead.
    assume(path.strip() and "://" not in path and "?" not in path)
    url = database_url_for(path)
    assert url == f"sqlite:///{path.strip()}"
    assert sa.make_url(url).database == path.strip()


def test_the_url_to_open_names_a_reachable_address_for_wildcard_and_ipv6_hosts() -> None:
    assert browse_url("127.0.0.1", 8000) == "http://127.0.0.1:8000/"
    assert browse_url("0.0.0.0", 8001) == "http://127.0.0.1:8001/"
    assert browse_url("::", 8002) == "http://[::1]:8002/"
    assert browse_url("fe80::1", 80) == "http://[fe80::1]:80/"
    assert browse_url("shop.example", 8080) == "http://shop.example:8080/"


def test_trusted_proxies_and_the_hand_off_root_are_read_from_their_variables() -> None:
    settings = Settings.from_env(
        {"PODIUM_TRUSTED_PROXIES": "10.0.0.0/8, 192.168.1.7", "PODIUM_HANDOFF_ROOT": "/srv/3pl"}
    )
    assert settings.trusted_proxies == ("10.0.0.0/8", "192.168.1.7/32")
    assert settings.handoff_root == "/srv/3pl"
    assert Settings.from_env({"PODIUM_TRUSTED_PROXIES": "none"}).trusted_proxies == ()
    assert Settings.from_env({}).trusted_proxies == ("127.0.0.1", "::1")


def test_a_trusted_proxy_that_is_not_an_address_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="PODIUM_TRUSTED_PROXIES"):
        Settings.from_env({"PODIUM_TRUSTED_PROXIES": "proxy.internal"})


def test_log_settings_are_read_and_refused_when_unknown() -> None:
    assert (Settings().log_format, Settings().log_level, Settings().access_log) == (
        "auto",
        "INFO",
        True,
    )
    read = Settings.from_env(
        {"PODIUM_LOG_FORMAT": " JSON ", "PODIUM_LOG_LEVEL": "warning", "PODIUM_ACCESS_LOG": "off"}
    )
    assert (read.log_format, read.log_level, read.access_log) == ("json", "WARNING", False)
    with pytest.raises(ValueError, match="PODIUM_LOG_FORMAT must be one of auto, json, text"):
        Settings.from_env({"PODIUM_LOG_FORMAT": "xml"})
    with pytest.raises(ValueError, match="PODIUM_LOG_LEVEL"):
        Settings.from_env({"PODIUM_LOG_LEVEL": "loud"})


def test_encryption_keys_are_read_newest_first_and_blanks_dropped() -> None:
    settings = Settings.from_env({"PODIUM_ENCRYPTION_KEYS": " new-key , old-key ,"})
    assert settings.encryption_keys == ("new-key", "old-key")
    assert Settings.from_env({}).encryption_keys == ()


def test_a_database_schema_goes_into_the_postgres_url_as_the_search_path() -> None:
    settings = Settings.from_env(
        {
            "PODIUM_DATABASE_URL": "postgresql://db/podium?options=-c%20lock_timeout%3D5000",
            "PODIUM_DATABASE_SCHEMA": "brand_a",
        }
    )
    assert settings.database_url == (
        "postgresql://db/podium?options=-c+lock_timeout%3D5000+-csearch_path%3Dbrand_a"
    )
    assert schema_url("postgresql://db/podium", None) == "postgresql://db/podium"


def test_a_database_schema_is_refused_by_name_when_unsafe_or_on_sqlite() -> None:
    with pytest.raises(ValueError, match="PODIUM_DATABASE_SCHEMA must be a lower-case"):
        schema_url("postgresql://db/podium", 'a"; DROP TABLE orders; --')
    with pytest.raises(ValueError, match="on SQLite give each brand its own database file"):
        Settings.from_env({"PODIUM_DATABASE_SCHEMA": "brand_a"})


def test_the_message_bus_is_off_unless_a_nats_or_amqp_url_is_set() -> None:
    assert Settings.from_env({}).bus_url is None
    settings = Settings.from_env(
        {
            "PODIUM_BUS_URL": " nats://127.0.0.1:4222 ",
            "PODIUM_BUS_PREFIX": "acme.podium",
            "PODIUM_BUS_STREAM": "ACME_PODIUM",
            "PODIUM_BUS_TIMEOUT_SECONDS": "3",
        }
    )
    assert (settings.bus_url, settings.bus_prefix, settings.bus_stream) == (
        "nats://127.0.0.1:4222",
        "acme.podium",
        "ACME_PODIUM",
    )
    assert settings.bus_timeout_seconds == 3.0
    defaults = Settings.from_env({"PODIUM_BUS_URL": "amqp://guest:guest@rabbit/"})
    assert (defaults.bus_prefix, defaults.bus_stream) == ("podium.events", "PODIUM_EVENTS")


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("PODIUM_BUS_URL", "http://user:s3cret@broker", "must be a nats://"),
        ("PODIUM_BUS_URL", "127.0.0.1:4222", "must be a nats://"),
        ("PODIUM_BUS_PREFIX", "podium.>", "PODIUM_BUS_PREFIX may hold"),
        ("PODIUM_BUS_PREFIX", "podium..events", "PODIUM_BUS_PREFIX may hold"),
        ("PODIUM_BUS_STREAM", "podium.events", "PODIUM_BUS_STREAM may hold"),
    ],
)
def test_a_bad_bus_setting_is_refused_naming_it(name: str, value: str, message: str) -> None:
    with pytest.raises(ValueError, match=message) as caught:
        Settings.from_env({"PODIUM_BUS_URL": "nats://127.0.0.1:4222", name: value})
    assert "s3cret" not in str(caught.value)
