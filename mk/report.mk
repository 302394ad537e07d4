# Reports: turn every results/*.ndjson[.gz] (k6 --out json, from k6 or the runner) into HTML + Markdown.

REPORT_JS := dist/report/report.js

report: build ## Build results/<scenario>.html/.md for every results/*.ndjson plus results/index.html (PROMETHEUS_URL adds server-side series)
	$(NODE) $(REPORT_JS) --results-dir $(RESULTS_DIR)

bench-report: build ## Benchmark: streaming report reader memory vs reading the whole file, on a large generated NDJSON
	$(NODE) --import tsx loadtests/report/bench/stream.bench.ts

BENCH_TARGETS += bench-report

.PHONY: report bench-report
