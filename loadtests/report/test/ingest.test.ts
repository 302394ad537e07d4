import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseK6Time } from '../src/ingest/time.ts';
import { readRun } from '../src/ingest/read-run.ts';
import { quantileSorted } from '../src/stats/quantile.ts';
import { QuantileSketch } from '../src/stats/sketch.ts';
import { faultAt20RecoveringAt47, k6Time, writeSynthetic } from './synthetic.ts';

const dir = mkdtempSync(join(tmpdir(), 'report-ingest-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

test('k6 times: nanoseconds, offsets and Z all land on the same instant', () => {
  const ms = Date.UTC(2026, 10, 25, 12, 0, 1) + 123.456789;
  assert.equal(parseK6Time('2026-11-25T13:00:01.123456789+01:00'), ms);
  assert.equal(parseK6Time('2026-11-25T12:00:01.123456789Z'), ms);
  assert.equal(parseK6Time('2026-11-25T07:00:01.5-05:00'), Date.UTC(2026, 10, 25, 12, 0, 1) + 500);
  assert.equal(parseK6Time('2026-11-25T12:00:01Z'), Date.UTC(2026, 10, 25, 12, 0, 1));
  assert.equal(parseK6Time(k6Time(ms)), ms);
  assert.throws(() => parseK6Time('yesterday'), /RFC 3339/);
});

test('percentiles follow k6 interpolation', () => {
  assert.equal(quantileSorted([1, 2, 3, 4], 0.5), 2.5);
  assert.equal(quantileSorted([10, 20, 30, 40, 50], 0.95), 48);
  assert.equal(quantileSorted([], 0.5), undefined);
});

test('the sketch stays within its relative accuracy', () => {
  const s = new QuantileSketch(0.01);
  const values = Array.from({ length: 10_000 }, (_, i) => 1 + i * 0.37);
  for (const v of values) s.add(v);
  for (const q of [0.5, 0.95, 0.99]) {
    const exact = quantileSorted(values, q) as number;
    const got = s.quantile(q) as number;
    assert.ok(Math.abs(got - exact) / exact < 0.021, `q${q}: ${got} vs ${exact}`);
  }
});

for (const gzip of [false, true]) {
  test(`per-second series from ${gzip ? 'gzip' : 'plain'} NDJSON`, async () => {
    const path = join(dir, `run${gzip ? '.ndjson.gz' : '.ndjson'}`);
    await writeSynthetic(path, faultAt20RecoveringAt47({ errorP: 1, extraMs: 0 }), gzip);
    const run = await readRun(path);
    assert.equal(run.durationS, 70);
    assert.equal(run.seconds.length, 70);
    assert.deepEqual(run.scenarios, ['load'], 'fault-scenario probes and setup samples are not load');
    // 20 requests a second, all failing from 20 s to 47 s.
    assert.equal(run.seconds[10]?.reqs, 20);
    assert.equal(run.seconds[30]?.errorRatio, 1);
    assert.equal(run.seconds[46]?.errorRatio, 1);
    assert.ok((run.seconds[50]?.errorRatio ?? 1) < 0.2);
    assert.equal(run.seconds[5]?.phase, 'warmup');
    assert.equal(run.seconds[25]?.phase, 'fault');
    assert.equal(run.seconds[60]?.phase, 'recovery');
    assert.ok((run.seconds[10]?.p95 ?? 0) < 100, 'the 9999 ms fault-probe sample is excluded');
    assert.equal(run.seconds[0]?.partial, true);
    assert.equal(run.seconds[69]?.partial, true);
    assert.deepEqual(run.faults, [{ kind: 'errors', detail: 'synthetic', start: 20, end: 40 }]);
    assert.deepEqual(run.ledger, { acked: 100, sent: 0, stored: 100, lost: 0, excess: 0, storedReported: true });
    assert.deepEqual(run.recovery, [{ kind: 'requests', ms: 7000 }]);
    const fault = run.phases.find((p) => p.phase === 'fault');
    assert.equal(fault?.reqs, 400);
    assert.equal(fault?.errorRatio, 1);
    assert.equal(run.lateSamples, 0);
    assert.deepEqual(run.clients, ['naive']);
    assert.deepEqual(run.seconds[30]?.voteSuccess, { naive: 0 });
    assert.ok((run.seconds[10]?.voteSuccess.naive ?? 0) > 0.9);
  });
}

test('out-of-order lines inside the window still count exactly', async () => {
  const t0 = Date.UTC(2026, 0, 1, 0, 0, 0);
  const p = (s: number, v: number) =>
    JSON.stringify({ metric: 'http_req_duration', type: 'Point', data: { time: k6Time(t0 + s * 1000), value: v, tags: { scenario: 'load' } } });
  const path = join(dir, 'ooo.ndjson');
  writeFileSync(path, [p(0.1, 1), p(1.1, 10), p(3.5, 5), p(1.9, 30), p(2.2, 7), p(1.5, 20)].join('\n') + '\n');
  const run = await readRun(path);
  assert.equal(run.seconds[1]?.p50, 20);
  assert.equal(run.lateSamples, 0);
});

test('bad input gets an error naming the file and line', async () => {
  const path = join(dir, 'bad.ndjson');
  writeFileSync(path, '{"type":"Metric","metric":"x","data":{}}\n{"type":"Point","metric":"x","data":{"time":"nope","value":1}}\n');
  await assert.rejects(readRun(path), /bad\.ndjson: line 2: not an RFC 3339 time/);
  writeFileSync(path, 'hello\n');
  await assert.rejects(readRun(path), /line 1: not JSON/);
  writeFileSync(path, '');
  await assert.rejects(readRun(path), /no samples/);
});
