// The one small interface both stores implement; the API knows nothing else about persistence.

export interface PollSummary {
  id: string;
  question: string;
  options: string[];
  createdAt: string;
}

export interface PollResults extends Omit<PollSummary, 'options'> {
  options: { name: string; votes: number }[];
  total: number;
}

export interface NewPoll {
  question: string;
  options: string[];
}

/** A vote as recorded; a replay returns exactly this again. */
export interface VoteRecord {
  id: string;
  poll: string;
  option: string;
  idempotencyKey: string | null;
  createdAt: string;
}

export interface VoteRequest {
  poll: string;
  option: string;
  idempotencyKey?: string | undefined;
}

export type VoteOutcome =
  | { kind: 'created'; vote: VoteRecord }
  | { kind: 'replayed'; vote: VoteRecord }
  | { kind: 'unknown-poll' }
  | { kind: 'unknown-option'; options: string[] }
  /** The key was first used for a different poll or option. */
  | { kind: 'key-conflict'; vote: VoteRecord };

export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  /** Creates or migrates the schema and seeds the default poll; safe when several processes start at once. */
  init(): Promise<void>;
  listPolls(): Promise<PollSummary[]>;
  createPoll(poll: NewPoll): Promise<PollSummary>;
  getPoll(id: string): Promise<PollResults | undefined>;
  /** Resolves only after the vote is durably committed (or found to be a replay). */
  vote(req: VoteRequest): Promise<VoteOutcome>;
  /** Cheap reachability check, bounded in time; rejects when the store cannot serve. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** The store could not serve (down, timed out, locked too long): the API answers 503. */
export class StoreUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}

export const DEFAULT_POLL = {
  id: 'default',
  question: 'Which language do you like best?',
  options: ['TypeScript', 'Python', 'Rust', 'Go'],
} as const;
