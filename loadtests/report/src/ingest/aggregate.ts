// Folds k6 samples into per-second buckets as they stream past. Each open second keeps its raw
// http_req_duration values so its percentiles are exact (k6's own interpolation); once the stream is
// WINDOW_S seconds past it, the second is closed, reduced to p50/p95/p99 and its values dropped. Memory is
// therefore O(request rate × window), independent of run length. k6 flushes every 200 ms and stamps
// samples with the request's end time, so samples arrive at most a few seconds out of order.
import { CLIENT_TAG, FAULT_EVENTS_METRIC, FAULT_SCENARIO, LEDGER, LOAD_SCENARIO, PHASES, RECOVERY_METRIC, VOTE_SUCCESS_METRIC, type Phase } from '../../../lib/contract.ts';
import type { FaultWindow, Ledger, PhaseStats, RunSeries, SecondStats } from '../model.ts';
import { QuantileSketch } from '../stats/sketch.ts';
import { quantileSorted } from '../stats/quantile.ts';
import type { K6Line } from './ndjson.ts';

const WINDOW_S = 10;

interface OpenSecond {
  reqs: number;
  failed: number;
  failedN: number;
  durations: number[];
  phaseVotes: Map<string, number>;
  vus: number | undefined;
  dropped: number;
  votes: Map<string, { ok: number; n: number }>;
}

type Closed = Omit<SecondStats, 't' | 'partial'> & { failedN: number; sec: number };

interface PhaseAcc {
  reqs: number;
  failed: number;
  failedN: number;
  dropped: number;
  sketch: QuantileSketch;
}

const isPhase = (p: string | undefined): p is Phase => p !== undefined && (PHASES as readonly string[]).includes(p);

/**
 * Samples of the primary load population: not setup/teardown (no scenario tag), not the fault scenario's
 * probes, and not the extra client populations (`load_retrying`, ...), whose retries would blur the raw
 * fault; those are compared through client_vote_success instead.
 */
const isLoad = (tags: Record<string, string>) =>
  tags.scenario !== undefined && tags.scenario !== FAULT_SCENARIO && !tags.scenario.startsWith(`${LOAD_SCENARIO}_`);

export class RunAggregator {
  private readonly open = new Map<number, OpenSecond>();
  private readonly closed = new Map<number, Closed>();
  private readonly phaseAcc = new Map<string, PhaseAcc>();
  private readonly faultEvents: { ms: number; event: string; fault: string; detail: string }[] = [];
  private readonly recovery: { kind: string; ms: number }[] = [];
  private readonly ledger: Ledger = { acked: 0, sent: 0, stored: 0, lost: 0, excess: 0, storedReported: false };
  private ledgerSeen = false;
  private readonly scenarios = new Set<string>();
  private readonly clients = new Set<string>();
  private maxSec = -Infinity;
  private minSec = Infinity;
  private lastSec = -Infinity;
  private lines = 0;
  private late = 0;

  add(line: K6Line): void {
    this.lines++;
    if (line.type !== 'Point') return;
    const { metric, tags, value, time } = line;
    switch (metric) {
      case 'http_reqs':
      case 'http_req_duration':
      case 'http_req_failed':
        if (isLoad(tags)) this.http(metric, value, time, tags);
        return;
      case 'vus': {
        const b = this.bucket(time);
        if (b) b.vus = value;
        return;
      }
      case 'dropped_iterations': {
        const b = this.bucket(time);
        if (b) b.dropped += value;
        else this.closedOf(time).dropped += value;
        this.phase(tags.phase).dropped += value;
        return;
      }
      case FAULT_EVENTS_METRIC:
        this.faultEvents.push({ ms: time, event: tags.event ?? '', fault: tags.fault ?? 'fault', detail: tags.detail ?? '' });
        this.see(time);
        return;
      case VOTE_SUCCESS_METRIC: {
        const client = tags[CLIENT_TAG] ?? 'all';
        this.clients.add(client);
        const b = this.bucket(time);
        if (!b) return; // a second already closed: the vote is counted in the summary, not in this series
        const v = b.votes.get(client) ?? { ok: 0, n: 0 };
        v.ok += value !== 0 ? 1 : 0;
        v.n++;
        b.votes.set(client, v);
        return;
      }
      case RECOVERY_METRIC:
        this.recovery.push({ kind: tags.kind ?? 'requests', ms: value });
        return;
      default:
        for (const [key, name] of Object.entries(LEDGER) as [keyof typeof LEDGER, string][]) {
          if (metric === name) {
            this.ledger[key] += value;
            this.ledgerSeen = true;
            if (key === 'stored') this.ledger.storedReported = true;
          }
        }
    }
  }

  private see(ms: number): number {
    const sec = Math.floor(ms / 1000);
    if (sec < this.minSec) this.minSec = sec;
    if (sec > this.lastSec) this.lastSec = sec;
    return sec;
  }

  private http(metric: string, value: number, ms: number, tags: Record<string, string>): void {
    const sec = this.see(ms);
    if (tags.scenario) this.scenarios.add(tags.scenario);
    const acc = this.phase(tags.phase);
    const b = this.bucket(ms);
    if (metric === 'http_reqs') {
      acc.reqs += value;
      const target = b ?? this.closedOf(ms);
      target.reqs += value;
      if (b) {
        const p = tags.phase ?? '';
        b.phaseVotes.set(p, (b.phaseVotes.get(p) ?? 0) + 1);
      }
    } else if (metric === 'http_req_failed') {
      const f = value !== 0 ? 1 : 0;
      acc.failed += f;
      acc.failedN++;
      const target = b ?? this.closedOf(ms);
      target.failed += f;
      target.failedN++;
    } else {
      acc.sketch.add(value);
      if (b) b.durations.push(value);
      else this.late++;
    }
    if (sec > this.maxSec) {
      this.maxSec = sec;
      for (const s of this.open.keys()) if (s < sec - WINDOW_S) this.close(s);
    }
  }

  private phase(tag: string | undefined): PhaseAcc {
    const key = isPhase(tag) ? tag : 'untagged';
    let acc = this.phaseAcc.get(key);
    if (!acc) {
      acc = { reqs: 0, failed: 0, failedN: 0, dropped: 0, sketch: new QuantileSketch() };
      this.phaseAcc.set(key, acc);
    }
    return acc;
  }

  /** The open bucket for a time, opening it if needed; undefined if that second is already closed. */
  private bucket(ms: number): OpenSecond | undefined {
    const sec = this.see(ms);
    if (this.closed.has(sec)) return undefined;
    let b = this.open.get(sec);
    if (!b) {
      b = { reqs: 0, failed: 0, failedN: 0, durations: [], phaseVotes: new Map(), vus: undefined, dropped: 0, votes: new Map() };
      this.open.set(sec, b);
    }
    return b;
  }

  private closedOf(ms: number): Closed {
    return this.closed.get(Math.floor(ms / 1000)) as Closed;
  }

  private close(sec: number): void {
    const b = this.open.get(sec) as OpenSecond;
    this.open.delete(sec);
    const sorted = Float64Array.from(b.durations).sort();
    let phase: Phase | undefined;
    let best = 0;
    for (const [p, n] of b.phaseVotes) if (n > best && isPhase(p)) [phase, best] = [p, n];
    this.closed.set(sec, {
      sec,
      phase,
      reqs: b.reqs,
      failed: b.failed,
      failedN: b.failedN,
      errorRatio: undefined,
      p50: quantileSorted(sorted, 0.5),
      p95: quantileSorted(sorted, 0.95),
      p99: quantileSorted(sorted, 0.99),
      vus: b.vus,
      dropped: b.dropped,
      voteSuccess: Object.fromEntries([...b.votes].map(([c, v]) => [c, v.ok / v.n])),
    });
  }

  finish(): RunSeries {
    for (const s of [...this.open.keys()]) this.close(s);
    if (this.minSec === Infinity) throw new Error('no samples with a time in this file (is it k6 --out json output?)');
    const t0 = this.minSec;
    const seconds: SecondStats[] = [];
    let prevPhase: Phase | undefined;
    for (let sec = t0; sec <= this.lastSec; sec++) {
      const c = this.closed.get(sec);
      // A second with no samples at all is a real zero (nothing completed), in the phase of the one before.
      const phase = c?.phase ?? prevPhase;
      prevPhase = phase;
      seconds.push({
        t: sec - t0,
        phase,
        partial: sec === t0 || sec === this.lastSec,
        reqs: c?.reqs ?? 0,
        failed: c?.failed ?? 0,
        errorRatio: c && c.failedN > 0 ? c.failed / c.failedN : undefined,
        p50: c?.p50,
        p95: c?.p95,
        p99: c?.p99,
        vus: c?.vus,
        dropped: c?.dropped ?? 0,
        voteSuccess: c?.voteSuccess ?? {},
      });
    }
    const phases: PhaseStats[] = [];
    for (const p of [...PHASES, 'untagged'] as const) {
      const acc = this.phaseAcc.get(p);
      // Untagged = setup/teardown-free load without phase tags; a stray untagged dropped_iterations is no phase.
      if (!acc || (p === 'untagged' && acc.reqs === 0)) continue;
      phases.push({
        phase: p,
        seconds: seconds.filter((s) => (s.phase ?? 'untagged') === p).length,
        reqs: acc.reqs,
        failed: acc.failed,
        errorRatio: acc.failedN > 0 ? acc.failed / acc.failedN : undefined,
        p50: acc.sketch.quantile(0.5),
        p95: acc.sketch.quantile(0.95),
        p99: acc.sketch.quantile(0.99),
        maxMs: acc.sketch.count > 0 ? acc.sketch.max : undefined,
        dropped: acc.dropped,
      });
    }
    return {
      t0Ms: t0 * 1000,
      durationS: this.lastSec - t0 + 1,
      seconds,
      faults: pairFaults(this.faultEvents, t0 * 1000),
      phases,
      recovery: this.recovery,
      ledger: this.ledgerSeen ? { ...this.ledger } : undefined,
      scenarios: [...this.scenarios].sort(),
      clients: [...this.clients].sort(),
      lines: this.lines,
      lateSamples: this.late,
    };
  }
}

/** Pairs start/end markers per fault kind in time order; a start without an end stays open. */
export function pairFaults(events: { ms: number; event: string; fault: string; detail: string }[], t0Ms: number): FaultWindow[] {
  const out: FaultWindow[] = [];
  const openByKind = new Map<string, FaultWindow>();
  for (const e of [...events].sort((a, b) => a.ms - b.ms)) {
    const t = (e.ms - t0Ms) / 1000;
    if (e.event === 'start') {
      const w: FaultWindow = { kind: e.fault, detail: e.detail, start: t, end: undefined };
      openByKind.set(e.fault, w);
      out.push(w);
    } else if (e.event === 'end') {
      const w = openByKind.get(e.fault);
      if (w) {
        w.end = t;
        openByKind.delete(e.fault);
      }
    }
  }
  return out;
}
