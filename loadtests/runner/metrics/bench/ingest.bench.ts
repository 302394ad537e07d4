// Throughput of the metrics core's hot path, side by side with a baseline that only walks the samples:
// MetricsCore.add() and NdjsonWriter.write() on HTTP-shaped batches (9 samples per request, 10 tags,
// 3 sub-metrics on http_req_duration). Run: node --import tsx loadtests/runner/metrics/bench/ingest.bench.ts
import { PassThrough } from 'node:stream';
import { MetricsCore } from '../core.ts';
import { NdjsonWriter } from '../ndjson.ts';
import { percentile } from '../percentile.ts';
import { TrendSink } from '../sinks.ts';
import type { Sample } from '../types.ts';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200_000);
const PHASES = ['warmup', 'fault', 'recovery'];
const HTTP = [
  'http_reqs',
  'http_req_duration',
  'http_req_blocked',
  'http_req_connecting',
  'http_req_tls_handshaking',
  'http_req_sending',
  'http_req_waiting',
  'http_req_receiving',
  'http_req_failed',
];

function batch(i: number): Sample[] {
  const tags = {
    scenario: 'load',
    group: '',
    method: 'POST',
    name: 'http://127.0.0.1:30080/api/polls/default/vote',
    url: 'http://127.0.0.1:30080/api/polls/default/vote',
    status: i % 50 === 0 ? '500' : '201',
    proto: 'HTTP/1.1',
    expected_response: i % 50 === 0 ? 'false' : 'true',
    phase: PHASES[i % 3] as string,
    suite: 'chaos-lab',
  };
  const t = 1_764_000_000_000 + i * 0.5;
  return HTTP.map((metric, k) => ({ metric, time: t, value: metric === 'http_reqs' ? 1 : (i % 97) + k * 0.125, tags }));
}

const batches = Array.from({ length: 1000 }, (_, i) => batch(i));

function time(label: string, fn: (b: Sample[]) => void): number {
  const start = process.cpuUsage();
  const wall = performance.now();
  for (let i = 0; i < REQUESTS; i++) fn(batches[i % batches.length] as Sample[]);
  const cpu = process.cpuUsage(start);
  const ms = performance.now() - wall;
  const samplesPerSec = (REQUESTS * HTTP.length) / (ms / 1000);
  const cpuUsPerSample = (cpu.user + cpu.system) / (REQUESTS * HTTP.length);
  console.log(
    `${label.padEnd(34)} ${String(Math.round(samplesPerSec)).padStart(10)} samples/s  ${cpuUsPerSample.toFixed(3)} µs CPU/sample`,
  );
  return samplesPerSec;
}

const core = new MetricsCore({
  thresholds: {
    http_req_duration: ['p(95)<500'],
    'http_req_duration{phase:fault}': ['p(95)<1000'],
    'http_req_duration{phase:recovery}': ['p(95)<500'],
    http_req_failed: ['rate<0.01'],
  },
});
core.validateThresholds();

let sink = 0;
const base = time('baseline (walk samples only)', (b) => {
  for (const s of b) sink += s.value;
});
const add = time('MetricsCore.add', (b) => core.add(b));
const out = new PassThrough();
out.resume();
const writer = new NdjsonWriter({ stdout: out, flushIntervalMs: 200 });
await writer.open('-');
const nd = time('NdjsonWriter.write (to a stream)', (b) => writer.write(b, core));
await writer.close();
const evalStart = performance.now();
core.evaluate({ final: true, elapsedMs: 120_000 });
const evalMs = performance.now() - evalStart;
const trendBytes = REQUESTS * 8;
console.log(`final evaluate over ${REQUESTS} values per trend: ${evalMs.toFixed(1)} ms (lazy sort)`);
console.log(`trend value store: ~${(trendBytes / 1e6).toFixed(1)} MB per trend for ${REQUESTS} samples (Float64Array)`);
console.log(`ratios: add ${(base / add).toFixed(1)}x slower than baseline; ndjson ${(base / nd).toFixed(1)}x`);

// Threshold passes during a run: 2000 values/s, a p(95) read every 2 s for 2 minutes, side by side with
// re-sorting everything at each pass.
const PASSES = 60;
const PER_PASS = 4000;
const feed = Float64Array.from({ length: PASSES * PER_PASS }, (_, i) => ((i * 7919) % 1000) + (i % 13) / 13);
let t0 = performance.now();
const trend = new TrendSink();
for (let k = 0; k < PASSES; k++) {
  for (let i = k * PER_PASS; i < (k + 1) * PER_PASS; i++) trend.add(feed[i] as number);
  sink += trend.p(0.95);
}
const mergeMs = performance.now() - t0;
t0 = performance.now();
for (let k = 0; k < PASSES; k++) {
  const all = feed.slice(0, (k + 1) * PER_PASS).sort();
  sink += percentile(all, 0.95);
}
const resortMs = performance.now() - t0;
console.log(
  `${PASSES} threshold passes over ${PASSES * PER_PASS} values: merge ${mergeMs.toFixed(1)} ms, full re-sort ${resortMs.toFixed(1)} ms (${(resortMs / mergeMs).toFixed(1)}x)`,
);
if (sink === -1) console.log(sink);
