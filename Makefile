# Woonkans for Odoo: developer commands. `make help` lists them.
# Everything runs with the project's .venv (made by `make setup`, which every
# target below runs first; its second run takes about a second).
#
# Overridable: DB (make run/reset, default woonkans_demo), PORT (make run,
# default 8069), WORKERS (make run: 0 = one threaded process, the default;
# N = N HTTP workers plus the websocket process on GEVENT_PORT, default 8072,
# as in production), ADDONS (comma-separated add-ons), ADDONS_PATH_EXTRA (more
# addons folders), ODOO_SRC (an Odoo 19 source tree), BENCH_DB, PG* variables.

SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv
PY := $(VENV)/bin/python
PG := tools/pg.sh

DB ?= woonkans_demo
PORT ?= 8069
WORKERS ?= 0
GEVENT_PORT ?= 8072
export DB PORT WORKERS GEVENT_PORT

.PHONY: help setup run reset test pytest-odoo lint i18n bench

help: ## Show this help
	@echo "Woonkans for Odoo"
	@echo
	@grep -E '^[a-z0-9]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-7s %s\n", $$1, $$2}'
	@echo
	@echo "Variables: DB=$(DB) PORT=$(PORT) WORKERS=$(WORKERS) GEVENT_PORT=$(GEVENT_PORT) ADDONS, ADDONS_PATH_EXTRA, ODOO_SRC, PGHOST/PGPORT/PGUSER/PGPASSWORD"

setup: ## Create/update .venv with Odoo 19 and the requirements (idempotent)
	@tools/setup_env.sh

run: setup ## Start Odoo with the add-ons and demo data on http://localhost:PORT (database DB; WORKERS=N for production mode)
	@$(PG) tools/run.sh

reset: setup ## Drop the demo database DB and its filestore
	@$(PG) tools/reset.sh

test: setup ## Run all tests on a throwaway database; ends with "N passed, M failed"
	@$(PG) $(PY) tools/run_tests.py

pytest-odoo: setup ## The add-ons' tests under pytest-odoo (throwaway database, or PYTEST_ODOO_DB)
	@$(PG) tools/pytest_odoo.sh

lint: setup ## pre-commit on all files, then validate docker/docker-compose.yml
	@$(PY) tools/gen_readme.py
	@$(VENV)/bin/pre-commit run --all-files --show-diff-on-failure; rc=$$?; \
	if command -v docker-compose >/dev/null 2>&1; then \
		docker-compose -f docker/docker-compose.yml config -q && echo "docker/docker-compose.yml: valid" || rc=1; \
	else \
		echo "WARNING: docker-compose is not installed: docker/docker-compose.yml not validated" >&2; \
	fi; \
	exit $$rc

i18n: setup ## Export i18n/<module>.pot and merge it into i18n/nl.po
	@$(PG) tools/i18n.sh

bench: setup ## Run every bench/*.py against a prepared database
	@$(PG) tools/bench.sh
