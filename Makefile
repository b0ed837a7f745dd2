# The two fresh-machine commands are `make demo` and `make test`; both create .venv when missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PORT ?= 8000
export LSOPLAN_HOME ?= $(HOME)/.local/share/lsoplan

.PHONY: venv demo test lint typecheck test-sqlite test-postgres bench loadtest lock clean

venv: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $(STAMP)

demo: venv
	PORT=$(PORT) $(BIN)/lsoplan demo

lint: venv
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	@! grep -rlE "^\s*(from|import) django" src/lsoplan/lib || (echo "lib/ must not import Django" && false)

typecheck: venv
	$(BIN)/mypy

# Tests run on a throwaway LSOPLAN_HOME so they never touch the demo database.
test-sqlite: venv
	LSOPLAN_HOME=$$(mktemp -d) $(BIN)/pytest -n 2 --dist loadfile -q

# Runs when LSOPLAN_TEST_DATABASE_URL names a PostgreSQL server (.ci/run starts one).
test-postgres: venv
	@if [ -n "$$LSOPLAN_TEST_DATABASE_URL" ]; then \
	  echo "== PostgreSQL =="; \
	  LSOPLAN_HOME=$$(mktemp -d) DATABASE_URL=$$LSOPLAN_TEST_DATABASE_URL \
	    $(BIN)/pytest -n 2 --dist loadfile -q -m "not browser" --ignore=tests/lib; \
	else echo "LSOPLAN_TEST_DATABASE_URL is not set: the PostgreSQL run is skipped (.ci/run sets it)."; fi

test: lint typecheck test-sqlite test-postgres

bench: venv
	$(BIN)/python benchmarks/run_all.py

# 50 users against gunicorn + a throwaway PostgreSQL on loopback, 60 s (needs PostgreSQL's binaries).
loadtest: venv
	$(BIN)/python benchmarks/load/run_load.py

# Re-pin: resolve pyproject's dependencies afresh and write requirements.lock.
lock:
	rm -rf /tmp/lsoplan-lock && $(PYTHON) -m venv /tmp/lsoplan-lock
	/tmp/lsoplan-lock/bin/pip install --quiet ".[dev,bench]"
	/tmp/lsoplan-lock/bin/pip freeze --exclude-editable | grep -v "^lsoplan" > requirements.lock

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
