import { randomBytes, randomUUID } from 'node:crypto';
import type { VoteRecord, VoteRequest } from './types.ts';

export const newPollId = () => randomBytes(9).toString('base64url');

/** The stored form of a vote, minted once per request so both stores record the same fields. */
export const newVoteRecord = (req: VoteRequest): VoteRecord => ({
  id: randomUUID(),
  poll: req.poll,
  option: req.option,
  idempotencyKey: req.idempotencyKey ?? null,
  createdAt: new Date().toISOString(),
});
