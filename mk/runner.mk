# The load engine: real k6 when it is installed, else chaoslab-k6run (our k6-compatible runner).
K6 ?= $(if $(shell command -v k6 2>/dev/null),k6,$(NODE) dist/runner/cli.js)

BENCH_TARGETS += bench-runner

engine: ## Say which load engine K6 uses (real k6 on PATH, else chaoslab-k6run)
	@if [ "$(K6)" = "k6" ]; then echo "K6 = k6 ($$(command -v k6))"; else echo "K6 = $(K6) (chaoslab-k6run: k6 is not on PATH)"; fi

bench-runner: build ## Runner: delivered vs target rate at 50/500/2000 it/s, dropped iterations, CPU per request
	$(NODE) --import tsx loadtests/runner/bench/arrival-rate.ts

.PHONY: engine bench-runner
