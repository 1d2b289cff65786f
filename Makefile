# Dosewise: two commands. `make run` starts the app (demo person if the database is empty);
# `make test` sets up and runs lint (ruff, strict mypy on src/) + the whole test suite.
#
# Two install steps, each remembered by a stamp file in .venv: `make run` installs only what the app
# needs (.installed); `make test`, `make lint` and `make bench` add the development tools (.installed-dev:
# pytest, ruff, mypy, Playwright...). pip prints what it is doing, so a first run shows its progress.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
PYTEST_WORKERS ?= 2

.PHONY: run test lint bench install clean

$(BIN)/python:
	@echo "Creating $(VENV) ..."
	$(PY) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	@echo "Installing Dosewise and the libraries it needs into $(VENV) (the first time takes a few minutes) ..."
	$(BIN)/pip install --disable-pip-version-check --progress-bar on -e .
	touch $(STAMP)

$(DEV_STAMP): $(STAMP) pyproject.toml
	@echo "Installing the development tools (pytest, ruff, mypy, Playwright) ..."
	$(BIN)/pip install --disable-pip-version-check --progress-bar on -e ".[dev]"
	touch $(DEV_STAMP)

install: $(DEV_STAMP)

run: $(STAMP)
	$(BIN)/dosewise serve --load-demo-if-empty

test: $(DEV_STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy src/dosewise
	$(BIN)/pytest -q -n $(PYTEST_WORKERS)

lint: $(DEV_STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy src/dosewise

bench: $(DEV_STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
