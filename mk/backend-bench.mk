# Backend benchmark: durable vote endpoint vs raw node:http, same load tool (wrk), same run.
BENCH_TARGETS += bench-backend

bench-backend: build ## Benchmark: vote endpoint (SQLite, durable) vs raw node:http; prints req/s, ratio, p99
	$(NODE) --import tsx backend/bench/voteVsRaw.ts

.PHONY: bench-backend
