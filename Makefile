# The two commands a newcomer needs: `make demo` and `make test`.
SHELL := /bin/bash
ENV := source scripts/env.sh &&

.PHONY: setup demo demo-destroy test test-fast lint check bench reliability conformance emulator-stop

# Parallel pytest workers (pytest-xdist): each has its own emulator, backends and ports. `make test JOBS=1` runs
# serially. One worker more than there are cores: several end-to-end scenarios spend much of their time waiting on
# the emulator's simulated clock (trainings, deployments, scheduled runs), and a waiting worker leaves its core.
JOBS ?= $(shell echo $$(( $$(nproc 2>/dev/null || echo 1) + 1 )))
PYTEST_PARALLEL = $(if $(filter 1,$(JOBS)),,-n $(JOBS) --dist loadgroup)

setup:
	@bash scripts/setup.sh

demo: setup
	@bash scripts/demo.sh

demo-destroy: setup
	@bash scripts/demo-destroy.sh

test:
	@bash scripts/setup.sh --for-tests
	@$(ENV) python -m pytest -q $(PYTEST_PARALLEL)

# The inner loop: unit, client and provider tests, no real CLI (under a minute).
test-fast:
	@bash scripts/setup.sh
	@$(ENV) python -m pytest -q -n auto --dist loadgroup -m "not e2e" tests/unit tests/client tests/resources

lint: setup
	@$(ENV) ruff check . && ruff format --check . && mypy

check: lint test

bench: setup
	@$(ENV) python -m bench

reliability: setup
	@$(ENV) python scripts/reliability.py --cycles 10

conformance: setup
	@bash scripts/conformance.sh

emulator-stop:
	@.venv/bin/modelstudio emulator --stop
