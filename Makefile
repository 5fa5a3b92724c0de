# Mamori — two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export MAMORI_DATA_DIR ?= $(CURDIR)/data
# pytest-xdist processes for the test runs (one per core on this 2-core machine)
TEST_WORKERS ?= 2

.PHONY: pgclient bench bench-load run test test-sqlite proxy test-future test-postgres lint format worker migrate browser messages openapi clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

## run: set up (venv, dependencies, migrations) and start the web app and its worker on MAMORI_PORT (8000)
run: $(STAMP)
	$(BIN)/mamori serve

## worker: run the background worker alone (for a second machine or process)
worker: $(STAMP)
	$(BIN)/mamori worker

migrate: $(STAMP)
	$(BIN)/mamori migrate

## browser: Debian's Chromium and Japanese fonts for the Playwright tests (installed once, when missing)
browser:
	@if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	  else \
	    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	  fi; \
	fi

## proxy: Debian's nginx for the reverse-proxy test, tests/test_proxy.py (installed once, when missing)
proxy:
	@if [ ! -x /usr/sbin/nginx ] && ! command -v nginx >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null; \
	  else \
	    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null; \
	  fi; \
	fi

## test: set up and run every test on SQLite, then again on PostgreSQL when MAMORI_TEST_DATABASE_URL is set
test: $(STAMP) browser proxy lint
	$(MAKE) --no-print-directory test-sqlite
	@if [ -n "$$MAMORI_TEST_DATABASE_URL" ]; then $(MAKE) --no-print-directory test-postgres; fi

test-sqlite: $(STAMP)
	MAMORI_DATA_DIR=$(CURDIR)/build/test-data-sqlite DATABASE_URL= $(BIN)/pytest -p no:cacheprovider -n $(TEST_WORKERS)

## test-future: every test again on SQLite with the clock a year ahead of the real today (any test or
## code that only works near the suite's fixed date fails); MAMORI_TEST_TODAY=YYYY-MM-DD picks the day
test-future: $(STAMP)
	@day="$${MAMORI_TEST_TODAY:-$$($(BIN)/python -c 'import datetime as d; print(d.date.today() + d.timedelta(days=365))')}"; \
	echo "test-future: the clock is at $$day (MAMORI_TEST_TODAY=$$day to repeat)"; \
	MAMORI_TEST_TODAY=$$day MAMORI_DATA_DIR=$(CURDIR)/build/test-data-future DATABASE_URL= $(BIN)/pytest -p no:cacheprovider -n $(TEST_WORKERS)

## pgclient: PostgreSQL's client tools (pg_dump, pg_restore) for backups on PostgreSQL (installed once, when missing)
pgclient:
	@if ! command -v pg_dump >/dev/null || ! command -v pg_restore >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-client >/dev/null; \
	  else \
	    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-client >/dev/null; \
	  fi; \
	fi

test-postgres: $(STAMP) pgclient
	MAMORI_DATA_DIR=$(CURDIR)/build/test-data-pg MAMORI_DB_CONN_MAX_AGE=0 DATABASE_URL=$$MAMORI_TEST_DATABASE_URL $(BIN)/pytest -p no:cacheprovider -n $(TEST_WORKERS)

## lint: ruff, the import contract (layers, no cycles: pyproject [tool.importlinter]), mypy on the
## core, the scanner and the platform, and no missing migration
lint: $(STAMP)
	$(BIN)/ruff check mamori tests benchmarks
	$(BIN)/ruff format --check mamori tests benchmarks
	$(BIN)/lint-imports --no-cache
	MAMORI_DATA_DIR=$(CURDIR)/build/check-data $(BIN)/mypy mamori/core mamori/scan mamori/platform
	MAMORI_DATA_DIR=$(CURDIR)/build/check-data $(BIN)/python manage.py makemigrations --check --dry-run >/dev/null

format: $(STAMP)
	$(BIN)/ruff format mamori tests benchmarks
	$(BIN)/ruff check --fix mamori tests benchmarks

## messages: refresh the translation catalogues and compile them
messages: $(STAMP)
	cd mamori && ../$(BIN)/python ../manage.py makemessages -l ja -l en --no-obsolete
	$(BIN)/python -m mamori.i18n_compile

BENCH_STAMP := $(VENV)/.bench-installed
$(BENCH_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	touch $(BENCH_STAMP)

## bench: the benchmarks (scanner speed and accuracy, pages, then the load run; results also in build/bench/)
bench: $(BENCH_STAMP)
	MAMORI_DATA_DIR=$(CURDIR)/build/bench-data $(BIN)/python -m benchmarks.run
	$(MAKE) --no-print-directory bench-load

## bench-load: `mamori serve` under load on loopback, SQLite then PostgreSQL (when it answers at
## MAMORI_BENCH_LOAD_DATABASE_URL): 1 client, then MAMORI_BENCH_CLIENTS (50) × MAMORI_BENCH_SECONDS (60)
bench-load: $(STAMP)
	MAMORI_DATA_DIR=$(CURDIR)/build/bench-data $(BIN)/python -m benchmarks.load

## openapi: regenerate the committed OpenAPI document (a test compares it with the code)
openapi: $(STAMP)
	MAMORI_DATA_DIR=$(CURDIR)/build/check-data $(BIN)/mamori openapi docs/openapi.json

clean:
	rm -rf $(VENV) build
