# The local deployment: the supervisor (backend/src/bin/supervisor.ts) runs REPLICAS replicas of the poll
# service on one API port, in the background, with its pid, log and chaos token in RUN_DIR.
# Override on the command line: make up PORT=31080 MGMT_PORT=19464 REPLICAS=3 DATABASE_URL=postgres://...

PORT         ?= 30080
MGMT_PORT    ?= 9464
REPLICAS     ?= 2
DATABASE_URL ?=

SUPERVISOR_JS  := dist/backend/supervisor.js
SUPERVISOR_PID  = $(RUN_DIR)/supervisor.pid
SUPERVISOR_LOG  = $(RUN_DIR)/supervisor.log
# The ports `make up` used, so status/down/chaos targets find the running supervisor without repeating them.
SUPERVISOR_ENV  = $(RUN_DIR)/supervisor.env
CHAOS_TOKEN_FILE = $(RUN_DIR)/chaos-token

BACKEND_SOURCES := $(shell find backend/src -name '*.ts' -not -name '*.test.ts' 2>/dev/null)

# Exit status 0 when the pid file names a live process.
supervisor_alive = { test -f $(SUPERVISOR_PID) && kill -0 "$$(cat $(SUPERVISOR_PID))" 2>/dev/null; }

$(SUPERVISOR_JS): $(BACKEND_SOURCES) build.mjs node_modules/.installed
	@$(NODE) build.mjs --quiet

up: $(SUPERVISOR_JS) ## Start the poll service locally in the background (REPLICAS replicas on PORT), wait until ready, cast a vote
	@mkdir -p $(RUN_DIR)
	@if $(supervisor_alive); then \
	  . "$(abspath $(SUPERVISOR_ENV))"; \
	  echo "already up (pid $$(cat $(SUPERVISOR_PID))): http://localhost:$$PORT  (management http://localhost:$$MGMT_PORT)"; \
	  echo "results: curl -s http://localhost:$$PORT/api/polls/default"; \
	  curl -sS "http://localhost:$$PORT/api/polls/default"; echo; \
	  exit 0; \
	fi; \
	token="$${CHAOS_TOKEN:-$$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')}"; \
	(umask 077 && printf '%s\n' "$$token" > $(CHAOS_TOKEN_FILE)); \
	printf 'PORT=%s\nMGMT_PORT=%s\n' '$(PORT)' '$(MGMT_PORT)' > $(SUPERVISOR_ENV); \
	PORT='$(PORT)' MGMT_PORT='$(MGMT_PORT)' REPLICAS='$(REPLICAS)' DATABASE_URL='$(DATABASE_URL)' \
	  SQLITE_PATH="$${SQLITE_PATH:-$(RUN_DIR)/polls.db}" CHAOS_TOKEN="$$token" \
	  setsid $(NODE) $(SUPERVISOR_JS) >> $(SUPERVISOR_LOG) 2>&1 < /dev/null & \
	echo $$! > $(SUPERVISOR_PID); \
	pid=$$(cat $(SUPERVISOR_PID)); \
	echo "starting the supervisor (pid $$pid, $(REPLICAS) replicas, log $(SUPERVISOR_LOG))"; \
	for i in $$(seq 1 150); do \
	  if curl -fsS -o /dev/null "http://127.0.0.1:$(MGMT_PORT)/readyz" 2>/dev/null; then break; fi; \
	  if ! kill -0 $$pid 2>/dev/null; then \
	    echo "the supervisor exited during start-up; last log lines:"; tail -n 20 $(SUPERVISOR_LOG); \
	    rm -f $(SUPERVISOR_PID); exit 1; \
	  fi; \
	  sleep 0.2; \
	done; \
	if ! curl -fsS -o /dev/null "http://127.0.0.1:$(MGMT_PORT)/readyz"; then \
	  echo "not ready after 30 s (still running as pid $$pid); see $(SUPERVISOR_LOG)"; exit 1; \
	fi; \
	echo "up: http://localhost:$(PORT)  (management http://localhost:$(MGMT_PORT), admin token in $(CHAOS_TOKEN_FILE))"; \
	echo "vote:    curl -s -X POST -H 'content-type: application/json' -d '{\"option\":\"Go\"}' http://localhost:$(PORT)/api/polls/default/vote"; \
	curl -sS -X POST -H 'content-type: application/json' -d '{"option":"Go"}' "http://localhost:$(PORT)/api/polls/default/vote"; echo; \
	echo "results: curl -s http://localhost:$(PORT)/api/polls/default"; \
	curl -sS "http://localhost:$(PORT)/api/polls/default"; echo

down: ## Stop the local poll service (graceful: every replica drains first)
	@if ! $(supervisor_alive); then echo "not running"; rm -f $(SUPERVISOR_PID); exit 0; fi; \
	pid=$$(cat $(SUPERVISOR_PID)); kill -TERM $$pid; \
	for i in $$(seq 1 300); do kill -0 $$pid 2>/dev/null || break; sleep 0.1; done; \
	if kill -0 $$pid 2>/dev/null; then echo "supervisor (pid $$pid) still running after 30 s; see $(SUPERVISOR_LOG)"; exit 1; fi; \
	rm -f $(SUPERVISOR_PID); echo "stopped (pid $$pid)"

status: ## Show the local replicas: pid, state, readiness, restarts, age
	@if ! $(supervisor_alive); then echo "not running (make up starts it)"; exit 0; fi; \
	. "$(abspath $(SUPERVISOR_ENV))"; \
	echo "supervisor pid $$(cat $(SUPERVISOR_PID)), API http://localhost:$$PORT, management http://localhost:$$MGMT_PORT"; \
	CHAOS_TOKEN="$$(cat $(CHAOS_TOKEN_FILE))" MGMT_PORT="$$MGMT_PORT" $(NODE) $(SUPERVISOR_JS) status

logs: ## Follow the local supervisor's log (JSON lines from the supervisor and every replica)
	@test -f $(SUPERVISOR_LOG) || { echo "no log yet at $(SUPERVISOR_LOG) (make up starts the service)"; exit 1; }
	tail -n 50 -F $(SUPERVISOR_LOG)

.PHONY: up down status logs
