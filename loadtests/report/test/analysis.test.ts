import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readRun } from '../src/ingest/read-run.ts';
import { analyse } from '../src/analysis/timeline.ts';
import { buildBand, SIGNALS } from '../src/analysis/band.ts';
import type { SecondStats } from '../src/model.ts';
import { faultAt20RecoveringAt47, writeSynthetic, type SyntheticRun } from './synthetic.ts';

const dir = mkdtempSync(join(tmpdir(), 'report-analysis-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
async function seriesOf(run: SyntheticRun) {
  const path = join(dir, `r${n++}.ndjson`);
  await writeSynthetic(path, run);
  return readRun(path);
}

test('an error fault from 20 s that recovers at 47 s reports exactly those numbers', async () => {
  const run = await seriesOf(faultAt20RecoveringAt47({ errorP: 0.5, extraMs: 0 }));
  const [f] = analyse(run.seconds, run.faults).faults;
  assert.ok(f);
  assert.equal(f.detectedAt, 20);
  assert.equal(f.timeToDetect, 0);
  assert.equal(f.recoveredAt, 47);
  assert.equal(f.timeToRecover, 7);
  assert.deepEqual(f.firstSignals, ['errorRatio']);
});

test('a latency-only fault is detected by latency first', async () => {
  const run = await seriesOf(faultAt20RecoveringAt47({ errorP: 0, extraMs: 500 }, 11));
  const a = analyse(run.seconds, run.faults);
  const [f] = a.faults;
  assert.ok(f);
  assert.equal(f.detectedAt, 20);
  assert.equal(f.recoveredAt, 47);
  assert.ok(f.firstSignals.length > 0);
  assert.ok(f.firstSignals.every((s) => s === 'p50' || s === 'p95'), `first: ${f.firstSignals.join(',')}`);
  assert.equal(f.bySignal.errorRatio, undefined, 'error ratio never left its band');
});

test('a fault that shows up late is detected late', async () => {
  const run = await seriesOf({
    ...faultAt20RecoveringAt47({ errorP: 0, extraMs: 0 }),
    effect: (t) => (t >= 24 && t < 47 ? { errorP: 0, extraMs: 300 } : { errorP: 0, extraMs: 0 }),
  });
  const [f] = analyse(run.seconds, run.faults).faults;
  assert.equal(f?.detectedAt, 24);
  assert.equal(f?.timeToDetect, 4);
  assert.equal(f?.recoveredAt, 47);
});

test('noise alone is not a fault (many seeds, spikes included)', async () => {
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]) {
    const run = await seriesOf({
      ...faultAt20RecoveringAt47({ errorP: 0.01, extraMs: 0 }, seed),
      // Same distribution throughout, plus single-second blips of the kind a GC pause makes.
      effect: (t) => ({ errorP: 0.01, extraMs: Math.floor(t) % 13 === 0 ? 15 : 0 }),
    });
    const [f] = analyse(run.seconds, run.faults).faults;
    assert.equal(f?.detectedAt, undefined, `seed ${seed}: ${JSON.stringify(f?.bySignal)}`);
    assert.equal(f?.recoveredAt, 40, 'in band right from the fault end');
    assert.equal(f?.timeToRecover, 0);
  }
});

test('a run without faults reports no departure under noise, and one when it starts to struggle', async () => {
  const quiet = await seriesOf({
    seconds: 60,
    rate: 10,
    phaseAt: (t) => (t < 15 ? 'warmup' : 'steady'),
    effect: () => ({ errorP: 0, extraMs: 0 }),
  });
  assert.equal(analyse(quiet.seconds, quiet.faults).departure, undefined);
  const stress = await seriesOf({
    seconds: 60,
    rate: 10,
    phaseAt: (t) => (t < 15 ? 'warmup' : 'steady'),
    effect: (t) => ({ errorP: 0, extraMs: t >= 42 ? (t - 42) * 40 : 0 }),
  });
  const d = analyse(stress.seconds, stress.faults).departure;
  assert.ok(d && d.at >= 42 && d.at <= 44, JSON.stringify(d));
});

test('without a fault or a warm-up phase, the first fifth is the reference and a lone slow second is no struggle', async () => {
  const run = await seriesOf({
    seconds: 60,
    rate: 10,
    seed: 5,
    phaseAt: () => 'steady',
    effect: (t) => ({ errorP: 0, extraMs: Math.floor(t) === 40 ? 800 : 0 }),
  });
  assert.equal(analyse(run.seconds, run.faults).departure, undefined);
  const slow = await seriesOf({ seconds: 60, rate: 10, phaseAt: () => 'steady', effect: (t) => ({ errorP: 0, extraMs: t >= 40 ? 200 : 0 }) });
  const a = analyse(slow.seconds, slow.faults);
  assert.equal(a.baselineSeconds, 11);
  assert.equal(a.departure?.at, 40);
});

test('a one-second burst of failures (SIGKILL) is detected alone; a quiet baseline still has a sane band', () => {
  const sec = (t: number, over: Partial<SecondStats> = {}): SecondStats => ({
    t, phase: t < 10 ? 'warmup' : 'recovery', partial: t === 0 || t === 29, reqs: 20, failed: 0, errorRatio: 0,
    p50: 10, p95: 12, p99: 14, vus: 2, dropped: 0, voteSuccess: {}, ...over,
  });
  const seconds = Array.from({ length: 30 }, (_, t) => sec(t));
  seconds[12] = sec(12, { failed: 8, errorRatio: 0.4 });
  const errorBand = buildBand(SIGNALS[0]!, seconds.slice(1, 10));
  assert.deepEqual(errorBand, { center: 0, lower: 0, upper: 0.05 }, 'floor, not zero width');
  const [f] = analyse(seconds, [{ kind: 'kill', detail: '', start: 11.5, end: 11.6 }]).faults;
  assert.equal(f?.detectedAt, 12);
  assert.deepEqual(f?.firstSignals, ['errorRatio']);
  assert.equal(f?.recoveredAt, 13);
  // One marginal blip (just over the floor) is not enough on its own.
  seconds[12] = sec(12, { failed: 2, errorRatio: 0.1 });
  assert.equal(analyse(seconds, [{ kind: 'kill', detail: '', start: 11.5, end: 11.6 }]).faults[0]?.detectedAt, undefined);
});

test('an outage with no completed requests shows as a rate drop, and recovery waits for it', () => {
  const seconds: SecondStats[] = Array.from({ length: 40 }, (_, t) => ({
    t, phase: 'warmup', partial: t === 0 || t === 39, reqs: t >= 15 && t < 22 ? 0 : 20, failed: 0,
    errorRatio: t >= 15 && t < 22 ? undefined : 0, p50: t >= 15 && t < 22 ? undefined : 10, p95: t >= 15 && t < 22 ? undefined : 12,
    p99: t >= 15 && t < 22 ? undefined : 13, vus: 2, dropped: 0, voteSuccess: {},
  }));
  const [f] = analyse(seconds, [{ kind: 'kill', detail: '', start: 15, end: 16 }]).faults;
  assert.equal(f?.detectedAt, 15);
  assert.deepEqual(f?.firstSignals, ['rate']);
  assert.equal(f?.recoveredAt, 22);
  assert.equal(f?.timeToRecover, 6);
});

test('a fault without an end marker is detected but recovery is not invented', async () => {
  const run = await seriesOf({
    ...faultAt20RecoveringAt47({ errorP: 0.5, extraMs: 0 }),
    faults: undefined,
  });
  const [f] = analyse(run.seconds, [{ kind: 'errors', detail: '', start: 20, end: undefined }]).faults;
  assert.equal(f?.detectedAt, 20);
  assert.equal(f?.recoveredAt, undefined);
  assert.equal(f?.timeToRecover, undefined);
  assert.match(f?.note ?? '', /no end marker/);
});
