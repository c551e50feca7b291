# Two commands for a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
PYTHON ?= python3
RUNTIME_STAMP := $(VENV)/.runtime-installed
DEV_STAMP := $(VENV)/.dev-installed
# Every dependency, direct or not, at the exact version tested (refresh: make lock).
LOCK := requirements.lock
ADVOCACY_TEST_POSTGRES_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
export ADVOCACY_TEST_POSTGRES_URL

.PHONY: run port-free services test lint test-sqlite test-postgres chromium vnu java translations compiled-translations clean lock mutation bench bench-scales bench-purge wrk

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(RUNTIME_STAMP): pyproject.toml $(LOCK) | $(BIN)/python
	$(BIN)/pip install --quiet -c $(LOCK) -e .
	touch $@

$(DEV_STAMP): pyproject.toml $(LOCK) | $(BIN)/python
	$(BIN)/pip install --quiet -c $(LOCK) -e '.[dev]'
	touch $(RUNTIME_STAMP) $@

## make lock: pin every dependency anew (after a change to pyproject.toml), with uv
lock: $(DEV_STAMP)
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 --upgrade -o $(LOCK)

## make run: install, migrate, seed demo data into an empty database, serve on 127.0.0.1:$${PORT:-8000}
run: export ADVOCACY_ENV ?= development
run: export FLASK_APP := wsgi
run: port-free $(RUNTIME_STAMP) compiled-translations
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo
	@echo "Serving on http://127.0.0.1:$${PORT:-8000}/ (Ctrl+C to stop)"
	$(BIN)/gunicorn -c gunicorn.conf.py wsgi:app

# Before anything else: a port someone already listens on is said plainly, not after an install.
port-free:
	@$(PYTHON) -c "import os, socket, sys; port = int(os.environ.get('PORT', '8000')); \
	taken = socket.socket().connect_ex(('127.0.0.1', port)) == 0; \
	sys.exit(f'Port {port} is already in use on 127.0.0.1. Stop what runs there, or choose another port: PORT=8001 make run') if taken else None"

## make test: install, lint, the whole suite on SQLite, then again on PostgreSQL
test: services $(DEV_STAMP) compiled-translations chromium vnu lint test-sqlite test-postgres
	@echo "make test: ran lint, the SQLite pass$(if $(filter yes,$(POSTGRES_UP)), and the PostgreSQL pass,)$(if $(filter no,$(REDIS_UP)), without the Redis tests (Redis does not answer),)$(if $(filter no,$(POSTGRES_UP)),; the PostgreSQL pass did not run (PostgreSQL does not answer),)."

# Which services answer, known before anything runs (a TCP connection is enough to tell).
answers = $(shell $(PYTHON) -c "import socket; print('yes' if socket.socket().connect_ex(('127.0.0.1', $(1))) == 0 else 'no')")
REDIS_UP := $(call answers,6379)
POSTGRES_UP := $(call answers,5432)

# One sentence each, at the start, for a service that does not answer; with CI=true, stop.
services:
ifeq ($(REDIS_UP),no)
	@echo "Redis does not answer at 127.0.0.1:6379: the Redis tests (limits shared across workers, a Redis outage) will not run."
	@if [ "$${CI:-}" = "true" ]; then echo "Failing: CI needs Redis (.ci/run starts it)."; exit 1; fi
endif
ifeq ($(POSTGRES_UP),no)
	@echo "PostgreSQL does not answer at 127.0.0.1:5432: the PostgreSQL pass will not run."
	@if [ "$${CI:-}" = "true" ]; then echo "Failing: CI needs PostgreSQL (.ci/run starts it)."; exit 1; fi
endif

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Test processes keep compiled modules (and pytest's rewritten test modules) on disk even
# where the environment says not to: each worker of both passes would compile them again.
test-sqlite test-postgres: export PYTHONDONTWRITEBYTECODE :=

# Without Redis (outside CI) the tests that need it are left out, as said at the start.
test-sqlite: $(DEV_STAMP) compiled-translations
	$(BIN)/pytest -n auto --dist worksteal $(if $(filter no,$(REDIS_UP)),-m "not redis",)

# The database-facing tests again on PostgreSQL (the test database is created if missing;
# tests that use no database are left out: tests/conftest.py).
test-postgres: $(DEV_STAMP) compiled-translations
ifeq ($(POSTGRES_UP),yes)
	$(BIN)/python -m tests.postgres_available
	ADVOCACY_TEST_DATABASE_URL="$(ADVOCACY_TEST_POSTGRES_URL)" \
	  $(BIN)/pytest -n auto --dist worksteal -m "not browser and not sqlite_only$(if $(filter no,$(REDIS_UP)), and not redis,)"
endif

chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  echo "Installing Debian's Chromium for the browser tests (apt-get)..."; \
	  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }; then \
	    echo "Could not install Chromium. Install the Debian package 'chromium' (as root:"; \
	    echo "apt-get install chromium) so /usr/bin/chromium exists, then run make test again."; \
	    exit 1; \
	  fi; \
	fi

# The W3C Nu HTML checker of tests/test_html_valid.py: the npm package vnu-jar at the version
# pinned in tools/vnu/package-lock.json, installed into tools/vnu/node_modules (git ignores
# it), and Java to run it (Debian's default-jre-headless, installed when java is missing).
VNU_JAR := tools/vnu/node_modules/vnu-jar/build/dist/vnu.jar
vnu: java $(VNU_JAR)

$(VNU_JAR): tools/vnu/package.json tools/vnu/package-lock.json
	@if ! command -v npm >/dev/null; then \
	  echo "Installing Debian's npm for the HTML checker (apt-get)..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm || { \
	    echo "Could not install npm. Install the Debian package 'npm' (as root:"; \
	    echo "apt-get install npm), then run make test again."; exit 1; }; \
	fi
	npm ci --prefix tools/vnu --no-audit --no-fund --ignore-scripts --silent
	touch $@

java:
	@if ! command -v java >/dev/null; then \
	  echo "Installing Debian's Java for the HTML checker (apt-get)..."; \
	  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless; }; then \
	    echo "Could not install Java. Install the Debian package 'default-jre-headless' (as root:"; \
	    echo "apt-get install default-jre-headless), then run make test again."; \
	    exit 1; \
	  fi; \
	fi

## make mutation [DOMAINS="security events"]: mutation testing, a score per domain (slow; not in CI)
mutation: $(DEV_STAMP) compiled-translations
	$(BIN)/python -m tools.mutation $(DOMAINS)

## make bench [BENCH_SCALE=0.1 BENCH_ROUNDS=1 BENCH_SECONDS=5 BENCH_PAGES=events,notices]:
## every page of issue 17 on the product and a bare-Flask baseline, side by side (bench/README.md)
bench: $(RUNTIME_STAMP) compiled-translations wrk
	$(BIN)/python -m bench.run

## make bench-scales [BENCH_SCALE=1 BENCH_PAGES=events …]: the product on data of that size and
## of a tenth of it, side by side: CPU per request at each (issue 17: within 10 %)
bench-scales: $(RUNTIME_STAMP) compiled-translations wrk
	$(BIN)/python -m bench.scales

## make bench-purge [BENCH_PURGE_ROWS=100000 BENCH_SCALE=0.1 BENCH_DATABASE_URL=…]: members
## reading while a purge deletes a million expired rows, beside the same reading without one
bench-purge: $(RUNTIME_STAMP) wrk
	$(BIN)/python -m bench.purge_readers

# The load generator of make bench: Debian's wrk, installed when missing (as chromium is).
wrk:
	@if ! command -v wrk >/dev/null; then \
	  echo "Installing Debian's wrk for make bench (apt-get)..."; \
	  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }; then \
	    echo "Could not install wrk. Install the Debian package 'wrk' (as root:"; \
	    echo "apt-get install wrk), then run make bench again."; \
	    exit 1; \
	  fi; \
	fi

# Catalogues: every messages.po under advocacy/translations is a language the site offers.
# Its compiled messages.mo is built here, from the .po, never committed (README: Languages).
CATALOGUES := $(wildcard advocacy/translations/*/LC_MESSAGES/messages.po)
COMPILED := $(CATALOGUES:.po=.mo)
# Every way the code marks a string: _ gettext ngettext pgettext npgettext (Babel's
# defaults) and Flask-Babel's lazy ones.
KEYWORDS := -k _l -k lazy_gettext -k lazy_ngettext:1,2 -k lazy_pgettext:1c,2

## make compiled-translations: the .mo files the site reads (run and test build them)
compiled-translations: $(COMPILED)

advocacy/translations/%/LC_MESSAGES/messages.mo: advocacy/translations/%/LC_MESSAGES/messages.po | $(RUNTIME_STAMP)
	$(BIN)/pybabel compile --statistics -l $* -i $< -o $@

## make translations: extract every marked string, then bring every catalogue up to date
## (new strings empty, gone ones dropped, never guessed from a similar one)
translations: $(DEV_STAMP)
	$(BIN)/pybabel extract -F babel.cfg $(KEYWORDS) --add-location=file --sort-output \
	  --width=100 --project advocacy -o advocacy/translations/messages.pot .
	$(BIN)/pybabel update -i advocacy/translations/messages.pot -d advocacy/translations \
	  --width=100 --no-fuzzy-matching --ignore-obsolete
	$(MAKE) compiled-translations
	@echo "A new language: $(BIN)/pybabel init -i advocacy/translations/messages.pot -d advocacy/translations -l LANG"

clean:
	rm -rf $(VENV) instance/*.sqlite3* .mutation tools/vnu/node_modules $(COMPILED)
