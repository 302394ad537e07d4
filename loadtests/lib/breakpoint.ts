// Breakpoint analysis: from per-bucket sub-metrics in the summary, the highest arrival rate at which the service
// still met its SLO in that bucket and every bucket below it. Pure, unit-tested in Node.
import { BREAKPOINT_RATE_METRIC, RATE_BUCKET_TAG } from './contract.ts';
import type { Prediction } from './timeline.ts';
import type { SummaryData } from './verdict.ts';

export const buckets = (startRate: number, maxRate: number, step: number): number[] => {
  const out: number[] = [];
  for (let b = Math.floor(startRate / step) * step; b <= maxRate; b += step) out.push(Math.round(b * 1000) / 1000);
  return out;
};

/** Thresholds that cannot fail and exist only so each bucket's values appear in the summary data. */
export const bucketExports = (bs: number[]): Prediction[] =>
  bs.flatMap((b) => {
    const tags = { scenario: 'load', [RATE_BUCKET_TAG]: String(b) };
    return [
      { metric: 'http_reqs', tags, expr: 'count>=0', text: '' },
      { metric: 'http_req_failed', tags, expr: 'rate>=0', text: '' },
      { metric: 'http_req_duration', tags, expr: 'p(95)>=0', text: '' },
    ];
  });

export interface BucketStat {
  bucket: number;
  requests: number;
  failedRate: number;
  p95Ms: number;
}

export function bucketStats(data: SummaryData, bs: number[]): BucketStat[] {
  return bs
    .map((b) => {
      const sel = `{scenario:load,${RATE_BUCKET_TAG}:${b}}`;
      return {
        bucket: b,
        requests: data.metrics[`http_reqs${sel}`]?.values.count ?? 0,
        failedRate: data.metrics[`http_req_failed${sel}`]?.values.rate ?? 0,
        p95Ms: data.metrics[`http_req_duration${sel}`]?.values['p(95)'] ?? 0,
      };
    })
    .filter((s) => s.requests > 0);
}

/** The highest bucket such that it and all below met the SLO; undefined when even the first one missed. */
export function highestSustained(stats: BucketStat[], slo: { p95Ms: number; errorRate: number }): BucketStat | undefined {
  let best: BucketStat | undefined;
  for (const s of [...stats].sort((a, b) => a.bucket - b.bucket)) {
    if (s.p95Ms >= slo.p95Ms || s.failedRate >= slo.errorRate) break;
    best = s;
  }
  return best;
}

export function breakpointNotes(
  data: SummaryData,
  bs: number[],
  step: number,
  slo: { p95Ms: number; errorRate: number },
  maxRate: number,
): string[] {
  const stats = bucketStats(data, bs);
  const reached = data.metrics[BREAKPOINT_RATE_METRIC]?.values.max;
  const best = highestSustained(stats, slo);
  const firstBad = stats.find((s) => !best || s.bucket > best.bucket);
  const span = (b: number) => (b >= maxRate ? `${b}` : `${b}-${Math.min(b + step, maxRate)}`);
  const lines = [reached === undefined ? 'ramp reached: no data' : `ramp reached ${reached.toFixed(1)} req/s (of ${maxRate})`];
  if (!best) lines.push(`highest sustained rate: none - the SLO was missed from the first bucket`);
  else lines.push(`highest sustained rate: ${span(best.bucket)} req/s (p95 ${best.p95Ms.toFixed(1)} ms, ${(best.failedRate * 100).toFixed(2)} % failed)`);
  if (firstBad && best && firstBad.bucket > best.bucket) {
    lines.push(`first struggling bucket: ${span(firstBad.bucket)} req/s (p95 ${firstBad.p95Ms.toFixed(1)} ms, ${(firstBad.failedRate * 100).toFixed(2)} % failed)`);
  }
  return lines;
}
