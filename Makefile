# The commands the README names. `make run` and `make test` set up everything they need.
SHELL := /bin/bash
UV ?= $(shell command -v uv 2>/dev/null || echo "$(HOME)/.local/bin/uv")
PY := .venv/bin/python

.PHONY: run test setup lint format bench bench-import bench-dashboards bench-dossier bench-upgrade loadtest

run: setup
	$(PY) manage.py migrate --no-input
	$(PY) manage.py prepare_local
	bin/run

test: setup
	$(PY) manage.py makemigrations --check --dry-run
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/pytest $(PYTEST_ARGS)

setup:
	@bin/setup

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check .

format:
	.venv/bin/ruff check --fix . && .venv/bin/ruff format .

bench-import: setup
	bin/bench-import

bench-dashboards: setup
	bin/bench-dashboards --postgres

bench-dossier: setup
	bin/bench-dossier

bench-upgrade: setup
	bin/bench-upgrade

bench: bench-import bench-dashboards bench-dossier bench-upgrade

# 20 users for 150 s against gunicorn on 127.0.0.1: LOADTEST_ARGS="--postgres --duration 60"
loadtest: setup
	bin/loadtest $(LOADTEST_ARGS)
