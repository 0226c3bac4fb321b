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
# uv installs the locked dependencies (uv.lock); it comes from PyPI into its own virtualenv under .tools/.
UV_VERSION := 0.13.9
UV := $(TOOLS)/uv/bin/uv
LAYER_REQUIREMENTS := layers/loyalty/requirements.txt
# The layer ships the project's own dependencies, pinned and hashed, and nothing the Lambda runtime provides.
EXPORT_LAYER := { echo "\# Exported from uv.lock by make lock: edit pyproject.toml, never this file."; \
	$(UV) export --frozen --no-emit-project --format requirements-txt --no-header --quiet; }
# Swagger UI's script and stylesheet, served by the openapi function at /api/docs (no CDN): copied from the npm
# package into the function's folder, so `sam build` ships them and the local stack serves them.
SWAGGER_UI_VERSION := 5.32.1
SWAGGER_UI_DIR := functions/openapi/swagger-ui
SWAGGER_UI := $(SWAGGER_UI_DIR)/.version-$(SWAGGER_UI_VERSION)
WEB_MODULES := web/node_modules/.installed
WEB_DIST := web/dist/index.html
WEB_SOURCES := $(shell find web/src -type f) web/index.html web/vite.config.ts web/tsconfig.json web/package.json
CHROMIUM := /usr/bin/chromium

export SAM_CLI_TELEMETRY := 0
export UV_PYTHON_DOWNLOADS := never
export LOYALTY_DYNAMODB_LOCAL_JAR := $(abspath $(DDB_JAR))

.PHONY: openapi client web deploy-web help deps lock lock-check smoke run test test-unit test-integration test-e2e test-web test-browser lint typecheck cfn-lint build bench clean

help:
	@echo "make run    - start the whole local stack and serve the API and the web apps at http://127.0.0.1:$${PORT:-3000}"
	@echo "make test   - run every test (web unit, unit, integration, e2e, browser)"
	@echo "make lint   - ruff, import-linter (the layers), mypy, cfn-lint and the web apps' tsc"
	@echo "make build  - sam validate --lint and sam build"
	@echo "make bench  - benchmarks, printing figures"
	@echo "make lock   - re-resolve uv.lock after a change to pyproject.toml and export the layer's requirements"
	@echo "make smoke API=https://... [ORIGIN=https://...] - check a deployed stage (health, JWKS, preflight, 401)"

$(UV):
	$(PYTHON) -m venv $(TOOLS)/uv
	$(TOOLS)/uv/bin/pip install --quiet uv==$(UV_VERSION)

# Exactly what uv.lock says (--frozen: never re-resolved here), the project itself editable.
$(STAMP): pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --all-extras --python $(PYTHON)
	touch $@

lock: $(UV)
	$(UV) lock --python $(PYTHON)
	$(EXPORT_LAYER) > $(LAYER_REQUIREMENTS)

# Fails when pyproject.toml changed without `make lock`, or when the layer's requirements are not the export.
lock-check: $(UV)
	$(UV) lock --check --python $(PYTHON)
	$(EXPORT_LAYER) | diff -u $(LAYER_REQUIREMENTS) - || \
		(echo "$(LAYER_REQUIREMENTS) is stale: run make lock" && exit 1)
	@# The runtime brings boto3/botocore; a vendored copy in the layer would shadow it (docs/decisions/0006).
	! grep -qiE '^(boto3|botocore|aws-xray-sdk)==' $(LAYER_REQUIREMENTS) || \
		(echo "$(LAYER_REQUIREMENTS) would vendor the AWS SDK into the layer" && exit 1)

$(DDB_JAR):
	@command -v java >/dev/null || (apt-get update -qq && apt-get install -y -qq openjdk-17-jre-headless)
	@command -v npm >/dev/null || (apt-get update -qq && apt-get install -y -qq npm)
	mkdir -p $(DDB_DIR)
	cd $(DDB_DIR) && npm pack --silent amplify-dynamodb-simulator@$(DDB_VERSION) >/dev/null && \
		tar xzf amplify-dynamodb-simulator-$(DDB_VERSION).tgz package/emulator && \
		rm amplify-dynamodb-simulator-$(DDB_VERSION).tgz
	test -f $@

$(SWAGGER_UI):
	@command -v npm >/dev/null || (apt-get update -qq && apt-get install -y -qq npm)
	rm -rf $(SWAGGER_UI_DIR) && mkdir -p $(SWAGGER_UI_DIR)
	cd $(SWAGGER_UI_DIR) && npm pack --silent swagger-ui-dist@$(SWAGGER_UI_VERSION) >/dev/null && \
		tar xzf swagger-ui-dist-$(SWAGGER_UI_VERSION).tgz --strip-components=1 \
			package/swagger-ui-bundle.js package/swagger-ui.css package/LICENSE package/NOTICE && \
		rm swagger-ui-dist-$(SWAGGER_UI_VERSION).tgz
	touch $@

deps: $(STAMP) $(DDB_JAR) $(SWAGGER_UI)

$(WEB_MODULES): web/package-lock.json
	@command -v npm >/dev/null || (apt-get update -qq && apt-get install -y -qq npm)
	cd web && npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The web apps (web/dist), rebuilt when their sources change; the local gateway serves them.
$(WEB_DIST): $(WEB_MODULES) $(WEB_SOURCES)
	cd web && npm run --silent build
	touch $@

web: $(WEB_DIST)

# Regenerate the app's API types from the OpenAPI document (a web test fails when they are stale).
client: $(WEB_MODULES)
	cd web && npm run --silent client

# Debian's Chromium for the browser tests, with a colour emoji font so tier icons show in their screenshots.
$(CHROMIUM):
	apt-get update -qq && apt-get install -y -qq chromium fonts-noto-color-emoji

run: deps web
	$(BIN)/loyalty-local run --port $${PORT:-3000}

test: deps web $(CHROMIUM)
	cd web && npx vitest run
	$(BIN)/pytest -q -p no:cacheprovider

test-web: $(WEB_MODULES)
	cd web && npx vitest run

test-browser: deps web $(CHROMIUM)
	$(BIN)/pytest -q tests/browser

test-unit: $(STAMP)
	$(BIN)/pytest -q tests/unit

test-integration: deps
	$(BIN)/pytest -q tests/integration

test-e2e: deps
	$(BIN)/pytest -q tests/e2e

lint: $(STAMP) lock-check $(WEB_MODULES)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy
	@# Every handler is a module named `app`, so mypy checks them one at a time.
	for f in functions/*/app.py; do $(BIN)/mypy --no-error-summary $$f || exit 1; done
	@# No handler imports an adapter: import-linter cannot see the function folders (not packages).
	$(BIN)/python -m loyalty_local.tools.handler_imports functions
	$(BIN)/cfn-lint template.yaml
	cd web && npx tsc --noEmit

$(SAM_VENV)/bin/sam:
	$(PYTHON) -m venv $(SAM_VENV)
	$(SAM_VENV)/bin/pip install --quiet aws-sam-cli

# Our own code ships compiled: Lambda's /opt and /var/task are read-only, so code left as source is compiled again
# on every cold start. The runtime's Python (3.11) writes the bytecode; `unchecked-hash` keeps it valid whatever
# times the zip gives the sources.
RUNTIME_PYTHON ?= $(shell command -v python3.11 || echo $(PYTHON))

build: $(SAM_VENV)/bin/sam $(SWAGGER_UI)
	$(SAM_VENV)/bin/sam validate --lint --region eu-west-1
	$(SAM_VENV)/bin/sam build --region eu-west-1
	test ! -e .aws-sam/build/LoyaltyLayer/python/botocore || (echo "the built layer vendors botocore" && exit 1)
	$(RUNTIME_PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11) and "make build needs Python 3.11")'
	$(RUNTIME_PYTHON) -m compileall -q --invalidation-mode unchecked-hash \
		.aws-sam/build/LoyaltyLayer/python/loyalty .aws-sam/build/*Function
	du -sh .aws-sam/build/LoyaltyLayer

smoke: $(STAMP)
	@test -n "$(API)" || (echo "usage: make smoke API=https://<api-id>.execute-api.<region>.amazonaws.com [ORIGIN=<dashboard origin>]"; exit 2)
	$(BIN)/python -m loyalty_local.tools.smoke "$(API)" $(if $(ORIGIN),--origin "$(ORIGIN)")

bench: deps web
	$(BIN)/python -m bench

openapi: $(STAMP)
	TABLE_NAME=openapi $(BIN)/loyalty-local openapi -o functions/openapi/openapi.json

# The built web apps to the stack's bucket, with the sign-in config, then a CloudFront invalidation.
deploy-web: web $(STAMP)
	$(BIN)/python infra/deploy_web.py --stack-name $${STACK_NAME:-loyalty-dev} --region $${AWS_REGION:-eu-west-1}

clean:
	rm -rf $(VENV) $(TOOLS) .aws-sam .local .pytest_cache .mypy_cache .ruff_cache .import_linter_cache \
		web/node_modules web/dist test-artifacts
