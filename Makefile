# The two commands of the quick start: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install lint lock messages e2e scan bench bench-load mutation coverage clean

# requirements.lock pins every package of every extra (pip-compile, `make lock`): the
# same versions on every machine. It constrains what is installed; it adds nothing.
$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Optional dependency groups, each installed once per change of pyproject.toml.
.PRECIOUS: $(VENV)/.installed-%
$(VENV)/.installed-%: $(STAMP)
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[dev,$*]'
	touch $@

## Pin every dependency again after a change to pyproject.toml (needs the package index).
lock: install
	$(BIN)/python -m pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --all-extras --strip-extras --no-header --no-emit-index-url \
		--no-emit-find-links --output-file=requirements.lock pyproject.toml

## Serve the portal with demo data (SQLite, no services needed), both brands:
## http://aseq.localhost:8000 (French) and http://studentcare.localhost:8000 (English).
## Another port: make run PORT=8080.
PORT ?= 8000
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py migrate --database keystore --noinput
	$(BIN)/python manage.py seed_demo --port $(PORT)
	PORT=$(PORT) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

## Lint and import contracts, then the whole suite (PostgreSQL when DATABASE_URL is set,
## SQLite otherwise).
test: lint
	$(BIN)/pytest

## The fast checks: ruff, the formatter, the import contracts (pyproject.toml).
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

## Regenerate and compile the translation catalogs (needs GNU gettext).
messages: install
	$(BIN)/python manage.py makemessages --all --no-location --ignore=.venv --ignore=tests --ignore=bench
	$(BIN)/python manage.py compilemessages --ignore=.venv

## Real-browser journeys on a phone viewport (Debian's chromium), axe-core, JavaScript off.
## Screenshots go to artifacts/e2e/. Uses DATABASE_URL's PostgreSQL server when set.
## Then the W3C Nu HTML Checker (vnu-jar from npm, run with java) over every page visited.
VNU_JAR := $(VENV)/vnu/node_modules/vnu-jar/build/dist/vnu.jar
$(VNU_JAR):
	npm install --prefix $(VENV)/vnu --no-audit --no-fund --silent vnu-jar

e2e: $(VENV)/.installed-e2e $(VNU_JAR)
	VNU_JAR=$(VNU_JAR) $(BIN)/pytest tests/e2e -m e2e -p no:cacheprovider

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

## Mutation testing (mutmut, one module at a time against its own tests): prints the share
## of mutants killed per module. MUTATION_TIME_LIMIT caps each module (seconds, default 900);
## `make mutation MODULES=crypto` runs one. Not part of make test.
mutation: $(VENV)/.installed-proof
	$(BIN)/python tools/mutation.py $(MODULES)

## Line and branch coverage of the suite per app (slipcover: our coverage/ app shadows
## coverage.py). SQLite unless DATABASE_URL is set, like make test.
coverage: $(VENV)/.installed-proof
	$(BIN)/python tools/coverage_report.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache staticfiles mutants
