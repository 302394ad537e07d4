# chaos-lab: every user-facing command. `make help` lists them all.
SHELL := /bin/bash
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

NODE        ?= node
RUN_DIR     ?= run
RESULTS_DIR ?= results
export RUN_DIR RESULTS_DIR

# Benchmarks register themselves here from the included files; `make bench` runs them all.
BENCH_TARGETS :=

help: ## List every target with what it does
	@awk 'BEGIN {FS = ":.*?## "} /^[a-zA-Z0-9_.-]+:.*?## / {printf "  \033[36m%-22s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

setup: ## Install what a fresh machine lacks (Debian packages, npm packages from the lockfile)
	@scripts/setup.sh

node_modules/.installed: package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

build: node_modules/.installed ## Bundle backend, runner, reports and every scenario into dist/ with esbuild
	@$(NODE) build.mjs

typecheck: node_modules/.installed ## Type-check Node code, and k6 scripts against @types/k6
	npx tsc -p tsconfig.json
	npx tsc -p loadtests/tsconfig.json

lint: node_modules/.installed ## ESLint over the whole tree
	npx eslint --max-warnings=0 .

TEST_FILES = $(shell find backend loadtests k8s scripts bench -name '*.test.ts' -not -path '*/node_modules/*' 2>/dev/null | sort)

test-unit: build ## Run every test file with Node's test runner (real servers, real PostgreSQL/Prometheus/Chromium)
	$(NODE) --import tsx --test --test-concurrency=1 --test-timeout=600000 $(TEST_FILES)

test: typecheck lint test-unit ## Everything CI checks: type-check, lint and all tests

clean: ## Remove build output, run state and results
	rm -rf dist $(RUN_DIR) $(RESULTS_DIR)

include $(sort $(wildcard mk/*.mk))

bench: build $(BENCH_TARGETS) ## Run every benchmark and print side-by-side ratios

.PHONY: help setup build typecheck lint test-unit test clean bench
