# The experiments: typed k6 scenarios (loadtests/scenarios) run against the local deployment or a cluster.
# Every knob is an env variable the scenario reads (RATE, DURATION, SMOKE=1, FAULT_DELAY_MS, SLO_P95_MS, ...;
# see loadtests/lib/config.ts), so `make chaos-latency SMOKE=1 FAULT_DELAY_MS=300` just works.
#   TARGET=local   (default) build if needed, `make up` if the supervisor is not running, run with $(K6)
#   TARGET=cluster cluster bundles (dist/cluster, xk6-disruptor) against BASE_URL (NodePort), kubectl scales
# Each run writes results/<scenario>.json (summary), .junit.xml and .ndjson, and exits non-zero when a
# prediction fails (k6 exit code 99).

TARGET ?= local
K8S_NS ?= poll-app
KUBECTL ?= kubectl
K8S_DEPLOYMENT ?= poll-backend
# A k6 v1.3.x binary with xk6-disruptor v0.3.17 compiled in (make k6-disruptor builds one for users with Go).
K6_DISRUPTOR ?= bin/k6-disruptor

# The engine: the cluster needs the disruptor build; locally $(K6) from mk/runner.mk (k6 when installed, else our
# runner). Recursive on purpose: runner.mk is included after this file, so K6 is read when a recipe runs.
LOADTEST_K6 = $(if $(filter cluster,$(TARGET)),$(K6_DISRUPTOR),$(or $(K6),$(if $(shell command -v k6 2>/dev/null),k6,$(NODE) dist/runner/cli.js)))
LOADTEST_ENGINE = $(if $(findstring dist/runner/cli.js,$(LOADTEST_K6)),chaoslab-k6run,$(notdir $(firstword $(LOADTEST_K6))))

LOADTEST_SOURCES := $(shell find loadtests/lib loadtests/scenarios loadtests/runner -name '*.ts' -not -name '*.test.ts' 2>/dev/null)
LOADTEST_STAMP := dist/.loadtests-built

# node_modules is order-only: a lockfile another engineer just changed must not trigger npm ci mid-experiment.
$(LOADTEST_STAMP): $(LOADTEST_SOURCES) build.mjs | node_modules/.installed
	@$(NODE) build.mjs --quiet
	@touch $@

# $(call experiment,<bundle>,<result name>): one experiment run, local or cluster.
define experiment
	@mkdir -p $(RESULTS_DIR)
	@set -u; \
	bundle='dist/$(1).js'; \
	if [ '$(TARGET)' = cluster ]; then \
	  [ -f 'dist/cluster/$(1).js' ] && bundle='dist/cluster/$(1).js'; \
	  [ -x '$(K6_DISRUPTOR)' ] || { echo "TARGET=cluster needs a k6 with xk6-disruptor at $(K6_DISRUPTOR) (make k6-disruptor, or set K6_DISRUPTOR=...)" >&2; exit 2; }; \
	  base="$${BASE_URL:-http://localhost:30080}"; mgmt="$${MGMT_URL:-}"; token="$${CHAOS_TOKEN:-}"; \
	else \
	  if ! { $(supervisor_alive); }; then $(MAKE) --no-print-directory up >/dev/null || exit 1; fi; \
	  . "$(abspath $(SUPERVISOR_ENV))"; \
	  base="$${BASE_URL:-http://localhost:$$PORT}"; mgmt="$${MGMT_URL:-http://localhost:$$MGMT_PORT}"; \
	  token="$${CHAOS_TOKEN:-$$(cat $(CHAOS_TOKEN_FILE))}"; \
	fi; \
	echo "experiment $(2): $$bundle against $$base with engine $(LOADTEST_ENGINE) ($(LOADTEST_K6))"; \
	BASE_URL="$$base" MGMT_URL="$$mgmt" CHAOS_TOKEN="$$token" TARGET='$(TARGET)' ENGINE='$(LOADTEST_ENGINE)' \
	  GIT_COMMIT="$$(git rev-parse --short HEAD 2>/dev/null || true)" \
	  $(LOADTEST_K6) run --out json=$(RESULTS_DIR)/$(2).ndjson "$$bundle"; rc=$$?; \
	echo "experiment $(2): exit $$rc (engine $(LOADTEST_ENGINE)); results in $(RESULTS_DIR)/$(2).{json,junit.xml,ndjson}"; \
	if [ -s '$(RESULTS_DIR)/$(2).ndjson' ]; then \
	  $(NODE) dist/report/report.js --results-dir '$(RESULTS_DIR)' >/dev/null \
	    && echo "experiment $(2): report $(RESULTS_DIR)/$(2).html and .md; all runs side by side in $(RESULTS_DIR)/index.html" \
	    || echo "experiment $(2): the report could not be built (make report says why)" >&2; \
	fi; \
	exit $$rc
endef

# Cluster scale-down: kubectl performs the steps on the scenario's timeline while k6 measures.
seconds_of = $(patsubst %s,%,$(1))
SCALE_WARMUP_S = $(call seconds_of,$(or $(WARMUP),$(if $(filter 1 true yes,$(SMOKE)),5,10)))
SCALE_FAULT_S = $(call seconds_of,$(or $(FAULT_DURATION),$(if $(filter 1 true yes,$(SMOKE)),8,30)))
FORCE_RESULT = $(if $(filter 1 true yes on,$(FORCE)),pod-kill-force,pod-kill)

loadtest-baseline: $(LOADTEST_STAMP) ## Experiment: steady 10 req/s for 60 s; predicts error rate < 1 % and p95 under the SLO
	$(call experiment,baseline,baseline)

loadtest-stress: $(LOADTEST_STAMP) ## Experiment: 50 req/s for 2 min (same as k6 run dist/stress.js)
	$(call experiment,stress,stress)

loadtest-spike: $(LOADTEST_STAMP) ## Experiment: 5 -> 100 req/s spike and back; bounded errors during, SLO after
	$(call experiment,spike,spike)

loadtest-breakpoint: $(LOADTEST_STAMP) ## Experiment: ramp START_RATE -> MAX_RATE until the SLO breaks (abortOnFail); prints the highest sustained rate
	$(call experiment,breakpoint,breakpoint)

chaos-kill: $(LOADTEST_STAMP) ## Chaos: kill one replica under 20 req/s (graceful; FORCE=1 = SIGKILL); zero failures / no lost vote, recovery measured
	$(call experiment,pod-kill,$(FORCE_RESULT))

chaos-latency: $(LOADTEST_STAMP) ## Chaos: +500 ms on all replicas for 30 s (TARGET_REPLICAS=1: one replica); p95 follows, then recovers
	$(call experiment,latency,latency)

chaos-errors: $(LOADTEST_STAMP) ## Chaos: 20 % HTTP 500 for 30 s; naive vs retrying (idempotent) clients side by side
	$(call experiment,errors,errors)

ifeq ($(TARGET),cluster)
chaos-scale: $(LOADTEST_STAMP) ## Chaos: replicas 2 -> 1 -> 2 under load; predicts no failed request
	$(require_kubectl)
	$(KUBECTL) -n $(K8S_NS) scale deployment/$(K8S_DEPLOYMENT) --replicas=$(or $(REPLICAS),2)
	$(KUBECTL) -n $(K8S_NS) rollout status deployment/$(K8S_DEPLOYMENT) --timeout=180s
	@( sleep $(SCALE_WARMUP_S) && $(KUBECTL) -n $(K8S_NS) scale deployment/$(K8S_DEPLOYMENT) --replicas=$(or $(SCALE_TO),1) && \
	   sleep $(SCALE_FAULT_S) && $(KUBECTL) -n $(K8S_NS) scale deployment/$(K8S_DEPLOYMENT) --replicas=$(or $(REPLICAS),2) ) & \
	  steps=$$!; trap '$(KUBECTL) -n $(K8S_NS) scale deployment/$(K8S_DEPLOYMENT) --replicas=$(or $(REPLICAS),2) >/dev/null' EXIT; \
	  $(MAKE) --no-print-directory _chaos-scale-run; rc=$$?; wait $$steps; exit $$rc

_chaos-scale-run:
	$(call experiment,scale-down,scale-down)
else
# (same help line as the cluster variant above)
chaos-scale: $(LOADTEST_STAMP)
	$(call experiment,scale-down,scale-down)
endif

CHAOS_ALL = loadtest-baseline chaos-kill chaos-latency chaos-errors chaos-scale

chaos-all: $(LOADTEST_STAMP) ## Every chaos experiment in a row (baseline, kill, latency, errors, scale); fails if any prediction failed
	@failed=''; for t in $(CHAOS_ALL); do \
	  $(MAKE) --no-print-directory $$t || failed="$$failed $$t"; \
	done; \
	if [ -n "$$failed" ]; then echo "chaos-all: predictions failed in:$$failed"; exit 1; fi; \
	echo "chaos-all: every prediction held"

chaos-stop: ## Remove every injected fault and restore the replica count (local supervisor, or TARGET=cluster)
ifeq ($(TARGET),cluster)
	$(require_kubectl)
	@echo "xk6-disruptor faults end with their duration; restoring $(K8S_NS)/$(K8S_DEPLOYMENT) to $(or $(REPLICAS),2) replicas"
	$(KUBECTL) -n $(K8S_NS) scale deployment/$(K8S_DEPLOYMENT) --replicas=$(or $(REPLICAS),2)
else
	@if ! { $(supervisor_alive); }; then echo "chaos-stop: the local deployment is not running; nothing to clear"; exit 0; fi; \
	. "$(abspath $(SUPERVISOR_ENV))"; token="$$(cat $(CHAOS_TOKEN_FILE))"; \
	removed=$$(curl -fsS -X DELETE -H "Authorization: Bearer $$token" "http://127.0.0.1:$$MGMT_PORT/admin/chaos") || exit 1; \
	echo "chaos-stop: faults cleared $$removed"; \
	curl -fsS -o /dev/null -X PUT -H "Authorization: Bearer $$token" -H 'Content-Type: application/json' \
	  -d '{"count":$(or $(REPLICAS),2)}' "http://127.0.0.1:$$MGMT_PORT/admin/replicas" || exit 1; \
	echo "chaos-stop: replicas set to $(or $(REPLICAS),2)"
endif

k6-disruptor: ## Build k6 v1.3.0 with xk6-disruptor v0.3.17 into bin/k6-disruptor (needs Go; for TARGET=cluster)
	@command -v go >/dev/null 2>&1 || { echo "k6-disruptor: Go is required (https://go.dev/dl/)" >&2; exit 127; }
	@mkdir -p $(dir $(K6_DISRUPTOR))
	GOBIN="$(abspath $(dir $(K6_DISRUPTOR)))" go install go.k6.io/xk6/cmd/xk6@v1.1.0
	"$(abspath $(dir $(K6_DISRUPTOR)))/xk6" build v1.3.0 --with github.com/grafana/xk6-disruptor@v0.3.17 --output $(K6_DISRUPTOR)

.PHONY: loadtest-baseline loadtest-stress loadtest-spike loadtest-breakpoint chaos-kill chaos-latency chaos-errors \
	chaos-scale _chaos-scale-run chaos-all chaos-stop k6-disruptor
