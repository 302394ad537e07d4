// Server-side view of the same run window, from the service's own metrics (DESIGN §3), aligned to the
// report's seconds, and where it disagrees with what the client saw.
import type { RunSeries } from '../model.ts';
import { queryRange } from './client.ts';

export type ServerSignal = 'errorRatio' | 'p95Ms' | 'cpuCores' | 'memoryBytes' | 'restarts' | 'ready';

export interface ServerSeries {
  url: string;
  /** Trailing window of every rate() in seconds; the client side is smoothed the same way before comparing. */
  windowS: number;
  values: Record<ServerSignal, (number | undefined)[]>;
  /** Which queries returned nothing (metric absent) — shown, not hidden. */
  missing: ServerSignal[];
  disagreements: Disagreement[];
}

export interface Disagreement {
  t: number;
  signal: 'errorRatio' | 'p95Ms';
  client: number;
  server: number;
}

export function serverQueries(w: number): Record<ServerSignal, string> {
  return {
    // `or vector(0)`: a run without a single 5xx has no such series at all, which means 0, not "no data".
    errorRatio: `(sum(rate(http_requests_total{status_code=~"5.."}[${w}s])) or vector(0)) / sum(rate(http_requests_total[${w}s]))`,
    p95Ms: `1000 * histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket[${w}s])))`,
    cpuCores: `sum(rate(process_cpu_seconds_total[${w}s]))`,
    memoryBytes: 'sum(process_resident_memory_bytes)',
    restarts: 'sum(supervisor_replica_restarts_total) or sum(kube_pod_container_status_restarts_total)',
    ready: 'sum(supervisor_replicas_ready) or sum(kube_deployment_status_replicas_ready)',
  };
}

/** Queries one value per report second: the sample at the end of second t (t0 + t + 1). */
export async function fetchServerSeries(url: string, run: RunSeries, windowS = 10): Promise<ServerSeries> {
  const t0 = Math.floor(run.t0Ms / 1000);
  const n = run.durationS;
  const values = {} as Record<ServerSignal, (number | undefined)[]>;
  const missing: ServerSignal[] = [];
  const queries = serverQueries(windowS);
  await Promise.all(
    (Object.keys(queries) as ServerSignal[]).map(async (k) => {
      const result = await queryRange(url, queries[k], t0 + 1, t0 + n, 1);
      const arr: (number | undefined)[] = new Array(n).fill(undefined);
      for (const series of result.slice(0, 1)) {
        for (const [ts, v] of series.points) {
          const i = Math.round(ts - t0 - 1);
          if (i >= 0 && i < n && Number.isFinite(v)) arr[i] = v;
        }
      }
      if (arr.every((v) => v === undefined)) missing.push(k);
      values[k] = arr;
    }),
  );
  return { url, windowS, values, missing: missing.sort(), disagreements: disagreements(run, values, windowS) };
}

/** The client's error ratio over the same trailing window as the server's rate(), per second. */
export function clientWindowedErrorRatio(run: RunSeries, windowS: number): (number | undefined)[] {
  return run.seconds.map((_, t) => {
    if (t < windowS - 1) return undefined;
    const win = run.seconds.slice(t - windowS + 1, t + 1).filter((x) => !x.partial && x.errorRatio !== undefined);
    if (win.length < windowS / 2) return undefined;
    const reqs = win.reduce((a, x) => a + x.reqs, 0);
    return reqs > 0 ? win.reduce((a, x) => a + x.failed, 0) / reqs : undefined;
  });
}

/**
 * Seconds where client and server tell different stories: the client's error ratio over the same trailing
 * window as the server's rate() differs by more than 5 points and three standard errors (e.g. connection refused during a kill never
 * reaches the server), or the server's p95 is under half the client's median per-second p95 in the window
 * and at least 50 ms lower (time spent outside the handler: queueing, network, a dead replica).
 */
export function disagreements(run: RunSeries, server: Record<ServerSignal, (number | undefined)[]>, windowS: number): Disagreement[] {
  const out: Disagreement[] = [];
  const s = run.seconds;
  const clientErrors = clientWindowedErrorRatio(run, windowS);
  for (let t = windowS - 1; t < s.length; t++) {
    const win = s.slice(t - windowS + 1, t + 1).filter((x) => !x.partial);
    if (win.length < windowS / 2) continue;
    const reqs = win.reduce((a, x) => a + (x.errorRatio === undefined ? 0 : x.reqs), 0);
    const se = server.errorRatio[t];
    const ce = clientErrors[t];
    if (se !== undefined && ce !== undefined && reqs > 0) {
      // Sampling noise of a ratio over `reqs` requests is ~sqrt(p(1−p)/n); only three of those or 5 points count.
      const tolerance = Math.max(0.05, 3 * Math.sqrt((se * (1 - se)) / reqs));
      if (Math.abs(ce - se) > tolerance) out.push({ t, signal: 'errorRatio', client: ce, server: se });
    }
    const sp = server.p95Ms[t];
    const cps = win.map((x) => x.p95).filter((v): v is number => v !== undefined).sort((a, b) => a - b);
    if (sp !== undefined && cps.length > 0) {
      const cp = cps[Math.floor(cps.length / 2)] as number;
      if (cp > 2 * sp && cp - sp > 50) out.push({ t, signal: 'p95Ms', client: cp, server: sp });
    }
  }
  return out;
}
