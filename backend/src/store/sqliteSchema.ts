// What every connection to the SQLite file shares: how it is opened and the schema it migrates to.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { StoreUnavailableError, type VoteRecord } from './types.ts';

export const MIGRATIONS = [
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
  // v2: votes clustered by an integer sequence. The public vote id (a random UUID) stays a plain column: no
  // request looks a vote up by it, and indexing random keys cost about two thirds of every commit's work and
  // pages (measured: 64-vote commit 6.9 ms -> 3.1 ms with synchronous=FULL).
  `CREATE TABLE votes_v2 (
     seq INTEGER PRIMARY KEY,
     id TEXT NOT NULL,
     poll_id TEXT NOT NULL,
     option TEXT NOT NULL,
     idempotency_key TEXT UNIQUE,
     created_at TEXT NOT NULL,
     FOREIGN KEY (poll_id, option) REFERENCES poll_options(poll_id, name)
   );
   INSERT INTO votes_v2 (id, poll_id, option, idempotency_key, created_at)
     SELECT id, poll_id, option, idempotency_key, created_at FROM votes ORDER BY rowid;
   DROP TABLE votes;
   ALTER TABLE votes_v2 RENAME TO votes;
   CREATE INDEX votes_by_option ON votes (poll_id, option);`,
];

/**
 * WAL lets readers run beside the one writer (across processes too); busy_timeout makes a writer wait for
 * another process's lock instead of failing at once; synchronous=FULL fsyncs the WAL at every commit, so a
 * committed vote survives a power cut, not just a process crash.
 */
export function openDatabase(path: string, busyTimeoutMs: number): Database.Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma(`busy_timeout = ${Math.trunc(busyTimeoutMs)}`);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  return db;
}

/** SQLite error codes that mean "cannot serve right now" (503) rather than a bug. */
export const isUnavailableCode = (code: unknown) =>
  typeof code === 'string' && /^SQLITE_(BUSY|LOCKED|IOERR|FULL|CANTOPEN|READONLY)/.test(code);

export const rethrowUnavailable = (err: unknown): never => {
  const code = (err as { code?: unknown }).code;
  if (isUnavailableCode(code)) throw new StoreUnavailableError(`sqlite: ${String(code)}`, { cause: err });
  throw err;
};

interface VoteRow {
  id: string;
  poll_id: string;
  option: string;
  idempotency_key: string | null;
  created_at: string;
}

export const toRecord = (r: VoteRow): VoteRecord => ({
  id: r.id,
  poll: r.poll_id,
  option: r.option,
  idempotencyKey: r.idempotency_key,
  createdAt: r.created_at,
});

/** A vote row as it crosses to the writer thread: a tuple clones much faster than an object. */
export type VoteRow5 = [id: string, poll: string, option: string, key: string | null, createdAt: string];

export const toRow = (r: VoteRecord): VoteRow5 => [r.id, r.poll, r.option, r.idempotencyKey, r.createdAt];

/**
 * One group commit: the whole batch in one BEGIN IMMEDIATE transaction (one fsync). Per row, null when it was
 * inserted, else the vote already stored under its idempotency key (a replay or a conflicting reuse).
 */
export function createBatchWriter(db: Database.Database): (rows: VoteRow5[]) => (VoteRecord | null)[] {
  const selectVoteByKey = db.prepare<[string], VoteRow>(
    'SELECT id, poll_id, option, idempotency_key, created_at FROM votes WHERE idempotency_key = ?',
  );
  // A key seen before makes the insert a no-op (changes = 0); only then is the stored vote read back.
  const insertVote = db.prepare<VoteRow5>(
    `INSERT INTO votes (id, poll_id, option, idempotency_key, created_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (idempotency_key) DO NOTHING`,
  );
  const write = db.transaction((rows: VoteRow5[]) =>
    rows.map((row) => {
      if (insertVote.run(...row).changes === 1) return null;
      // Inside the transaction, a row written by an earlier request of this batch, or by any other process,
      // is visible: the write lock serialises everyone.
      const existing = selectVoteByKey.get(row[3] as string);
      if (!existing) throw new Error('vote neither inserted nor found');
      return toRecord(existing);
    }),
  );
  return (rows) => write.immediate(rows);
}
