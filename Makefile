# marm: the same commands locally and in CI. Needs only Python 3.11+ and make.
PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
export PATH := $(BIN):$(PATH)
PIP_QUIET := --quiet --disable-pip-version-check
# One test worker per core (pytest-xdist); PYTEST_PARALLEL= runs the suite in one process.
PYTEST_PARALLEL ?= -n auto --dist worksteal

.PHONY: demo test setup lint checks ci lock bench-setup sbom clean

## demo: set everything up, load demo data, run the web server and the worker on 127.0.0.1:8000
demo: setup
	$(BIN)/python manage.py demo

## test: set everything up and run the test suite (SQLite unless DATABASE_URL says otherwise)
test: setup
	$(BIN)/pytest $(PYTEST_PARALLEL)

setup: $(VENV)/.installed build/static/.built

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "marm needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)

# Every package pinned with the hashes of its files (ADR 0023): pip refuses anything else.
# The production set first, on its own; then the test and lint tools. The locks list every
# dependency, so pip installs exactly them (--no-deps) and pip check proves nothing is missing.
$(VENV)/.installed: requirements/production.txt requirements/dev.txt | $(BIN)/python
	$(BIN)/python -m pip install $(PIP_QUIET) --require-hashes --no-deps -r requirements/production.txt
	$(BIN)/python -m pip check
	$(BIN)/python -m pip install $(PIP_QUIET) --require-hashes --no-deps -r requirements/dev.txt
	$(BIN)/python -m pip check
	touch $@

node_modules/.installed: package-lock.json $(VENV)/.installed
	$(BIN)/npm ci --no-audit --no-fund --loglevel=error
	touch $@

build/static/.built: node_modules/.installed scripts/build_assets.py $(wildcard assets/*)
	$(BIN)/python scripts/build_assets.py
	touch $@

## lint: ruff, the import rules, Django's checks, migrations in step with models, the data-access rule
lint: setup
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/python scripts/check_data_access.py
	$(BIN)/python manage.py check --fail-level WARNING
	$(BIN)/python manage.py makemigrations --check --dry-run

## lock: re-pin after changing pyproject.toml (keeps other pins; make lock LOCK_ARGS=--upgrade moves them all)
# requirements/production.txt: the runtime dependencies and all they need; requirements/dev.txt: the
# test and lint tools, resolved against production.txt and listing only what it lacks;
# requirements/bench.txt: the load benchmark's tools, resolved against both and listing only what
# they lack. Each holds a hash for every file of each pinned release, for any platform and Python 3.11 or newer.
LOCK_ARGS ?=
UV_COMPILE = $(BIN)/uv pip compile pyproject.toml --universal --python-version 3.11 --generate-hashes \
	--custom-compile-command 'make lock' --quiet $(LOCK_ARGS)
lock: $(VENV)/.installed
	$(UV_COMPILE) -o requirements/production.txt
	$(UV_COMPILE) --extra dev -c requirements/production.txt -o requirements/dev.txt \
	  $$(sed -n 's/^\([A-Za-z0-9._-]*\)==.*/--no-emit-package \1/p' requirements/production.txt)
	$(UV_COMPILE) --extra bench -c requirements/production.txt -c requirements/dev.txt -o requirements/bench.txt \
	  $$(sed -n 's/^\([A-Za-z0-9._-]*\)==.*/--no-emit-package \1/p' requirements/production.txt requirements/dev.txt)

## bench-setup: add the load benchmark's tools (requirements/bench.txt) to the virtual environment
# Never part of setup or CI: only benchmarks/load/ needs them (ADR 0029).
bench-setup: $(VENV)/.installed
	$(BIN)/python -m pip install $(PIP_QUIET) --require-hashes --no-deps -r requirements/bench.txt
	$(BIN)/python -m pip check

## sbom: a CycloneDX SBOM of the production dependencies in build/sbom.cdx.json (works offline)
# Built from the lock, which has no dependency graph: silence the warning that says so.
SBOM_FILE ?= build/sbom.cdx.json
sbom: $(VENV)/.installed
	mkdir -p $(dir $(SBOM_FILE))
	PYTHONWARNINGS='ignore:The Component this BOM is describing' $(BIN)/cyclonedx-py requirements \
	  requirements/production.txt --pyproject pyproject.toml --of JSON --output-reproducible -o $(SBOM_FILE)

clean:
	rm -rf $(VENV) node_modules build
