# Podium — two commands on a fresh machine with Python 3.11+ and make:
#   make run    set up .venv, install, serve the API on the embedded SQLite database
#   make test   set up .venv, install, run ruff, mypy, pip-audit and the whole test suite
# and a demo store in a database of its own (demo.db), to look around:
#   make demo   build it (again: another day of orders)   make run-demo   serve it
# `make run PORT=8001 HOST=0.0.0.0` picks where the server listens (PODIUM_PORT/PODIUM_HOST too).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# Test processes (pytest-xdist): the suite waits on servers and subprocesses much of the time.
TEST_WORKERS ?= auto

# Where `make run` and `make run-demo` listen; empty = PODIUM_HOST/PODIUM_PORT or 127.0.0.1:8000.
HOST ?=
PORT ?=
DEMO_DB ?= demo.db
SERVE_FLAGS = $(strip $(if $(HOST),--host $(HOST)) $(if $(PORT),--port $(PORT)))

.PHONY: run run-demo test lint typecheck audit pytest bench demo clean chromium messages

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Podium needs Python 3.11+"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/podium serve $(SERVE_FLAGS)

demo: $(STAMP)
	$(BIN)/podium demo --database $(DEMO_DB)

run-demo: $(STAMP)
	$(BIN)/podium serve --database $(DEMO_DB) $(SERVE_FLAGS)

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts
	$(BIN)/lint-imports

typecheck: $(STAMP)
	$(BIN)/mypy

# Tests run on SQLite always and on PostgreSQL when a server answers (scripts/postgres_url.py
# finds one, or use PODIUM_TEST_POSTGRES_URL). PODIUM_REQUIRE_POSTGRES=1 (set by .ci/run)
# makes a missing server an error instead of a skip. The message bus tests likewise run against
# NATS (JetStream) and RabbitMQ when their ports answer (scripts/bus_urls.py, or
# PODIUM_TEST_NATS_URL / PODIUM_TEST_AMQP_URL); PODIUM_REQUIRE_BROKERS=1 (.ci/run) requires both.
# The browser tests drive Debian's chromium (Playwright is only the driver); CI runs as root.
chromium:
	@[ -x /usr/bin/chromium ] || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq --no-install-recommends chromium; } || \
		echo "warning: could not install chromium; the browser tests will be skipped" >&2

pytest: $(STAMP) chromium
	@PG="$${PODIUM_TEST_POSTGRES_URL:-$$($(BIN)/python scripts/postgres_url.py)}"; \
	if [ -z "$$PG" ] && [ -n "$$PODIUM_REQUIRE_POSTGRES" ]; then \
		echo "error: no PostgreSQL server answers (PODIUM_REQUIRE_POSTGRES is set)" >&2; exit 1; fi; \
	if [ -n "$$PG" ]; then echo "PostgreSQL tests: on"; else echo "PostgreSQL tests: off (no server)"; fi; \
	BUS="$$($(BIN)/python scripts/bus_urls.py)"; if [ -n "$$BUS" ]; then export $$BUS; fi; \
	for v in PODIUM_TEST_NATS_URL PODIUM_TEST_AMQP_URL; do \
		if [ -z "$$(printenv $$v)" ] && [ -n "$$PODIUM_REQUIRE_BROKERS" ]; then \
			echo "error: no broker answers for $$v (PODIUM_REQUIRE_BROKERS is set)" >&2; exit 1; fi; \
		if [ -n "$$(printenv $$v)" ]; then echo "$$v tests: on"; else echo "$$v tests: off (no server)"; fi; \
	done; \
	PODIUM_TEST_POSTGRES_URL="$$PG" $(BIN)/pytest -q -n $(TEST_WORKERS) --durations=25

# Known vulnerabilities in the installed dependencies (pip-audit; needs the package index's
# JSON API: where it is out of reach this fails, or warns with PODIUM_AUDIT_UNREACHABLE=warn).
audit: $(STAMP)
	$(BIN)/python scripts/audit.py

test: lint typecheck audit pytest

bench: $(STAMP)
	$(BIN)/python benchmarks/intake.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis

# The shopper pages' message catalogues (docs/shopper.md): extract the English messages, merge
# them into each language's .po, compile the .mo files that ship in the package.
LOCALES_DIR := src/podium/shopper/locales
messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k N_ -k say -k shopper.N_ --no-location --sort-output \
		--omit-header -w 1000 -o $(LOCALES_DIR)/messages.pot .
	$(BIN)/pybabel update -i $(LOCALES_DIR)/messages.pot -d $(LOCALES_DIR) -D messages \
		-w 1000 --ignore-obsolete
	$(BIN)/pybabel compile -d $(LOCALES_DIR) -D messages --statistics
