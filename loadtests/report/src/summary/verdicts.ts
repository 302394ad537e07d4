// One verdict per prediction: each threshold in the summary, what it demanded, what was observed.
import { LEDGER } from '../../../lib/contract.ts';
import type { Ledger } from '../model.ts';
import type { Summary, SummaryMetric } from './summary.ts';

export interface Verdict {
  /** `http_req_duration{phase:fault}` */
  metricKey: string;
  /** `p(95)<500` as written */
  source: string;
  ok: boolean;
  aggregation: string;
  op: string;
  limit: number;
  /** undefined when the summary does not carry that statistic (e.g. p(99) outside summaryTrendStats). */
  observed: number | undefined;
  unit: 'ms' | 'bytes' | 'ratio' | '';
  /** The selector's `phase` value, if any. */
  phase: string | undefined;
}

const OPS = ['<=', '<', '>=', '>', '===', '==', '!='] as const;

/** Splits a threshold expression with k6's operator order (spec §3.1). */
export function parseThreshold(source: string): { aggregation: string; op: string; limit: number } | undefined {
  const s = source.replace(/\s+/g, '');
  for (const op of OPS) {
    const i = s.indexOf(op);
    if (i < 0) continue;
    const rhs = s.slice(i + op.length);
    if (rhs === '') continue;
    const limit = Number.parseFloat(rhs);
    if (Number.isNaN(limit)) return undefined;
    return { aggregation: s.slice(0, i), op: op === '===' ? '==' : op, limit };
  }
  return undefined;
}

function observedValue(m: SummaryMetric, agg: string): number | undefined {
  if (agg === 'med') return m.values.med ?? m.values['p(50)'];
  const direct = m.values[agg];
  if (direct !== undefined) return direct;
  // p(95.0) and p(95) name the same statistic.
  const p = /^p\((\d+(?:\.\d+)?)\)$/.exec(agg);
  if (p) {
    const want = Number(p[1]);
    for (const [k, v] of Object.entries(m.values)) {
      const q = /^p\((\d+(?:\.\d+)?)\)$/.exec(k);
      if (q && Number(q[1]) === want) return v;
    }
  }
  return undefined;
}

export function verdicts(summary: Summary): Verdict[] {
  const out: Verdict[] = [];
  for (const [metricKey, m] of Object.entries(summary.metrics)) {
    for (const [source, { ok }] of Object.entries(m.thresholds ?? {})) {
      const parsed = parseThreshold(source);
      const phase = /[{,]\s*phase\s*:\s*['"]?([^,}'"]+)/.exec(metricKey)?.[1];
      out.push({
        metricKey,
        source,
        ok,
        aggregation: parsed?.aggregation ?? source,
        op: parsed?.op ?? '?',
        limit: parsed?.limit ?? Number.NaN,
        observed: parsed ? observedValue(m, parsed.aggregation) : undefined,
        unit: m.type === 'rate' ? 'ratio' : m.contains === 'time' ? 'ms' : m.contains === 'data' ? 'bytes' : '',
        phase,
      });
    }
  }
  return out.sort((a, b) => a.metricKey.localeCompare(b.metricKey) || a.source.localeCompare(b.source));
}

/** The ledger as the summary JSON states it (counter counts), when the scenario kept one. */
export function summaryLedger(summary: Summary): Ledger | undefined {
  const count = (name: string) => summary.metrics[name]?.values.count;
  if (count(LEDGER.acked) === undefined && count(LEDGER.stored) === undefined) return undefined;
  return {
    acked: count(LEDGER.acked) ?? 0,
    sent: count(LEDGER.sent) ?? 0,
    stored: count(LEDGER.stored) ?? 0,
    lost: count(LEDGER.lost) ?? 0,
    excess: count(LEDGER.excess) ?? 0,
    storedReported: count(LEDGER.stored) !== undefined,
  };
}
