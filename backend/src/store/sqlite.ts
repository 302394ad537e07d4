// SQLite store (better-sqlite3, WAL), the embedded default. Several worker processes may share one file.
// Reads and the rare poll creation run on the main thread's connection; votes are group-committed by a writer
// thread (see sqliteWriter.ts), so fsyncs never block the event loop that serves HTTP.
import type Database from 'better-sqlite3';
import { createBatcher } from './batcher.ts';
import { newPollId, newVoteRecord } from './ids.ts';
import { replayOutcome, type PlannedVote } from './resolveBatch.ts';
import { MIGRATIONS, openDatabase, rethrowUnavailable, toRow } from './sqliteSchema.ts';
import { startSqliteWriter, type SqliteWriterClient } from './sqliteWriter.ts';
import {
  DEFAULT_POLL,
  StoreUnavailableError,
  type NewPoll,
  type PollResults,
  type PollSummary,
  type Store,
  type VoteOutcome,
} from './types.ts';

// Measured with make bench-backend's load (64 connections): 8-16 keep the event loop busy while the first
// votes of a burst commit; 1 (a message per vote) costs more than it gains.
const FLUSH_AT = 16;

export interface SqliteStoreOptions {
  path: string;
  /** How long a write waits for another process's lock before the request fails with 503. */
  busyTimeoutMs: number;
}

interface Statements {
  insertPoll: Database.Statement<[string, string, string]>;
  insertOption: Database.Statement<[string, number, string]>;
  selectOptions: Database.Statement<[string], { name: string }>;
  selectPoll: Database.Statement<[string], { id: string; question: string; created_at: string }>;
  selectPolls: Database.Statement<[], { id: string; question: string; created_at: string; options: string }>;
  selectCounts: Database.Statement<[string], { name: string; votes: number }>;
}

// Statements can only be prepared once the schema exists (after migrating).
const prepare = (db: Database.Database): Statements => ({
  insertPoll: db.prepare('INSERT OR IGNORE INTO polls (id, question, created_at) VALUES (?, ?, ?)'),
  insertOption: db.prepare('INSERT OR IGNORE INTO poll_options (poll_id, position, name) VALUES (?, ?, ?)'),
  selectOptions: db.prepare('SELECT name FROM poll_options WHERE poll_id = ? ORDER BY position'),
  selectPoll: db.prepare('SELECT id, question, created_at FROM polls WHERE id = ?'),
  selectPolls: db.prepare(
    `SELECT p.id, p.question, p.created_at, json_group_array(o.name) AS options
       FROM polls p JOIN (SELECT * FROM poll_options ORDER BY poll_id, position) o ON o.poll_id = p.id
      GROUP BY p.id ORDER BY p.created_at, p.id`,
  ),
  selectCounts: db.prepare(
    `SELECT o.name, (SELECT COUNT(*) FROM votes v WHERE v.poll_id = o.poll_id AND v.option = o.name) AS votes
       FROM poll_options o WHERE o.poll_id = ? ORDER BY o.position`,
  ),
});

export function createSqliteStore(opts: SqliteStoreOptions): Store {
  const db = openDatabase(opts.path, opts.busyTimeoutMs);
  let st: Statements | undefined;
  let writer: SqliteWriterClient | undefined;
  let closed = false;

  const ready = () => {
    if (closed) throw new StoreUnavailableError('sqlite: store closed');
    if (!st || !writer) throw new Error('sqlite store used before init()');
    return { st, writer };
  };

  const migrate = db.transaction(() => {
    const version = db.pragma('user_version', { simple: true }) as number;
    for (let v = version; v < MIGRATIONS.length; v++) db.exec(MIGRATIONS[v] as string);
    db.pragma(`user_version = ${MIGRATIONS.length}`);
  });
  const insertPollTx = db.transaction((s: Statements, id: string, poll: NewPoll, createdAt: string) => {
    s.insertPoll.run(id, poll.question, createdAt);
    poll.options.forEach((name, i) => s.insertOption.run(id, i, name));
  });

  // Polls never change once created, so their options can be cached for good after the first read.
  const optionsCache = new Map<string, string[]>();
  const pollOptions = (s: Statements, poll: string): string[] | undefined => {
    const cached = optionsCache.get(poll);
    if (cached) return cached;
    const names = s.selectOptions.all(poll).map((r) => r.name);
    if (names.length === 0) return undefined;
    optionsCache.set(poll, names);
    return names;
  };

  // Batches go to the writer thread at once (every FLUSH_AT votes, and at the end of each turn of the event
  // loop); it merges whatever queued up behind its current commit into the next one.
  const batcher = createBatcher<PlannedVote, VoteOutcome>(
    async (planned) => {
      const stored = await ready().writer.write(planned.map((p) => toRow(p.record)));
      return planned.map((p, i) => {
        const prior = stored[i];
        return prior ? replayOutcome(p.req, prior) : { kind: 'created', vote: p.record };
      });
    },
    { maxInFlight: Number.POSITIVE_INFINITY, flushAt: FLUSH_AT },
  );

  const guarded = <T>(fn: () => T): T => {
    try {
      return fn();
    } catch (err) {
      return rethrowUnavailable(err);
    }
  };

  return {
    kind: 'sqlite',
    async init() {
      guarded(() => {
        migrate.immediate();
        st ??= prepare(db);
        insertPollTx.immediate(st, DEFAULT_POLL.id, { ...DEFAULT_POLL, options: [...DEFAULT_POLL.options] }, new Date(0).toISOString());
      });
      writer ??= startSqliteWriter({ path: opts.path, busyTimeoutMs: opts.busyTimeoutMs });
    },
    async listPolls(): Promise<PollSummary[]> {
      const { st: s } = ready();
      return guarded(() =>
        s.selectPolls.all().map((r) => ({
          id: r.id,
          question: r.question,
          options: JSON.parse(r.options) as string[],
          createdAt: r.created_at,
        })),
      );
    },
    async createPoll(poll) {
      const { st: s } = ready();
      const id = newPollId();
      const createdAt = new Date().toISOString();
      guarded(() => insertPollTx.immediate(s, id, poll, createdAt));
      return { id, question: poll.question, options: [...poll.options], createdAt };
    },
    async getPoll(id): Promise<PollResults | undefined> {
      const { st: s } = ready();
      return guarded(() => {
        const p = s.selectPoll.get(id);
        if (!p) return undefined;
        const options = s.selectCounts.all(id);
        const total = options.reduce((n, o) => n + o.votes, 0);
        return { id: p.id, question: p.question, createdAt: p.created_at, options, total };
      });
    },
    async vote(req) {
      const { st: s } = ready();
      const options = guarded(() => pollOptions(s, req.poll));
      if (!options) return { kind: 'unknown-poll' };
      if (!options.includes(req.option)) return { kind: 'unknown-option', options };
      return batcher.submit({ req, record: newVoteRecord(req) });
    },
    async ping() {
      const { writer: w } = ready();
      const dead = w.failure();
      if (dead) throw new StoreUnavailableError(`sqlite writer: ${dead}`);
      guarded(() => db.prepare('SELECT 1').get());
    },
    async close() {
      if (closed) return;
      closed = true;
      await batcher.idle();
      await writer?.close();
      db.close();
    },
  };
}
