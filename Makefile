# Akhbar — the two set-up commands are `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
CHROMIUM ?= /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test install install-test chromium migrate demo admin-password lint format serve bench clean

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

admin-password: install
	$(BIN)/python manage.py changepassword admin

# Debian's chromium for the browser tests; never a browser downloaded by a test tool.
chromium:
	@if [ ! -x "$(CHROMIUM)" ]; then \
		echo "Installing Debian's chromium for the browser tests..."; \
		$(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	fi

test: install-test chromium
	$(BIN)/pytest

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) var tests/artifacts .pytest_cache
