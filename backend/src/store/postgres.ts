// PostgreSQL store (pg). Every connect and query is bounded by the store timeout, so a database that is down
// fails requests fast (503) instead of hanging them, and the pool reconnects by itself once it is back.
// Votes are group-committed: one INSERT statement (one transaction, one WAL flush) per batch.
import pg from 'pg';
import { createBatcher } from './batcher.ts';
import { newPollId, newVoteRecord } from './ids.ts';
import { planBatch, replayOutcome, type PlannedVote } from './resolveBatch.ts';
import {
  DEFAULT_POLL,
  StoreUnavailableError,
  type PollResults,
  type PollSummary,
  type Store,
  type VoteOutcome,
  type VoteRecord,
} from './types.ts';

// Serialises schema changes and seeding when several replicas start at once.
const MIGRATION_LOCK = 0x63686c62; // "chlb"

const MIGRATIONS = [
  `CREATE TABLE IF NOT EXISTS polls (
     id text PRIMARY KEY,
     question text NOT NULL,
     created_at timestamptz NOT NULL
   );
   CREATE TABLE IF NOT EXISTS poll_options (
     poll_id text NOT NULL REFERENCES polls(id),
     position integer NOT NULL,
     name text NOT NULL,
     PRIMARY KEY (poll_id, name)
   );
   CREATE TABLE IF NOT EXISTS votes (
     id uuid PRIMARY KEY,
     poll_id text NOT NULL,
     option text NOT NULL,
     idempotency_key text UNIQUE,
     created_at timestamptz NOT NULL,
     FOREIGN KEY (poll_id, option) REFERENCES poll_options(poll_id, name)
   );
   CREATE INDEX IF NOT EXISTS votes_by_option ON votes (poll_id, option);`,
  // v2 (as in SQLite): votes keyed by a sequence; the public UUID is a plain column, since no request looks a
  // vote up by it and a random-key index is the costliest part of every insert.
  `ALTER TABLE votes DROP CONSTRAINT votes_pkey;
   ALTER TABLE votes ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY;
   ALTER TABLE votes ADD PRIMARY KEY (seq);`,
];

interface VoteRow {
  id: string;
  poll_id: string;
  option: string;
  idempotency_key: string | null;
  created_at: Date;
}

const toRecord = (r: VoteRow): VoteRecord => ({
  id: r.id,
  poll: r.poll_id,
  option: r.option,
  idempotencyKey: r.idempotency_key,
  createdAt: r.created_at.toISOString(),
});

/** Connection-level trouble (no SQLSTATE, or classes 08/53/57) means "unavailable"; anything else is a bug. */
function rethrow(err: unknown): never {
  const code = (err as { code?: unknown }).code;
  const sqlstate = typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
  if (sqlstate === undefined || /^(08|53|57)/.test(sqlstate)) {
    throw new StoreUnavailableError(`postgres: ${(err as Error).message}`, { cause: err });
  }
  throw err;
}

export interface PostgresStoreOptions {
  url: string;
  timeoutMs: number;
  poolSize: number;
  onError?: (err: Error) => void;
}

export function createPostgresStore(opts: PostgresStoreOptions): Store {
  const pool = new pg.Pool({
    connectionString: opts.url,
    max: opts.poolSize,
    connectionTimeoutMillis: opts.timeoutMs,
    query_timeout: opts.timeoutMs,
    statement_timeout: opts.timeoutMs,
    idleTimeoutMillis: 10_000,
    keepAlive: true,
  });
  // An idle client whose server went away emits here; without a listener that would crash the process.
  pool.on('error', (err) => opts.onError?.(err));

  const query = async <R extends pg.QueryResultRow>(text: string, values?: unknown[]) => {
    try {
      return await pool.query<R>(text, values);
    } catch (err) {
      return rethrow(err);
    }
  };

  const optionsCache = new Map<string, string[]>();
  const pollOptions = async (poll: string) => {
    const cached = optionsCache.get(poll);
    if (cached) return cached;
    const { rows } = await query<{ name: string }>(
      'SELECT name FROM poll_options WHERE poll_id = $1 ORDER BY position',
      [poll],
    );
    if (rows.length === 0) return undefined;
    const names = rows.map((r) => r.name);
    optionsCache.set(poll, names);
    return names;
  };

  /** BEGIN … COMMIT on one pooled connection; any failure rolls back and surfaces as a store error. */
  const transaction = async (work: (client: pg.PoolClient) => Promise<void>): Promise<void> => {
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (err) {
      return rethrow(err);
    }
    try {
      await client.query('BEGIN');
      await work(client);
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      return rethrow(err);
    } finally {
      client.release();
    }
  };

  const insertPoll = (id: string, question: string, options: readonly string[], createdAt: Date) =>
    transaction(async (client) => {
      await client.query('INSERT INTO polls (id, question, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [
        id,
        question,
        createdAt,
      ]);
      await client.query(
        `INSERT INTO poll_options (poll_id, position, name)
         SELECT $1, p - 1, n FROM unnest($2::text[]) WITH ORDINALITY AS t(n, p) ON CONFLICT DO NOTHING`,
        [id, options],
      );
    });

  const SELECT_VOTE = 'SELECT id, poll_id, option, idempotency_key, created_at FROM votes';

  const flush = async (planned: PlannedVote[]): Promise<VoteOutcome[]> => {
    const { inserts, followers } = planBatch(planned);
    const col = <K extends keyof VoteRecord>(k: K) => inserts.map((p) => p.record[k]);
    // One statement is one transaction: the whole batch commits (and is flushed to WAL) together.
    const { rows } = await query<{ id: string }>(
      `INSERT INTO votes (id, poll_id, option, idempotency_key, created_at)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::timestamptz[])
       ON CONFLICT (idempotency_key) DO NOTHING RETURNING id`,
      [col('id'), col('poll'), col('option'), col('idempotencyKey'), col('createdAt')],
    );
    const inserted = new Set(rows.map((r) => r.id));
    const keysToRead = planned
      .filter((p) => !inserted.has(p.record.id) && p.req.idempotencyKey !== undefined)
      .map((p) => p.req.idempotencyKey as string);
    const stored = new Map<string, VoteRecord>();
    if (keysToRead.length > 0) {
      const existing = await query<VoteRow>(`${SELECT_VOTE} WHERE idempotency_key = ANY($1::text[])`, [keysToRead]);
      for (const r of existing.rows) stored.set(r.idempotency_key as string, toRecord(r));
    }
    return planned.map((p, i): VoteOutcome => {
      if (!followers.has(i) && inserted.has(p.record.id)) return { kind: 'created', vote: p.record };
      const prior = stored.get(p.req.idempotencyKey as string);
      if (!prior) throw new StoreUnavailableError('postgres: vote neither inserted nor found');
      return replayOutcome(p.req, prior);
    });
  };
  const batcher = createBatcher(flush);

  return {
    kind: 'postgres',
    async init() {
      await transaction(async (client) => {
        await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
        await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY)');
        const { rows } = await client.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations');
        for (let v = rows[0]?.v ?? 0; v < MIGRATIONS.length; v++) {
          await client.query(MIGRATIONS[v] as string);
          await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [v + 1]);
        }
      });
      await insertPoll(DEFAULT_POLL.id, DEFAULT_POLL.question, DEFAULT_POLL.options, new Date(0));
    },
    async listPolls(): Promise<PollSummary[]> {
      const { rows } = await query<{ id: string; question: string; created_at: Date; options: string[] }>(
        `SELECT p.id, p.question, p.created_at,
                array(SELECT name FROM poll_options o WHERE o.poll_id = p.id ORDER BY position) AS options
           FROM polls p ORDER BY p.created_at, p.id`,
      );
      return rows.map((r) => ({ id: r.id, question: r.question, options: r.options, createdAt: r.created_at.toISOString() }));
    },
    async createPoll(poll) {
      const id = newPollId();
      const createdAt = new Date();
      await insertPoll(id, poll.question, poll.options, createdAt);
      return { id, question: poll.question, options: [...poll.options], createdAt: createdAt.toISOString() };
    },
    async getPoll(id): Promise<PollResults | undefined> {
      const p = await query<{ id: string; question: string; created_at: Date }>(
        'SELECT id, question, created_at FROM polls WHERE id = $1',
        [id],
      );
      const poll = p.rows[0];
      if (!poll) return undefined;
      const { rows } = await query<{ name: string; votes: string }>(
        `SELECT o.name, (SELECT count(*) FROM votes v WHERE v.poll_id = o.poll_id AND v.option = o.name) AS votes
           FROM poll_options o WHERE o.poll_id = $1 ORDER BY o.position`,
        [id],
      );
      const options = rows.map((r) => ({ name: r.name, votes: Number(r.votes) }));
      const total = options.reduce((n, o) => n + o.votes, 0);
      return { id: poll.id, question: poll.question, createdAt: poll.created_at.toISOString(), options, total };
    },
    async vote(req) {
      const options = await pollOptions(req.poll);
      if (!options) return { kind: 'unknown-poll' };
      if (!options.includes(req.option)) return { kind: 'unknown-option', options };
      return batcher.submit({ req, record: newVoteRecord(req) });
    },
    async ping() {
      await query('SELECT 1');
    },
    async close() {
      await batcher.idle();
      await pool.end();
    },
  };
}
