# Two commands on a fresh machine: `make run` and `make test`. Every target installs what it needs.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
TOOLS := .tools
SAM_VENV := $(TOOLS)/sam
DDB_VERSION := 2.9.30
DDB_DIR := $(TOOLS)/dynamodb-local-$(DDB_VERSION)
DDB_JAR := $(DDB_DIR)/package/emulator/DynamoDBLocal.jar
STAMP := $(VENV)/.installed

export SAM_CLI_TELEMETRY := 0
export LOYALTY_DYNAMODB_LOCAL_JAR := $(abspath $(DDB_JAR))

.PHONY: openapi help smoke run test test-unit test-integration test-e2e lint typecheck cfn-lint build bench clean

help:
	@echo "make run    - start the whole local stack and serve the API at http://127.0.0.1:$${PORT:-3000}"
	@echo "make test   - run every test (unit, integration, e2e)"
	@echo "make lint   - ruff, mypy and cfn-lint"
	@echo "make build  - sam validate --lint and sam build"
	@echo "make bench  - benchmarks, printing figures"
	@echo "make smoke API=https://... [ORIGIN=https://...] - check a deployed stage (health, JWKS, preflight, 401)"

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

$(DDB_JAR):
	@command -v java >/dev/null || (apt-get update -qq && apt-get install -y -qq openjdk-17-jre-headless)
	@command -v npm >/dev/null || (apt-get update -qq && apt-get install -y -qq npm)
	mkdir -p $(DDB_DIR)
	cd $(DDB_DIR) && npm pack --silent amplify-dynamodb-simulator@$(DDB_VERSION) >/dev/null && \
		tar xzf amplify-dynamodb-simulator-$(DDB_VERSION).tgz package/emulator && \
		rm amplify-dynamodb-simulator-$(DDB_VERSION).tgz
	test -f $@

deps: $(STAMP) $(DDB_JAR)

run: deps
	$(BIN)/loyalty-local run --port $${PORT:-3000}

test: deps
	$(BIN)/pytest -q -p no:cacheprovider

test-unit: $(STAMP)
	$(BIN)/pytest -q tests/unit

test-integration: deps
	$(BIN)/pytest -q tests/integration

test-e2e: deps
	$(BIN)/pytest -q tests/e2e

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	@# Every handler is a module named `app`, so mypy checks them one at a time.
	for f in functions/*/app.py; do $(BIN)/mypy --no-error-summary $$f || exit 1; done
	$(BIN)/cfn-lint template.yaml

$(SAM_VENV)/bin/sam:
	$(PYTHON) -m venv $(SAM_VENV)
	$(SAM_VENV)/bin/pip install --quiet aws-sam-cli

build: $(SAM_VENV)/bin/sam
	$(SAM_VENV)/bin/sam validate --lint --region eu-west-1
	$(SAM_VENV)/bin/sam build --region eu-west-1

smoke: $(STAMP)
	@test -n "$(API)" || (echo "usage: make smoke API=https://<api-id>.execute-api.<region>.amazonaws.com [ORIGIN=<dashboard origin>]"; exit 2)
	$(BIN)/python -m loyalty_local.smoke "$(API)" $(if $(ORIGIN),--origin "$(ORIGIN)")

bench: deps
	$(BIN)/python -m bench

openapi: $(STAMP)
	TABLE_NAME=openapi $(BIN)/loyalty-local openapi -o functions/openapi/openapi.json

clean:
	rm -rf $(VENV) $(TOOLS) .aws-sam .local .pytest_cache .mypy_cache .ruff_cache
