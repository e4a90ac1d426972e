# Federal Front Door navigator. `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
export PORT

.DEFAULT_GOAL := help

.PHONY: help
help: ## List the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  %-14s %s\n", $$1, $$2}'

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

.PHONY: deps
deps: $(BIN)/python ## Install the app and its Python dependencies into .venv
	$(BIN)/pip install --quiet -e .

.PHONY: test-deps
test-deps: $(BIN)/python ## Install test dependencies, and Debian chromium and fonts for browser tests
	$(BIN)/pip install --quiet -e '.[test]'
	@if ! command -v chromium >/dev/null || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK" \
	    || ! fc-list 2>/dev/null | grep -qi "Noto Sans Arabic"; then \
	  echo "Installing Debian chromium and the fonts for Chinese, Korean, Arabic and Vietnamese (needs root)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    chromium fonts-noto-core fonts-noto-cjk fonts-dejavu-core fontconfig >/dev/null; \
	fi

.PHONY: assets
assets: ## Install USWDS, htmx and axe-core from npm and copy them into navigator/static/vendor
	npm ci --no-audit --no-fund --loglevel=error
	./scripts/vendor-assets.sh

LOCALES := es zh_Hans zh_Hant vi ko fil ar ru ht fr pt
EXTRACT := $(BIN)/pybabel extract -F babel.cfg -k _ -k gettext -k ngettext:1,2 \
	--add-comments=Translators: --sort-by-file --no-wrap --omit-header

.PHONY: i18n-extract
i18n-extract: deps ## Extract interface, question and index text into translations/*.pot
	$(EXTRACT) -o translations/messages.pot . >/dev/null
	$(BIN)/navigator translations extract-content

.PHONY: i18n-update
i18n-update: deps ## Merge the templates into every language's catalog (new text, changed text marked fuzzy)
	@for loc in $(LOCALES); do for dom in messages content; do \
	  if [ -f translations/$$loc/LC_MESSAGES/$$dom.po ]; then \
	    flock translations/$$loc/LC_MESSAGES/.$$dom.lock \
	      $(BIN)/pybabel -q update --no-wrap --previous -D $$dom -i translations/$$dom.pot -d translations -l $$loc; \
	  else \
	    $(BIN)/pybabel -q init --no-wrap -D $$dom -i translations/$$dom.pot -d translations -l $$loc; \
	  fi; done; done

.PHONY: i18n-compile
i18n-compile: deps ## Compile the interface catalogs (.mo) and check their syntax
	$(BIN)/navigator translations compile

.PHONY: i18n-check
i18n-check: deps ## Fail when a template is stale, a placeholder differs, or coverage dropped
	$(BIN)/navigator translations check

.PHONY: db
db: deps i18n-compile ## Create, migrate and seed the database, translations included (idempotent)
	$(BIN)/navigator init-db
	$(BIN)/navigator seed

.PHONY: setup
setup: deps assets db ## Everything the app needs to run

.PHONY: run
run: setup ## Set up and serve on http://127.0.0.1:$PORT (default 5000)
	$(BIN)/navigator serve --host 127.0.0.1 --port $(PORT)

.PHONY: validate
validate: deps ## Check every data file and golden scenario
	$(BIN)/navigator validate

.PHONY: lint
lint: test-deps ## ruff and mypy
	$(BIN)/ruff check navigator life_experiences services_index tests benchmarks
	$(BIN)/mypy

.PHONY: test
test: setup test-deps ## Set up and run the whole test suite, browser tests included
	$(BIN)/ruff check navigator life_experiences services_index tests benchmarks
	$(BIN)/mypy
	$(BIN)/navigator validate
	$(BIN)/navigator translations check
	$(BIN)/navigator stats
	$(BIN)/navigator translations status
	$(BIN)/pytest

.PHONY: bench
bench: setup test-deps ## Throughput and latency of question and plan pages against hello world
	$(BIN)/python benchmarks/pages.py

.PHONY: load
load: setup test-deps ## 200 people at once through whole life experiences, against hello world (60 s each)
	$(BIN)/python benchmarks/load.py
