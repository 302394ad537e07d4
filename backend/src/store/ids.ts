import { randomBytes, randomUUID } from 'node:crypto';

export const newPollId = () => randomBytes(9).toString('base64url');
export const newVoteId = () => randomUUID();
