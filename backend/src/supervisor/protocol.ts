// The IPC protocol between the supervisor (cluster primary) and its workers. Requests carry an id and get
// exactly one response; workers also announce events unprompted. Messages travel with Node's 'advanced'
// serialization (structured clone), so numbers such as NaN survive the trip.
import type { ActiveFault, FaultSpec } from '../management/target.ts';

/** A metric family as plain data: prom-client's getMetricsAsJSON() without its functions. */
export interface MetricFamily {
  name: string;
  help: string;
  type: 'counter' | 'gauge' | 'histogram' | 'summary';
  values: MetricSample[];
}

export interface MetricSample {
  /** Set for the series of histograms and summaries (`x_bucket`, `x_sum`, `x_count`). */
  metricName?: string;
  labels: Record<string, string | number>;
  value: number;
}

/** What the primary can ask a worker, and what each question returns. */
export interface Operations {
  metrics: { args: undefined; result: MetricFamily[] };
  ready: { args: undefined; result: { ready: boolean; reason?: string } };
  setFault: { args: FaultSpec; result: ActiveFault[] };
  faults: { args: undefined; result: ActiveFault[] };
  clearFaults: { args: undefined; result: number };
  /** Stop accepting API connections (leave the primary's round-robin); open connections stay. */
  stopAccepting: { args: undefined; result: null };
  /** Does nothing: its answer proves the worker has handled every message sent before it. */
  ping: { args: undefined; result: null };
}
export type OperationName = keyof Operations;

export type Request = {
  [K in OperationName]: { kind: 'request'; id: number; op: K; args: Operations[K]['args'] };
}[OperationName];

export type Response =
  | { kind: 'response'; id: number; ok: true; result: unknown }
  | { kind: 'response'; id: number; ok: false; error: string };

/** Worker -> primary, unprompted. `ready` = the API server is listening and the store is open. */
export type WorkerEvent =
  | { kind: 'event'; event: 'ready'; replica: string }
  | { kind: 'event'; event: 'draining'; replica: string }
  | { kind: 'event'; event: 'failed'; replica: string; error: string };

// Stopping a worker needs no message: SIGTERM is the one way, as a kubelet would do it, for kills, scale-down
// and supervisor shutdown alike.
export type ToWorker = Request;
export type ToPrimary = Response | WorkerEvent;

const isObject = (m: unknown): m is Record<string, unknown> => typeof m === 'object' && m !== null;

// Guards check the discriminant only: both ends are this codebase, and the channel is a private pipe.
export const isToWorker = (m: unknown): m is ToWorker =>
  isObject(m) && m.kind === 'request';
export const isToPrimary = (m: unknown): m is ToPrimary =>
  isObject(m) && (m.kind === 'response' || m.kind === 'event');
