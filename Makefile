# The two commands a newcomer types: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STORE ?= $(or $(LABOURGRAPH_STORE),var/store)
HOST ?= 127.0.0.1
PORT ?= 5000
export LABOURGRAPH_STORE := $(STORE)

.PHONY: run test bench lint setup browser jemalloc graph vendor clean

run: setup jemalloc graph ## build the graph from data/ if needed, then serve it with uWSGI
	$(BIN)/labourgraph serve --store $(STORE) --host $(HOST) --port $(PORT)

test: setup browser jemalloc ## every test, browser tests included
	$(BIN)/python -m pytest -q

bench: setup jemalloc ## speed and memory figures (see README "Benchmarks")
	$(BIN)/python tests/bench/run_all.py

lint: setup
	$(BIN)/ruff check graph web tests
	$(BIN)/ruff format --check graph web tests

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip setuptools wheel
	$(BIN)/pip install -q -e '.[test]' ruff
	touch $@

# Ingest is idempotent and skips records whose content has not changed, so running it on
# every `make run` only costs a re-read of data/.
graph: setup
	$(BIN)/labourgraph ingest --store $(STORE) data/

browser: ## Debian's Chromium for the Playwright tests (never a downloaded browser build)
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

jemalloc: ## Debian's jemalloc, which `labourgraph serve` preloads (queries cost a sixth less CPU)
	@/sbin/ldconfig -p | grep -q libjemalloc.so || { \
	  echo "Installing Debian's libjemalloc2 for the server"; \
	  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libjemalloc2 >/dev/null; } || \
	  echo "Could not install libjemalloc2: the server will run with glibc's malloc (slower)"; }

vendor: ## re-vendor front-end libraries from npm into web/static/vendor
	bash web/static/vendor.sh

clean:
	rm -rf $(VENV) var *.egg-info
