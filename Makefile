# The two commands of the quick start: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install lint messages e2e scan bench bench-load clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Optional dependency groups, each installed once per change of pyproject.toml.
.PRECIOUS: $(VENV)/.installed-%
$(VENV)/.installed-%: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,$*]'
	touch $@

## Serve the portal with demo data at http://127.0.0.1:8000 (SQLite, no services needed).
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py runserver 127.0.0.1:8000

## Lint, then the whole suite (PostgreSQL when DATABASE_URL is set, SQLite otherwise).
test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## Regenerate and compile the translation catalogs (needs GNU gettext).
messages: install
	$(BIN)/python manage.py makemessages --all --no-location --ignore=.venv --ignore=tests
	$(BIN)/python manage.py compilemessages --ignore=.venv

## Real-browser journeys on a phone viewport (Debian's chromium), axe-core, JavaScript off.
## Screenshots go to artifacts/e2e/. Uses DATABASE_URL's PostgreSQL server when set.
e2e: $(VENV)/.installed-e2e
	$(BIN)/pytest tests/e2e -m e2e -p no:cacheprovider

## Security and type scans: bandit, pip-audit, mypy with django-stubs.
scan: $(VENV)/.installed-scan
	$(BIN)/bandit -c pyproject.toml -r . -ll -q
	$(BIN)/mypy aseq_portal members coverage privacy
	.ci/audit-deps

## Instructions per request of every member page and of a peer beside us (callgrind,
## PostgreSQL + Redis; the same counts run after run). Needs valgrind and a C compiler.
bench: install
	$(BIN)/python bench/instructions.py

## Load and page weight: gunicorn + PostgreSQL + 10,000 demo members, locust at 8 users
## (requests per second and p95 move with whatever else the machine runs).
bench-load: $(VENV)/.installed-bench
	$(BIN)/python bench/pages.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache staticfiles
