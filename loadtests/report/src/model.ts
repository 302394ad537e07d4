// The data a report is made of. Times are seconds since the run's first whole second (t0) unless named *Ms.
import type { Phase } from '../../lib/contract.ts';

export interface SecondStats {
  /** Seconds since t0; the bucket covers [t, t+1). */
  t: number;
  /** Most frequent `phase` tag among the second's requests; undefined when none carried one. */
  phase: Phase | undefined;
  /** First or last second of the run: only partly covered, so analysis leaves it out. */
  partial: boolean;
  /** Completed requests (http_reqs) in this second = request rate in req/s. */
  reqs: number;
  /** Failed requests (http_req_failed = 1). */
  failed: number;
  /** failed / http_req_failed samples; undefined when no request finished in this second. */
  errorRatio: number | undefined;
  /** http_req_duration percentiles in ms (k6 interpolation, exact over this second's samples). */
  p50: number | undefined;
  p95: number | undefined;
  p99: number | undefined;
  /** Last `vus` gauge value in this second. */
  vus: number | undefined;
  dropped: number;
  /** client_vote_success per client population (naive, retrying): share of logical votes acknowledged. */
  voteSuccess: Record<string, number>;
}

export interface FaultWindow {
  kind: string;
  detail: string;
  /** Seconds since t0 (fractional). */
  start: number;
  /** undefined when the run ended without an end marker. */
  end: number | undefined;
}

export interface PhaseStats {
  phase: Phase | 'untagged';
  seconds: number;
  reqs: number;
  failed: number;
  errorRatio: number | undefined;
  /** Whole-phase percentiles from a ±1 % sketch. */
  p50: number | undefined;
  p95: number | undefined;
  p99: number | undefined;
  maxMs: number | undefined;
  dropped: number;
}

export interface Ledger {
  acked: number;
  sent: number;
  stored: number;
  lost: number;
  excess: number;
  /** Teardown reported the stored count; false while a run is still going or when teardown failed. */
  storedReported: boolean;
}

export interface RunSeries {
  /** Epoch ms of t = 0. */
  t0Ms: number;
  durationS: number;
  seconds: SecondStats[];
  faults: FaultWindow[];
  phases: PhaseStats[];
  /** recovery_time samples the scenario measured itself, in ms. */
  recovery: { kind: string; ms: number }[];
  ledger: Ledger | undefined;
  /** Client populations that reported client_vote_success. */
  clients: string[];
  /** Values of `scenario` tags seen on load samples. */
  scenarios: string[];
  lines: number;
  /** Latency samples that arrived after their second had been closed (counted, not in percentiles). */
  lateSamples: number;
}
