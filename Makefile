# Kneecap: two commands on a fresh machine.
#   make run   installs into .venv and starts the web app (http://127.0.0.1:8765/)
#   make test  installs the dev dependencies and runs every check
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test test-quick coverage lint typecheck pytest fuzz bench bench-memory bench-web bench-write bench-cli bench-clinic bench-pose clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.dev-installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	if command -v npm >/dev/null 2>&1; then npm install --prefix $(VENV)/axe axe-core@4 --no-audit --no-fund --silent; fi
	touch $@ $(VENV)/.installed

run: $(VENV)/.installed
	$(BIN)/kneecap serve

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(VENV)/.dev-installed
	$(BIN)/mypy

# pytest-xdist: a worker per core (PYTEST_WORKERS=0 runs in this one process); a worker that
# runs out of tests takes some of another's, so neither waits idle at the end while the other
# finishes a long browser file (a module's fixtures, e.g. its browser, are then made once in
# each worker that runs it)
PYTEST_WORKERS ?= auto
PYTEST_PARALLEL := -n $(PYTEST_WORKERS) --dist worksteal

pytest: $(VENV)/.dev-installed
	$(BIN)/pytest $(PYTEST_PARALLEL)

# every test but the browser group, for a quick round while working (make test runs them all)
test-quick: $(VENV)/.dev-installed
	$(BIN)/pytest $(PYTEST_PARALLEL) -m "not browser"

test: lint typecheck pytest

# the suite with line and branch coverage of the package (slower: a report, not a gate)
coverage: $(VENV)/.dev-installed
	$(BIN)/pytest $(PYTEST_PARALLEL) --cov=kneecap --cov-branch --cov-report=term:skip-covered

bench: $(VENV)/.dev-installed
	$(BIN)/python bench/import_bench.py

bench-memory: $(VENV)/.dev-installed
	$(BIN)/python bench/import_bench.py --year 0 --memory-gb 1

bench-web: $(VENV)/.dev-installed
	$(BIN)/python bench/web_latency.py

bench-write: $(VENV)/.dev-installed
	$(BIN)/python bench/write_load.py

# kneecap --help and kneecap today against a bare python -c pass (median of 10, as ratios)
bench-cli: $(VENV)/.dev-installed
	$(BIN)/python bench/cli_startup.py

# the suite's fuzz tests with many more cases per importer and per JSON route
fuzz: $(VENV)/.dev-installed
	KNEECAP_FUZZ_EXAMPLES=10000 $(BIN)/pytest tests/integration/test_fuzz_parsers.py tests/e2e/test_fuzz_json.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

# clinic mode on PostgreSQL: 500 runners, 50 clinicians, 4 workers, 5 minutes of mixed load
# the camera form check: pose frames per second and the 20-s side clip end to end (docs/form.md)
bench-pose: $(VENV)/.dev-installed
	$(BIN)/python bench/pose_bench.py

bench-clinic: $(VENV)/.dev-installed
	$(BIN)/python bench/clinic_load.py
