// The vote ledger: counters that let plain k6 thresholds prove no acknowledged vote was lost and none counted
// twice. The names and the balance trick are in contract.ts (LEDGER).
import { Counter } from 'k6/metrics';
import { LEDGER } from './contract.ts';
import type { Prediction } from './timeline.ts';

const sent = new Counter(LEDGER.sent);
const acked = new Counter(LEDGER.acked);
const stored = new Counter(LEDGER.stored);
const lost = new Counter(LEDGER.lost);
const excess = new Counter(LEDGER.excess);

/** A new idempotency key was sent for the first time (retries of the same key are not counted again). */
export function recordSent(): void {
  sent.add(1);
  excess.add(-1);
}

export function recordAcked(): void {
  acked.add(1);
  lost.add(1);
}

/** Teardown: the poll's stored total, read back from the service. */
export function recordStored(total: number): void {
  stored.add(total);
  lost.add(-total);
  excess.add(total);
}

export const ledgerPredictions = (): Prediction[] => [
  { metric: LEDGER.lost, expr: 'count<=0', text: 'no acknowledged vote is lost' },
  { metric: LEDGER.excess, expr: 'count<=0', text: 'no vote is counted twice' },
  // Without a stored sample the balance counters prove nothing; this makes a failed read-back fail the run.
  { metric: LEDGER.stored, expr: 'count>=0', text: 'teardown read the stored votes back' },
];
