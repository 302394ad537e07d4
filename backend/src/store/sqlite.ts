// SQLite store (better-sqlite3, WAL). Several worker processes may share one file: every write runs in a
// BEGIN IMMEDIATE transaction under busy_timeout, and synchronous=FULL makes each commit durable before the
// vote is acknowledged. Votes are group-committed: one transaction (one fsync) per batch.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { createBatcher } from './batcher.ts';
import { newPollId, newVoteId } from './ids.ts';
import { replayOutcome, type PlannedVote } from './resolveBatch.ts';
import {
  DEFAULT_POLL,
  StoreUnavailableError,
  type NewPoll,
  type PollResults,
  type PollSummary,
  type Store,
  type VoteOutcome,
  type VoteRecord,
} from './types.ts';

const MIGRATIONS = [
  `CREATE TABLE IF NOT EXISTS polls (
     id TEXT PRIMARY KEY,
     question TEXT NOT NULL,
     created_at TEXT NOT NULL
   );
   CREATE TABLE IF NOT EXISTS poll_options (
     poll_id TEXT NOT NULL REFERENCES polls(id),
     position INTEGER NOT NULL,
     name TEXT NOT NULL,
     PRIMARY KEY (poll_id, name)
   );
   CREATE TABLE IF NOT EXISTS votes (
     id TEXT PRIMARY KEY,
     poll_id TEXT NOT NULL,
     option TEXT NOT NULL,
     idempotency_key TEXT UNIQUE,
     created_at TEXT NOT NULL,
     FOREIGN KEY (poll_id, option) REFERENCES poll_options(poll_id, name)
   );
   CREATE INDEX IF NOT EXISTS votes_by_option ON votes (poll_id, option);`,
];

interface VoteRow {
  id: string;
  poll_id: string;
  option: string;
  idempotency_key: string | null;
  created_at: string;
}

const toRecord = (r: VoteRow): VoteRecord => ({
  id: r.id,
  poll: r.poll_id,
  option: r.option,
  idempotencyKey: r.idempotency_key,
  createdAt: r.created_at,
});

export interface SqliteStoreOptions {
  path: string;
  /** How long a write waits for another process's lock before the request fails with 503. */
  busyTimeoutMs: number;
}

const unavailable = (err: unknown): never => {
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && /^SQLITE_(BUSY|LOCKED|IOERR|FULL|CANTOPEN|READONLY)/.test(code)) {
    throw new StoreUnavailableError(`sqlite: ${code}`, { cause: err });
  }
  throw err;
};

export function createSqliteStore(opts: SqliteStoreOptions): Store {
  if (opts.path !== ':memory:') mkdirSync(dirname(opts.path), { recursive: true });
  const db = new Database(opts.path);
  db.pragma(`busy_timeout = ${Math.trunc(opts.busyTimeoutMs)}`);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');

  const migrate = db.transaction(() => {
    const version = db.pragma('user_version', { simple: true }) as number;
    for (let v = version; v < MIGRATIONS.length; v++) db.exec(MIGRATIONS[v] as string);
    db.pragma(`user_version = ${MIGRATIONS.length}`);
  });

  let insertPoll: Database.Statement;
  let insertOption: Database.Statement;
  let selectOptions: Database.Statement<[string], { name: string }>;
  let selectPoll: Database.Statement<[string], { id: string; question: string; created_at: string }>;
  let selectPolls: Database.Statement<[], { id: string; question: string; created_at: string; options: string }>;
  let selectCounts: Database.Statement<[string], { name: string; votes: number }>;
  let selectVoteByKey: Database.Statement<[string], VoteRow>;
  let insertVote: Database.Statement;

  // Statements can only be prepared once the schema exists (after migrate).
  const prepareAll = () => {
    insertPoll = db.prepare('INSERT OR IGNORE INTO polls (id, question, created_at) VALUES (?, ?, ?)');
    insertOption = db.prepare('INSERT OR IGNORE INTO poll_options (poll_id, position, name) VALUES (?, ?, ?)');
    selectOptions = db.prepare('SELECT name FROM poll_options WHERE poll_id = ? ORDER BY position');
    selectPoll = db.prepare('SELECT id, question, created_at FROM polls WHERE id = ?');
    selectPolls = db.prepare(
      `SELECT p.id, p.question, p.created_at, json_group_array(o.name) AS options
         FROM polls p JOIN (SELECT * FROM poll_options ORDER BY poll_id, position) o ON o.poll_id = p.id
        GROUP BY p.id ORDER BY p.created_at, p.id`,
    );
    selectCounts = db.prepare(
      `SELECT o.name, (SELECT COUNT(*) FROM votes v WHERE v.poll_id = o.poll_id AND v.option = o.name) AS votes
         FROM poll_options o WHERE o.poll_id = ? ORDER BY o.position`,
    );
    selectVoteByKey = db.prepare(
      'SELECT id, poll_id, option, idempotency_key, created_at FROM votes WHERE idempotency_key = ?',
    );
    insertVote = db.prepare(
      'INSERT INTO votes (id, poll_id, option, idempotency_key, created_at) VALUES (?, ?, ?, ?, ?)',
    );
  };

  const createPollTx = db.transaction((id: string, poll: NewPoll, createdAt: string) => {
    insertPoll.run(id, poll.question, createdAt);
    poll.options.forEach((name, i) => insertOption.run(id, i, name));
  });

  // Polls never change once created, so their options can be cached for good after the first read.
  const optionsCache = new Map<string, string[]>();
  const pollOptions = (poll: string): string[] | undefined => {
    const cached = optionsCache.get(poll);
    if (cached) return cached;
    const names = selectOptions.all(poll).map((r) => r.name);
    if (names.length === 0) return undefined;
    optionsCache.set(poll, names);
    return names;
  };

  const writeBatch = db.transaction((planned: PlannedVote[]): VoteOutcome[] => {
    return planned.map((p): VoteOutcome => {
      const key = p.req.idempotencyKey;
      if (key !== undefined) {
        // Inside this transaction, the row of an earlier request of this batch (or of any process) is visible.
        const existing = selectVoteByKey.get(key);
        if (existing) return replayOutcome(p.req, toRecord(existing));
      }
      const r = p.record;
      insertVote.run(r.id, r.poll, r.option, r.idempotencyKey, r.createdAt);
      return { kind: 'created', vote: r };
    });
  });

  const batcher = createBatcher<PlannedVote, VoteOutcome>(async (planned) => {
    try {
      return writeBatch.immediate(planned);
    } catch (err) {
      return unavailable(err);
    }
  });

  let closed = false;

  return {
    kind: 'sqlite',
    async init() {
      try {
        migrate.immediate();
        prepareAll();
        createPollTx.immediate(DEFAULT_POLL.id, { ...DEFAULT_POLL, options: [...DEFAULT_POLL.options] }, new Date(0).toISOString());
      } catch (err) {
        unavailable(err);
      }
    },
    async listPolls(): Promise<PollSummary[]> {
      try {
        return selectPolls.all().map((r) => ({
          id: r.id,
          question: r.question,
          options: JSON.parse(r.options) as string[],
          createdAt: r.created_at,
        }));
      } catch (err) {
        return unavailable(err);
      }
    },
    async createPoll(poll) {
      const id = newPollId();
      const createdAt = new Date().toISOString();
      try {
        createPollTx.immediate(id, poll, createdAt);
      } catch (err) {
        unavailable(err);
      }
      return { id, question: poll.question, options: [...poll.options], createdAt };
    },
    async getPoll(id): Promise<PollResults | undefined> {
      try {
        const p = selectPoll.get(id);
        if (!p) return undefined;
        const options = selectCounts.all(id);
        const total = options.reduce((n, o) => n + o.votes, 0);
        return { id: p.id, question: p.question, createdAt: p.created_at, options, total };
      } catch (err) {
        return unavailable(err);
      }
    },
    async vote(req) {
      let options: string[] | undefined;
      try {
        options = pollOptions(req.poll);
      } catch (err) {
        return unavailable(err);
      }
      if (!options) return { kind: 'unknown-poll' };
      if (!options.includes(req.option)) return { kind: 'unknown-option', options };
      const record: VoteRecord = {
        id: newVoteId(),
        poll: req.poll,
        option: req.option,
        idempotencyKey: req.idempotencyKey ?? null,
        createdAt: new Date().toISOString(),
      };
      return batcher.submit({ req, record });
    },
    async ping() {
      if (closed) throw new StoreUnavailableError('sqlite: closed');
      try {
        db.prepare('SELECT 1').get();
      } catch (err) {
        unavailable(err);
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await batcher.idle();
      db.close();
    },
  };
}
