# Akhbar — the two set-up commands are `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
CHROMIUM ?= /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: axe run test install install-test chromium nginx migrate demo admin-password lint format serve bench clean
WORKERS ?= $(shell echo $$(( $$(nproc) * 2 + 1 )))

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

run: demo
	@echo ""
	@echo "  Akhbar is starting on http://$(HOST):$(PORT)/"
	@echo "  Admin (Arabic): http://$(HOST):$(PORT)/admin/"
	@echo "  Log in as 'admin' with the password printed above the first time;"
	@echo "  set a new one any time with: make admin-password"
	@echo "  (or create another administrator: $(BIN)/python manage.py createsuperuser)"
	@echo ""
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# Production serving: gunicorn, compressed + fingerprinted static files, DEBUG off.
# Configure with environment variables (see docs/deploy.md), e.g. AKHBAR_SECRET_KEY,
# AKHBAR_ALLOWED_HOSTS, AKHBAR_HTTPS=1, DATABASE_URL, REDIS_URL.
serve: migrate
	AKHBAR_MANIFEST_STATIC=1 $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	@echo "Serving Akhbar with gunicorn ($(WORKERS) workers) on http://$(HOST):$(PORT)/"
	AKHBAR_MANIFEST_STATIC=1 $(BIN)/gunicorn akhbar.wsgi --bind $(HOST):$(PORT) \
		--workers $(WORKERS) --access-logfile - --forwarded-allow-ips 127.0.0.1

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

# axe-core from npm (pinned in package.json/package-lock.json, tests only, git-ignored
# node_modules/) for the accessibility tests; they fail with a clear message without it.
axe:
	@if [ ! -f node_modules/axe-core/axe.min.js ]; then \
		command -v npm >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm; }; \
		npm ci --no-audit --no-fund --ignore-scripts || echo "npm could not install axe-core: the accessibility tests will fail"; \
	fi

test: install-test chromium nginx axe
	$(BIN)/pytest

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) var tests/artifacts .pytest_cache
