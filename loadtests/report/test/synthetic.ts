// Synthetic k6 NDJSON with known answers: the same line shapes real k6 writes (spec §2), a seeded PRNG,
// and an `effect` function that says exactly what the service did at each moment.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createGzip } from 'node:zlib';
import type { Writable } from 'node:stream';

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** k6's time format: RFC 3339, nanoseconds with trailing zeros trimmed, a local offset (here +01:00). */
export function k6Time(ms: number, offsetMin = 60): string {
  const local = new Date(ms + offsetMin * 60_000).toISOString().slice(0, 19);
  const nanos = Math.round((ms - Math.floor(ms / 1000) * 1000) * 1e6);
  const frac = nanos === 0 ? '' : `.${String(nanos).padStart(9, '0').replace(/0+$/, '')}`;
  const sign = offsetMin >= 0 ? '+' : '-';
  const off = Math.abs(offsetMin);
  const tz = offsetMin === 0 ? 'Z' : `${sign}${String(Math.floor(off / 60)).padStart(2, '0')}:${String(off % 60).padStart(2, '0')}`;
  return `${local}${frac}${tz}`;
}

export interface Effect {
  /** Probability a request fails. */
  errorP: number;
  /** Latency added on top of the baseline noise, ms. */
  extraMs: number;
  /** Fraction of requests that never complete in this second (e.g. a dead replica). */
  lostP?: number;
}

export interface SyntheticRun {
  seconds: number;
  rate: number;
  t0Ms?: number;
  seed?: number;
  phaseAt: (t: number) => string;
  effect: (t: number) => Effect;
  faults?: { kind: string; detail: string; start: number; end: number }[];
  /** Base latency: 20 ms + lognormal-ish noise. */
  baseMs?: number;
  /** Extra unrelated lines real runs have (checks, data_sent, setup samples) to prove they are ignored. */
  extras?: boolean;
}

const metricLine = (name: string, type: string, contains: string) =>
  JSON.stringify({ type: 'Metric', data: { name, type, contains, thresholds: [], submetrics: null }, metric: name });

const point = (metric: string, ms: number, value: number, tags: Record<string, string>) =>
  JSON.stringify({ metric, type: 'Point', data: { time: k6Time(ms), value, tags } });

/** Yields NDJSON lines in file order (time order, with the small jitter real output has). */
export function* syntheticLines(run: SyntheticRun): Generator<string> {
  const rnd = mulberry32(run.seed ?? 1);
  const t0 = run.t0Ms ?? Date.UTC(2026, 10, 25, 12, 0, 0);
  const base = run.baseMs ?? 20;
  const declared = new Set<string>();
  const decl = function* (name: string, type: string, contains: string) {
    if (!declared.has(name)) {
      declared.add(name);
      yield metricLine(name, type, contains);
    }
  };
  const events = (run.faults ?? []).flatMap((f) => [
    { ms: t0 + f.start * 1000, event: 'start', f },
    { ms: t0 + f.end * 1000, event: 'end', f },
  ]);
  for (let sec = 0; sec < run.seconds; sec++) {
    for (const e of events.filter((x) => Math.floor((x.ms - t0) / 1000) === sec)) {
      yield* decl('chaos_fault_events', 'counter', 'default');
      yield point('chaos_fault_events', e.ms, 1, { scenario: 'fault', event: e.event, fault: e.f.kind, detail: e.f.detail });
    }
    if (sec > 0) {
      yield* decl('vus', 'gauge', 'default');
      yield point('vus', t0 + sec * 1000, 3 + Math.floor(rnd() * 2), {});
    }
    for (let i = 0; i < run.rate; i++) {
      const ms = t0 + sec * 1000 + ((i + 0.5) / run.rate) * 1000;
      const t = (ms - t0) / 1000;
      const eff = run.effect(t);
      if (eff.lostP !== undefined && rnd() < eff.lostP) continue;
      const failed = rnd() < eff.errorP;
      const dur = base * (0.8 + 0.4 * rnd()) + (rnd() < 0.02 ? base * 2 * rnd() : 0) + eff.extraMs;
      const tags = { scenario: 'load', phase: run.phaseAt(t), method: 'POST', name: 'vote', status: failed ? '500' : '201', expected_response: String(!failed) };
      yield* decl('http_reqs', 'counter', 'default');
      yield point('http_reqs', ms, 1, tags);
      yield* decl('http_req_duration', 'trend', 'time');
      yield point('http_req_duration', ms, dur, tags);
      yield* decl('http_req_failed', 'rate', 'default');
      yield point('http_req_failed', ms, failed ? 1 : 0, tags);
      if (run.extras) {
        yield* decl('checks', 'rate', 'default');
        yield point('checks', ms, failed ? 0 : 1, { ...tags, check: 'status is 2xx' });
        yield* decl('client_vote_success', 'rate', 'default');
        yield point('client_vote_success', ms, failed ? 0 : 1, { scenario: 'load', phase: run.phaseAt(t), client: 'naive' });
        // The fault scenario's probes and a second client population must not count as the load series.
        if (i === 0) yield point('http_req_duration', ms, 9999, { scenario: 'fault', phase: run.phaseAt(t) });
        if (i === 1) yield point('http_reqs', ms, 1, { scenario: 'load_retrying', phase: run.phaseAt(t), client: 'retrying' });
      }
    }
    if (run.extras && sec === 0) {
      yield point('http_req_duration', t0 + 10, 5000, { group: '::setup' });
      yield* decl('ledger_votes_acked', 'counter', 'default');
    }
  }
  if (run.extras) {
    const end = t0 + run.seconds * 1000 - 1;
    yield point('ledger_votes_acked', end, 100, { scenario: 'load' });
    yield point('ledger_votes_stored', end, 100, { group: '::teardown' });
    yield point('recovery_time', end, 7000, { scenario: 'fault', kind: 'requests' });
  }
}

export async function writeSynthetic(path: string, run: SyntheticRun, gzip = false): Promise<void> {
  const file = createWriteStream(path);
  let out: Writable = file;
  if (gzip) {
    const gz = createGzip();
    gz.pipe(file);
    out = gz;
  }
  for (const line of syntheticLines(run)) {
    if (!out.write(`${line}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(file, 'close');
}

/** The canonical chaos run: warm-up 0–20 s, fault 20–40 s, recovery to 70 s; effect lasts until 47 s. */
export const faultAt20RecoveringAt47 = (effect: Effect, seed = 7): SyntheticRun => ({
  seconds: 70,
  rate: 20,
  seed,
  phaseAt: (t) => (t < 20 ? 'warmup' : t < 40 ? 'fault' : 'recovery'),
  effect: (t) => (t >= 20 && t < 47 ? effect : { errorP: 0.002, extraMs: 0 }),
  faults: [{ kind: 'errors', detail: 'synthetic', start: 20, end: 40 }],
  extras: true,
});
