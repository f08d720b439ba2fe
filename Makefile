# Tripartite — the two set-up commands are `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PYTEST_ARGS ?=
# Two test processes (pytest-xdist): each has its own test database and live server.
PYTEST_WORKERS ?= 2

.PHONY: demo test lint typecheck check openapi-snapshot messages chromium wrk bench screenshots system soak security clean

# Runtime install (demo) and dev install (tests, lint) are stamped separately.
$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -U pip
	$(BIN)/pip install -q --disable-pip-version-check -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -U pip
	$(BIN)/pip install -q --disable-pip-version-check -e '.[dev]'
	touch $@ $(VENV)/.installed

node_modules/axe-core/axe.min.js: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

chromium:
	@command -v chromium >/dev/null || [ -x "$${CHROMIUM:-/usr/bin/chromium}" ] || \
	  ($(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q chromium)

demo: $(VENV)/.installed
	DATABASE_URL=sqlite:///$(CURDIR)/var/demo.sqlite3 $(BIN)/tripartite demo --data-dir var

# pytest exits 5 when it collects nothing; that is not a failure of the set-up.
test: $(VENV)/.installed-dev node_modules/axe-core/axe.min.js chromium
	$(BIN)/python -m pytest -q -n $(PYTEST_WORKERS) $(PYTEST_ARGS); rc=$$?; [ $$rc -eq 5 ] && exit 0; exit $$rc

wrk:
	@command -v wrk >/dev/null || ($(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q wrk)

# Bounded in time, loopback only; writes docs/BENCHMARKS.md.
bench: $(VENV)/.installed-dev wrk
	$(BIN)/python -m bench $(BENCH_ARGS)

# On loopback: sqlmap on every parameterised endpoint, bandit, check --deploy, and the CSRF,
# XSS and access-control tests (docs/subsystems/security.md, "Testing it").
security: $(VENV)/.installed-dev
	@command -v sqlmap >/dev/null || ($(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q sqlmap)
	$(BIN)/python scripts/security.py $(SECURITY_ARGS)

# The production server and worker as real processes: SIGKILL fault injection, database
# faults, several servers (SQLite and PostgreSQL; docs/reliability.md).
system: $(VENV)/.installed-dev
	$(BIN)/python -m pytest -q -p no:cacheprovider -m system tests/system -s $(PYTEST_ARGS)

# Mixed reads and writes at 64 connections against the production server (wrk).
soak: $(VENV)/.installed-dev wrk
	$(BIN)/python scripts/soak.py $(SOAK_ARGS)

# Full-page PNGs of every page type in en/es/fr from the demo data, into var/screenshots/.
screenshots: $(VENV)/.installed-dev chromium
	$(BIN)/python scripts/screenshots.py $(SCREENSHOTS_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy src/tripartite

check: lint typecheck test

openapi-snapshot: $(VENV)/.installed-dev
	$(BIN)/python scripts/openapi_snapshot.py

messages: $(VENV)/.installed-dev
	cd src/tripartite && ../../$(BIN)/tripartite manage makemessages -l es -l fr --no-obsolete --ignore 'tests/*'
	cd src/tripartite && ../../$(BIN)/tripartite manage compilemessages

clean:
	rm -rf $(VENV) node_modules var .pytest_cache .mypy_cache .ruff_cache
