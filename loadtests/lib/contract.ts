// The names that scenarios write into k6's output and that the report reads back. Plain constants with
// no k6 or Node imports, so both sides compile against the same file and cannot drift apart.

/** Every load sample carries `phase`; a run's phases are a subset of these, in this order. */
export const PHASES = ['warmup', 'steady', 'fault', 'recovery'] as const;
export type Phase = (typeof PHASES)[number];
export const PHASE_TAG = 'phase';

/** Scenario names inside `options.scenarios`. */
export const LOAD_SCENARIO = 'load';
export const FAULT_SCENARIO = 'fault';

/**
 * Fault markers: one Counter sample (value 1) when a fault starts and one when it ends, tagged
 * `event` = start | end, `fault` = its kind, and `detail` = a short human description.
 */
export const FAULT_EVENTS_METRIC = 'chaos_fault_events';
export type FaultEvent = 'start' | 'end';
export type FaultKind = 'latency' | 'errors' | 'kill' | 'scale' | 'spike';

/**
 * Recovery as measured by the scenario itself (Trend, ms, isTime), tagged `kind`:
 * `requests` = from fault end until requests succeed within the baseline band for several consecutive seconds,
 * `replicas` = from fault end (or kill) until every replica is ready again.
 */
export const RECOVERY_METRIC = 'recovery_time';
export type RecoveryKind = 'requests' | 'replicas';
/**
 * Rate, one sample per measured kind (tagged `kind`): 1 when that recovery was observed before the run ended,
 * 0 when it was not. `recovery_time` has a sample only for recoveries that happened, so a missing recovery is
 * told apart from a fast one.
 */
export const RECOVERED_METRIC = 'recovery_ok';

/**
 * Vote ledger. Each acknowledged vote adds 1 to `ledger_votes_acked`; each distinct idempotency key sent adds 1
 * to `ledger_votes_sent`; teardown adds the stored total to `ledger_votes_stored`. The balance counters get the
 * same samples with signs, so plain k6 thresholds (`count<=0`) decide: `ledger_votes_lost` = acked - stored,
 * `ledger_votes_excess` = stored - sent (a vote counted twice). Counters accept negative values in k6.
 */
export const LEDGER = {
  acked: 'ledger_votes_acked',
  sent: 'ledger_votes_sent',
  stored: 'ledger_votes_stored',
  lost: 'ledger_votes_lost',
  excess: 'ledger_votes_excess',
} as const;

/** Where a run's files land (relative to the working directory). */
export const resultFiles = (scenario: string) => ({
  summary: `results/${scenario}.json`,
  ndjson: `results/${scenario}.ndjson`,
  junit: `results/${scenario}.junit.xml`,
  html: `results/${scenario}.html`,
  markdown: `results/${scenario}.md`,
});

/**
 * Run parameters for the report. A scenario's `setup()` returns an object with this under `run`
 * (`return { ...data, run: runInfo }`), so it lands in the summary JSON's `setup_data.run`. Every field is
 * optional: the report falls back to what it can observe in the NDJSON and says so.
 */
export const RUN_INFO_KEY = 'run';
export interface RunInfo {
  scenario?: string;
  /** `k6` or `chaoslab-k6run` (pass `-e ENGINE=...`). */
  engine?: string;
  /** Target arrival rate of the load scenario, requests per second. */
  rate?: number;
  /** Planned seconds per phase, e.g. { warmup: 10, fault: 30, recovery: 30 }. */
  phases?: Partial<Record<Phase, number>>;
  /** Human description of the fault, e.g. `+500 ms on all replicas for 30 s`. */
  fault?: string;
  /** `git rev-parse --short HEAD` (pass `-e GIT_COMMIT=...`). */
  gitCommit?: string;
  /** RFC 3339 start time of setup(). */
  startedAt?: string;
  target?: string;
}

/**
 * Client populations. Every load request carries `client`; the errors scenario runs a `naive` population
 * (one attempt per vote) next to a `retrying` one (same idempotency key on every attempt). Each population is
 * its own k6 scenario: the first is `LOAD_SCENARIO`, the others `load_<client>`.
 */
export const CLIENT_TAG = 'client';
export type ClientKind = 'naive' | 'retrying';
export const loadScenarioName = (client: ClientKind, index: number) => (index === 0 ? LOAD_SCENARIO : `load_${client}`);

/** Rate, one sample per logical vote (after all of its attempts), tagged `client` and `phase`: did it end acknowledged? */
export const VOTE_SUCCESS_METRIC = 'client_vote_success';

/**
 * Breakpoint scenario: every load request carries `rate_bucket` = the scheduled arrival rate at its start, rounded
 * down to the bucket step (req/s). `breakpoint_rate` (Gauge) holds the scheduled rate of the latest iteration, so
 * its `max` is the highest rate the ramp reached before it ended or aborted.
 */
export const RATE_BUCKET_TAG = 'rate_bucket';
export const BREAKPOINT_RATE_METRIC = 'breakpoint_rate';
