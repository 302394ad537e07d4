// Pure part of a vote batch: which votes must be written, and how each request is answered once the
// idempotency keys' stored records are known. Shared by both stores so they cannot disagree.
import type { VoteOutcome, VoteRecord, VoteRequest } from './types.ts';

export interface PlannedVote {
  req: VoteRequest;
  /** The record this request inserts if its key is new. */
  record: VoteRecord;
}

/** Outcome for a request whose key already has `stored`. */
export function replayOutcome(req: VoteRequest, stored: VoteRecord): VoteOutcome {
  return stored.poll === req.poll && stored.option === req.option
    ? { kind: 'replayed', vote: stored }
    : { kind: 'key-conflict', vote: stored };
}

/**
 * Splits a batch: the first request per idempotency key (and every keyless one) is a candidate insert; later
 * requests with the same key in the same batch are answered from whatever record that key ends up with.
 */
export function planBatch(planned: PlannedVote[]): { inserts: PlannedVote[]; followers: Map<number, string> } {
  const seen = new Set<string>();
  const inserts: PlannedVote[] = [];
  const followers = new Map<number, string>();
  planned.forEach((p, i) => {
    const key = p.req.idempotencyKey;
    if (key === undefined) return void inserts.push(p);
    if (seen.has(key)) return void followers.set(i, key);
    seen.add(key);
    inserts.push(p);
  });
  return { inserts, followers };
}
