# Akhbar — the two set-up commands are `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
CHROMIUM ?= /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test test-js install install-test chromium nginx varnish migrate demo admin-password lint format typecheck serve clean
WORKERS ?= $(shell echo $$(( $$(nproc) * 2 + 1 )))
# Background-job worker processes started beside the web server (manage.py worker).
JOB_WORKERS ?= 1

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo --create-admin
	$(BIN)/python manage.py setup_newsletters
	$(BIN)/python manage.py load_live_demo

run: demo
	@echo ""
	@echo "  Akhbar is starting on http://$(HOST):$(PORT)/"
	@echo "  Admin (Arabic): http://$(HOST):$(PORT)/admin/"
	@echo "  Log in as 'admin' with the password printed above the first time;"
	@echo "  set a new one any time with: make admin-password"
	@echo "  (or create another administrator: $(BIN)/python manage.py createsuperuser)"
	@echo "  Background jobs: one worker beside the web server (stops with it)."
	@echo ""
	@$(BIN)/python manage.py worker & worker=$$!; \
	trap 'kill -TERM $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# Production serving: gunicorn, compressed + fingerprinted static files, DEBUG off.
# Configure with environment variables (see docs/deploy.md), e.g. AKHBAR_SECRET_KEY,
# AKHBAR_ALLOWED_HOSTS, AKHBAR_HTTPS=1, DATABASE_URL, REDIS_URL.
serve: migrate
	AKHBAR_MANIFEST_STATIC=1 $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	@echo "Serving Akhbar with gunicorn ($(WORKERS) gthread workers) on http://$(HOST):$(PORT)/"
	@echo "(loopback by default: put the shipped nginx, deploy/nginx/akhbar.conf, in front)"
	@echo "and $(JOB_WORKERS) background-job worker(s) (manage.py worker; stop with the server)"
	@pids=""; for i in $$(seq 1 $(JOB_WORKERS)); do \
		AKHBAR_MANIFEST_STATIC=1 $(BIN)/python manage.py worker & pids="$$pids $$!"; \
	done; \
	trap 'kill -TERM $$pids 2>/dev/null; wait $$pids 2>/dev/null' EXIT INT TERM; \
	AKHBAR_MANIFEST_STATIC=1 $(BIN)/gunicorn akhbar.wsgi -c deploy/gunicorn/akhbar.conf.py \
		--bind $(HOST):$(PORT) --workers $(WORKERS)

admin-password: install
	$(BIN)/python manage.py changepassword admin

# Debian's chromium for the browser tests; never a browser downloaded by a test tool.
chromium:
	@if [ ! -x "$(CHROMIUM)" ]; then \
		echo "Installing Debian's chromium for the browser tests..."; \
		$(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	fi

# Debian's nginx for the reverse-proxy test (docs/deploy.md's configuration, on loopback).
nginx:
	@if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then \
		echo "Installing Debian's nginx for the deployment test..."; \
		$(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx; \
	fi

# Debian's varnish + varnish-modules (xkey) for the edge-cache test (deploy/varnish/akhbar.vcl).
varnish:
	@if ! { command -v varnishd || [ -x /usr/sbin/varnishd ]; } >/dev/null || \
		! ls /usr/lib/*/varnish/vmods/libvmod_xkey.so >/dev/null 2>&1; then \
		echo "Installing Debian's varnish and varnish-modules for the edge-cache test..."; \
		$(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq varnish varnish-modules; \
	fi


# axe-core (npm, pinned in tests/package.json + package-lock.json) for the accessibility tests;
# installed into the git-ignored tests/node_modules, used by tests only, never served.
tests/node_modules/.installed: tests/package.json tests/package-lock.json
	@command -v npm >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm; }
	npm ci --prefix tests --no-audit --no-fund --ignore-scripts --loglevel=error
	touch $@

test-js: tests/node_modules/.installed

test: install-test chromium nginx varnish test-js
	$(BIN)/pytest

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# mypy over akhbar/ ([tool.mypy] in pyproject.toml lists the modules not yet clean).
typecheck: install-test
	$(BIN)/mypy

clean:
	rm -rf $(VENV) var tests/artifacts .pytest_cache
