# council-bot — every target sets itself up from nothing.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The locks pin every dependency, transitive ones included, with hashes (see README, "Reproducible
# installs"). requirements.lock: what the bot needs to run; requirements-dev.lock: that plus the tools.
LOCK := requirements.lock
DEV_LOCK := requirements-dev.lock
# uv resolves the locks; only `make lock` needs it, in its own venv.
UV_VENV := .venv-uv
UV := $(UV_VENV)/bin/uv
UV_COMPILE := $(UV) pip compile pyproject.toml --universal --python-version 3.11 --generate-hashes --quiet

.PHONY: demo test lint typecheck unit bench clean lock lock-upgrade

$(STAMP): pyproject.toml $(LOCK) $(DEV_LOCK)
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "need $(PYTHON)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r $(DEV_LOCK)
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

$(UV):
	$(PYTHON) -m venv $(UV_VENV)
	$(UV_VENV)/bin/python -m pip install --quiet 'uv>=0.5,<1'

# Resolve both locks from pyproject.toml after a dependency was added or changed: versions already
# locked are kept. `make lock-upgrade` moves every package to the newest version its range allows.
# The runtime lock is constrained by the dev lock: production runs exactly the versions tested.
lock: $(UV)
	$(UV_COMPILE) --extra dev $(UPGRADE) -o $(DEV_LOCK)
	$(UV_COMPILE) --constraint $(DEV_LOCK) -o $(LOCK)

lock-upgrade:
	$(MAKE) lock UPGRADE=--upgrade

demo: $(STAMP)
	$(BIN)/council-bot demo --out demo-output

lint: $(STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

typecheck: $(STAMP)
	$(BIN)/mypy

# The suite runs in parallel (pytest-xdist). Most of its time is spent waiting (real bot processes,
# the sandbox over HTTP), so one worker more than the 2 CPUs we have measured fastest (README, "Tests").
# `make unit PYTEST_WORKERS=0` runs it in one process; `PYTEST_ARGS="-m 'not slow'"` skips the slow tests.
PYTEST_WORKERS ?= 3
PYTEST_ARGS ?=

unit: $(STAMP)
	$(BIN)/pytest -q -n $(PYTEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

test: lint typecheck unit

bench: $(STAMP)
	$(BIN)/python -m benchmarks.run --out benchmarks/results

clean:
	rm -rf $(VENV) $(UV_VENV) .mypy_cache .pytest_cache .ruff_cache demo-output
