# The two commands a newcomer needs: `make demo` and `make test`.
SHELL := /bin/bash
ENV := source scripts/env.sh &&

.PHONY: setup demo demo-destroy test lint check bench reliability conformance emulator-stop

setup:
	@bash scripts/setup.sh

demo: setup
	@bash scripts/demo.sh

demo-destroy: setup
	@bash scripts/demo-destroy.sh

test:
	@bash scripts/setup.sh --for-tests
	@$(ENV) python -m pytest -q

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
	@.venv/bin/python -c "from pathlib import Path; from pulumi_modelstudio.settings.embedded_emulator import stop_emulator; stop_emulator(Path('.state/emulator'))"
