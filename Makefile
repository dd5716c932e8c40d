# Kneecap: two commands on a fresh machine.
#   make run   installs into .venv and starts Kneecap
#   make test  installs the dev dependencies and runs every check
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint typecheck pytest bench bench-memory clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.dev-installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@ $(VENV)/.installed

run: $(VENV)/.installed
	$(BIN)/kneecap start

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

typecheck: $(VENV)/.dev-installed
	$(BIN)/mypy

pytest: $(VENV)/.dev-installed
	$(BIN)/pytest

test: lint typecheck pytest

bench: $(VENV)/.dev-installed
	$(BIN)/python bench/import_bench.py

bench-memory: $(VENV)/.dev-installed
	$(BIN)/python bench/import_bench.py --year 0 --memory-gb 1

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
