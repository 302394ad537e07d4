// Table rows shared by the HTML and Markdown renderers.
import type { ReportModel } from '../build-model.ts';
import { signalLabel } from '../analysis/band.ts';
import { fmtMs, fmtNum, fmtPct, fmtSec, fmtValue } from './format.ts';

export type Row = string[];

export function verdictRows(m: ReportModel): { head: Row; rows: Row[] } {
  return {
    head: ['result', 'metric', 'prediction', 'observed'],
    rows: m.verdicts.map((v) => [v.ok ? '✓ held' : '✗ failed', v.metricKey, v.source, fmtValue(v.observed, v.unit)]),
  };
}

export function phaseRows(m: ReportModel): { head: Row; rows: Row[] } {
  return {
    head: ['phase', 'seconds', 'requests', 'error ratio', 'p50', 'p95', 'p99', 'max', 'dropped'],
    rows: m.series.phases.map((p) => [
      p.phase,
      fmtNum(p.seconds),
      fmtNum(p.reqs),
      fmtPct(p.errorRatio),
      fmtMs(p.p50),
      fmtMs(p.p95),
      fmtMs(p.p99),
      fmtMs(p.maxMs),
      fmtNum(p.dropped),
    ]),
  };
}

export function faultRows(m: ReportModel): { head: Row; rows: Row[] } {
  return {
    head: ['fault', 'window', 'seen at', 'time to detect', 'first signal', 'recovered at', 'time to recover'],
    rows: m.analysis.faults.map((f) => [
      `${f.fault.kind}${f.fault.detail ? ` — ${f.fault.detail}` : ''}`,
      `${fmtSec(f.fault.start)} → ${f.fault.end === undefined ? 'end' : fmtSec(f.fault.end)}`,
      fmtSec(f.detectedAt),
      fmtSec(f.timeToDetect),
      f.firstSignals.map(signalLabel).join(', ') || 'none',
      fmtSec(f.recoveredAt),
      f.timeToRecover === undefined ? (f.note ?? '–') : fmtSec(f.timeToRecover),
    ]),
  };
}

export function ledgerRows(m: ReportModel): { head: Row; rows: Row[] } | undefined {
  if (!m.ledger) return undefined;
  const l = m.ledger.values;
  return {
    head: ['acknowledged', 'distinct keys sent', 'stored', 'lost (acked − stored)', 'counted twice (stored − sent)', 'verdict'],
    rows: [
      [
        fmtNum(l.acked),
        l.sent === 0 ? 'not kept' : fmtNum(l.sent),
        l.storedReported ? fmtNum(l.stored) : 'not reported',
        l.storedReported ? fmtNum(Math.max(0, l.acked - l.stored)) : '–',
        l.sent === 0 || !l.storedReported ? '–' : fmtNum(Math.max(0, l.stored - l.sent)),
        m.ledger.balanced ? '✓ balanced' : l.storedReported ? '✗ does not balance' : '✗ incomplete: teardown never reported the stored count',
      ],
    ],
  };
}

export function disagreementRows(m: ReportModel): { head: Row; rows: Row[] } | undefined {
  if (!m.server) return undefined;
  // Consecutive seconds with the same signal collapse into one span.
  const spans: { signal: string; from: number; to: number; client: number; server: number }[] = [];
  for (const d of m.server.disagreements) {
    const last = spans.at(-1);
    if (last && last.signal === d.signal && last.to === d.t - 1) last.to = d.t;
    else spans.push({ signal: d.signal, from: d.t, to: d.t, client: d.client, server: d.server });
  }
  return {
    head: ['signal', 'seconds', 'client (first second)', 'server (first second)'],
    rows: spans.map((s) => [
      s.signal === 'errorRatio' ? 'error ratio' : 'p95 latency',
      `${s.from}–${s.to + 1} s`,
      s.signal === 'errorRatio' ? fmtPct(s.client) : fmtMs(s.client),
      s.signal === 'errorRatio' ? fmtPct(s.server) : fmtMs(s.server),
    ]),
  };
}
