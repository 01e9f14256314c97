# hoptac: `make run` (everything up, demo loaded) and `make test` (the whole suite).
SHELL := /bin/bash
HOST ?= 127.0.0.1
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
# Python 3.12: from PATH, or pyenv's, as .python-version pins.
PYTHON312 := $(shell command -v python3.12 2>/dev/null || ls $$HOME/.pyenv/versions/3.12*/bin/python3.12 2>/dev/null | tail -n 1)

.PHONY: setup run test test-setup lint messages demo clean-db browser

$(PY):
	@test -n "$(PYTHON312)" || { echo "Cần Python 3.12 (Python 3.12 is required)"; exit 1; }
	$(PYTHON312) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-test: requirements-test.txt requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-test.txt
	touch $@

## setup: idempotent; creates .venv, installs, compiles translations, migrates, loads units.
setup: $(VENV)/.installed messages
	$(PY) manage.py migrate --noinput
# --- several servers (issue #9): the database cache's table (also made by registry 0003)
	$(PY) manage.py createcachetable
# --- end several servers

# The compiled catalogue is committed, so a machine without gettext still runs in Vietnamese;
# where msgfmt exists it is rebuilt from the .po file.
messages: | $(VENV)/.installed
	@if command -v msgfmt >/dev/null; then $(PY) manage.py compilemessages --ignore=.venv -v 0; fi

## messages-update: refresh the Vietnamese catalogues from the source (then translate the new entries).
## The project's catalogue covers core, geo, registry and fund; apps with their own locale/ keep theirs.
messages-update: | $(VENV)/.installed
	$(PY) manage.py makemessages -l vi --ignore=.venv --ignore=test-artifacts --ignore="*/tests/*" \
	  $$(for d in hoptac/*/locale; do echo --ignore="$$(dirname $$d)/*"; done)
	@for d in hoptac/*/locale; do (cd $$(dirname $$d) && ../../$(PY) ../../manage.py makemessages -l vi --ignore="tests/*"); done

run: setup
	$(PY) manage.py load_demo --if-empty
	@echo ""
	@echo "  hoptac: http://$(HOST):$(PORT)/"
	@$(PY) manage.py demo_logins
	@echo ""
# --- several servers (issue #9): the background worker (Excel imports) runs beside the web
# server; Ctrl-C stops both (docs/deployment.md).
	@$(PY) manage.py db_worker --no-reload & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	  trap 'exit 130' INT TERM; \
	  $(PY) manage.py runserver $(HOST):$(PORT) --noreload
# --- end several servers

## browser: Debian's Chromium for the browser tests (Playwright's own download does not work offline),
## and poppler-utils, with which the report tests render and read back the PDF.
DEBIAN_TEST_PACKAGES := chromium fonts-liberation2 poppler-utils
browser:
	@if [ ! -x /usr/bin/chromium ] || ! command -v pdftoppm >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(DEBIAN_TEST_PACKAGES) >/dev/null; \
	  else echo "Install: sudo apt-get install -y $(DEBIAN_TEST_PACKAGES)"; exit 1; fi; \
	fi

test-setup: $(VENV)/.installed-test messages browser

# The suite runs on every core (pytest-xdist), a test file per worker at a time so that a
# module's demo database is loaded once; PYTEST_ARGS="-n 0" runs it in one process. Browser
# tests flush their database after each test, so they run after the others, in a run of their own.
PYTEST_ARGS ?= -n auto --dist loadfile

test: setup test-setup
	$(VENV)/bin/ruff check hoptac config conftest.py scripts
	$(VENV)/bin/ruff format --check hoptac config conftest.py scripts
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest $(PYTEST_ARGS) -m "not browser"
	$(PY) -m pytest $(PYTEST_ARGS) -m browser

lint: test-setup
	$(VENV)/bin/ruff check hoptac config

# --- bench (issue #9): `make bench` = the national benchmark on PostgreSQL, then the demo benchmarks.
## bench: the national pages through gunicorn on PostgreSQL (bench-national), then server time and
## queries per page on the demo data (bench-demo); see docs/performance.md.
SCALE ?= 0.05
SEED ?= 2016
BENCH_ARGS ?=
.PHONY: bench bench-national bench-demo
bench: bench-national bench-demo

## bench-national: PostgreSQL at 127.0.0.1:5432 (user postgres); the database hoptac_bench_s<SCALE> is
## generated once (generate_national --scale SCALE --seed SEED) and reused; writes bench/results.json.
bench-national: setup
	$(PY) bench/run.py --scale $(SCALE) --seed $(SEED) $(BENCH_ARGS)

bench-demo: setup
	$(PY) manage.py load_demo --if-empty
	$(PY) scripts/bench_registry.py
	$(PY) scripts/bench_report.py
	$(PY) manage.py bench_public
	$(PY) scripts/bench_portal.py
# --- end bench
