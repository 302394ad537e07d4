# Reports: turn every results/*.ndjson[.gz] (k6 --out json, from k6 or the runner) into HTML + Markdown.

REPORT_JS := dist/report/report.js
REPORT_SOURCES := $(shell find loadtests/report/src loadtests/report/bin -name '*.ts' -not -name '*.test.ts' 2>/dev/null) loadtests/lib/contract.ts

# node_modules is order-only (as for the experiments): a lockfile another engineer just changed must not
# trigger npm ci on the way to a report.
$(REPORT_JS): $(REPORT_SOURCES) build.mjs | node_modules/.installed
	@$(NODE) build.mjs --quiet

report: $(REPORT_JS) ## Build results/<scenario>.html/.md for every results/*.ndjson plus results/index.html (PROMETHEUS_URL adds server-side series)
	$(NODE) $(REPORT_JS) --results-dir $(RESULTS_DIR)

bench-report: | node_modules/.installed ## Benchmark: streaming report reader memory vs reading the whole file, on a large generated NDJSON
	$(NODE) --import tsx loadtests/report/bench/stream.bench.ts

BENCH_TARGETS += bench-report

.PHONY: report bench-report
