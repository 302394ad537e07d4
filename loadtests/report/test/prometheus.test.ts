// Server-side series against a REAL Prometheus scraping a small exporter whose values we script, so the
// expected answers are known: 50 req/s, 1 in 6 failing from 10 s on, p95 47.5 ms, 0.25 CPU cores.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { createServer as netServer, type AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { readRun } from '../src/ingest/read-run.ts';
import { fetchServerSeries } from '../src/prometheus/server-series.ts';
import { queryRange } from '../src/prometheus/client.ts';
import { writeReport } from '../src/write-reports.ts';
import { parseConfig } from '../src/config.ts';
import { writeSynthetic } from './synthetic.ts';

const dir = mkdtempSync(join(tmpdir(), 'report-prom-'));
let exporter: Server | undefined;
let prom: ChildProcess | undefined;
let promUrl = '';
let startMs = 0;

function exposition(elapsedS: number): string {
  const ok = 50 * elapsedS;
  const err = 10 * Math.max(0, elapsedS - 10);
  const n = ok + err;
  return [
    '# TYPE http_requests_total counter',
    `http_requests_total{method="POST",route="/api/polls/:id/vote",status_code="201"} ${ok}`,
    `http_requests_total{method="POST",route="/api/polls/:id/vote",status_code="500"} ${err}`,
    '# TYPE http_request_duration_seconds histogram',
    `http_request_duration_seconds_bucket{le="0.01"} 0`,
    `http_request_duration_seconds_bucket{le="0.025"} ${n / 2}`,
    `http_request_duration_seconds_bucket{le="0.05"} ${n}`,
    `http_request_duration_seconds_bucket{le="0.5"} ${n}`,
    `http_request_duration_seconds_bucket{le="+Inf"} ${n}`,
    `http_request_duration_seconds_sum ${n * 0.03}`,
    `http_request_duration_seconds_count ${n}`,
    '# TYPE process_cpu_seconds_total counter',
    `process_cpu_seconds_total ${0.25 * elapsedS}`,
    '# TYPE process_resident_memory_bytes gauge',
    'process_resident_memory_bytes 50000000',
    '# TYPE supervisor_replica_restarts_total counter',
    `supervisor_replica_restarts_total{pod="replica-1"} ${elapsedS > 8 ? 1 : 0}`,
    '# TYPE supervisor_replicas_ready gauge',
    'supervisor_replicas_ready 2',
    '',
  ].join('\n');
}

async function freePort(): Promise<number> {
  const s = netServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

before(async () => {
  // Start on a whole second so report second t lines up with the exporter's elapsed time.
  await sleep(1000 - (Date.now() % 1000));
  startMs = Date.now();
  exporter = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
    res.end(exposition((Date.now() - startMs) / 1000));
  });
  await new Promise<void>((r) => exporter?.listen(0, '127.0.0.1', r));
  const target = `127.0.0.1:${(exporter.address() as AddressInfo).port}`;
  const port = await freePort();
  writeFileSync(join(dir, 'prometheus.yml'), `global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n  - job_name: app\n    static_configs:\n      - targets: ['${target}']\n`);
  prom = spawn('prometheus', [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  prom.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  promUrl = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${promUrl}/-/ready`)).ok) break;
    } catch {
      /* not listening yet */
    }
    if (i > 100 || prom.exitCode !== null) throw new Error(`prometheus did not start: ${stderr}`);
    await sleep(100);
  }
  // Let it scrape ~19 s of the scripted timeline.
  await sleep(Math.max(0, startMs + 20_000 - Date.now()));
});

after(async () => {
  prom?.kill('SIGTERM');
  if (prom && prom.exitCode === null) await new Promise((r) => prom?.once('exit', r));
  await new Promise((r) => (exporter ? exporter.close(r) : r(undefined)));
  rmSync(dir, { recursive: true, force: true });
});

test('server series come back aligned to the report seconds, and client/server disagreement is flagged', async () => {
  // The client saw every request fail from 5 s to 8 s (connection refused: the server never saw them),
  // and the same 1-in-6 as the server from 10 s on.
  const ndjson = join(dir, 'kill.ndjson');
  await writeSynthetic(ndjson, {
    seconds: 19,
    rate: 30,
    t0Ms: startMs,
    seed: 3,
    phaseAt: (t) => (t < 5 ? 'warmup' : 'fault'),
    effect: (t) => ({ errorP: t >= 5 && t < 8 ? 1 : t >= 10 ? 1 / 6 : 0, extraMs: 0 }),
  });
  const run = await readRun(ndjson);
  const s = await fetchServerSeries(promUrl, run, 3);
  assert.deepEqual(s.missing, []);
  const late = (k: keyof typeof s.values) => s.values[k].slice(14, 18).filter((v): v is number => v !== undefined);
  assert.ok(late('errorRatio').length >= 3);
  for (const v of late('errorRatio')) assert.ok(Math.abs(v - 1 / 6) < 0.02, `server error ratio ${v}`);
  for (const v of late('p95Ms')) assert.ok(Math.abs(v - 47.5) < 0.5, `server p95 ${v}`);
  for (const v of late('cpuCores')) assert.ok(Math.abs(v - 0.25) < 0.03, `cpu ${v}`);
  assert.deepEqual(late('memoryBytes').slice(0, 1), [50_000_000]);
  assert.deepEqual(late('ready').slice(0, 1), [2]);
  assert.equal(s.values.restarts[6], 0);
  assert.equal(s.values.restarts[15], 1);
  for (const v of s.values.errorRatio.slice(1, 9)) if (v !== undefined) assert.equal(v, 0);
  const errs = s.disagreements.filter((d) => d.signal === 'errorRatio');
  assert.ok(errs.length > 0, 'the refused requests the server never saw are flagged');
  assert.ok(errs.every((d) => d.t >= 5 && d.t <= 11 && d.client > d.server), JSON.stringify(errs));
  assert.ok(errs.some((d) => d.t === 7 && d.client > 0.9 && d.server === 0), JSON.stringify(errs));
  assert.ok(!s.disagreements.some((d) => d.t >= 13), 'agreement once both see the same failures');
});

test('the report adds the server charts and the disagreement table', async () => {
  const cfg = parseConfig(['--results-dir', dir, '--prometheus-url', promUrl, '--prometheus-window', '3'], {});
  if (cfg === 'help') throw new Error('unexpected');
  const w = await writeReport(join(dir, 'kill.ndjson'), cfg);
  const html = readFileSync(join(dir, 'kill.html'), 'utf8');
  for (const id of ['server-errors', 'server-latency', 'server-resources', 'server-memory', 'server-replicas']) assert.match(html, new RegExp(`data-chart="${id}"`));
  assert.match(html, /Where client and server disagree/);
  const serverErrors = /<svg[^>]*data-chart="server-errors"[\s\S]*?<\/svg>/.exec(html)?.[0] ?? '';
  assert.ok((serverErrors.match(/class="flag"/g) ?? []).length >= 3, 'disagreeing seconds are flagged on the chart');
  assert.match(readFileSync(join(dir, 'kill.md'), 'utf8'), /Where client and server disagree/);
  assert.equal(w.model.serverError, undefined);
});

test('a bad query is a clear error, an unreachable Prometheus is reported, not fatal', async () => {
  await assert.rejects(queryRange(promUrl, 'sum(', 0, 1, 1), /Prometheus query failed \(400\)/);
  const cfg = parseConfig(['--results-dir', dir, '--prometheus-url', `http://127.0.0.1:${await freePort()}`], {});
  if (cfg === 'help') throw new Error('unexpected');
  const w = await writeReport(join(dir, 'kill.ndjson'), cfg);
  assert.match(w.model.serverError ?? '', /unreachable/);
  assert.match(readFileSync(join(dir, 'kill.html'), 'utf8'), /Prometheus could not be queried/);
});
