# marm: the same commands locally and in CI. Needs only Python 3.11+ and make.
PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
export PATH := $(BIN):$(PATH)
PIP_QUIET := --quiet --disable-pip-version-check
# One test worker per core (pytest-xdist); PYTEST_PARALLEL= runs the suite in one process.
PYTEST_PARALLEL ?= -n auto --dist worksteal

.PHONY: demo test setup lint checks ci lock clean

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

$(VENV)/.installed: requirements/lock.txt | $(BIN)/python
	$(BIN)/python -m pip install $(PIP_QUIET) -r requirements/lock.txt
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

## lock: re-pin every Python package after changing pyproject.toml
lock: $(BIN)/python
	$(BIN)/python -m pip install $(PIP_QUIET) -e '.[dev]'
	{ echo "# Every package marm installs, pinned. Regenerate with: make lock"; \
	  $(BIN)/python -m pip freeze --exclude-editable | grep -v '^marm'; } > requirements/lock.txt

clean:
	rm -rf $(VENV) node_modules build
