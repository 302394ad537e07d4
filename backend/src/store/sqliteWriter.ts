// The message protocol between the SQLite store (main thread) and its writer thread, and both ends of it.
import { Worker, type MessagePort } from 'node:worker_threads';
import { createBatchWriter, isUnavailableCode, openDatabase, type VoteRow5 } from './sqliteSchema.ts';
import { StoreUnavailableError, type VoteRecord } from './types.ts';

export interface SqliteWriterData {
  path: string;
  busyTimeoutMs: number;
}

type ToWriter = { id: number; rows: VoteRow5[] } | { id: number; close: true };
type FromWriter =
  | { id: number; stored: (VoteRecord | null)[] }
  | { id: number; error: { message: string; code?: string } }
  | { id: number; closed: true };

/** Writer-thread side: one connection, one batch at a time, answers by request id. */
export function runSqliteWriter(port: MessagePort, data: SqliteWriterData) {
  const db = openDatabase(data.path, data.busyTimeoutMs);
  const write = createBatchWriter(db);
  port.on('message', (msg: ToWriter) => {
    if ('close' in msg) {
      db.close();
      port.postMessage({ id: msg.id, closed: true } satisfies FromWriter);
      port.close();
      return;
    }
    try {
      port.postMessage({ id: msg.id, stored: write(msg.rows) } satisfies FromWriter);
    } catch (err) {
      const e = err as { message?: string; code?: unknown };
      const error = { message: String(e.message ?? err), ...(typeof e.code === 'string' ? { code: e.code } : {}) };
      port.postMessage({ id: msg.id, error } satisfies FromWriter);
    }
  });
}

export interface SqliteWriterClient {
  /** Per row: null = inserted, else the vote already stored under its key. */
  write(rows: VoteRow5[]): Promise<(VoteRecord | null)[]>;
  /** Undefined while the thread runs; the reason once it died. */
  failure(): string | undefined;
  close(): Promise<void>;
}

/**
 * The writer entry sits next to the bundle in dist/backend. Run from source (tests, tsx) it is a .ts file, and
 * Node 20 does not carry `--import tsx` into worker threads, so a two-line bootstrap registers tsx first.
 */
function spawnWriter(data: SqliteWriterData): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./sqlite-writer.js', import.meta.url), { workerData: data });
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = new URL('../bin/sqlite-writer.ts', import.meta.url).href;
  const bootstrap = `import(${JSON.stringify(tsx)}).then((t) => { t.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { eval: true, workerData: data });
}

/** Main-thread side. The schema must already exist (the store migrates before starting its writer). */
export function startSqliteWriter(data: SqliteWriterData): SqliteWriterClient {
  const worker = spawnWriter(data);
  const pending = new Map<number, { resolve: (m: FromWriter) => void; reject: (e: Error) => void }>();
  let nextId = 0;
  let dead: string | undefined;

  const failAll = (reason: string) => {
    dead ??= reason;
    for (const p of pending.values()) p.reject(new StoreUnavailableError(`sqlite writer: ${reason}`));
    pending.clear();
  };
  worker.on('message', (msg: FromWriter) => {
    const p = pending.get(msg.id);
    pending.delete(msg.id);
    p?.resolve(msg);
  });
  worker.on('error', (err) => failAll(`crashed: ${err.message}`));
  worker.on('exit', (code) => failAll(`exited with code ${code}`));

  const send = (msg: Omit<ToWriter, 'id'>) =>
    new Promise<FromWriter>((resolve, reject) => {
      if (dead) return reject(new StoreUnavailableError(`sqlite writer: ${dead}`));
      const id = nextId++;
      pending.set(id, { resolve, reject });
      worker.postMessage({ ...msg, id });
    });

  return {
    async write(rows) {
      const res = await send({ rows });
      if ('stored' in res) return res.stored;
      if ('error' in res) {
        if (isUnavailableCode(res.error.code)) throw new StoreUnavailableError(`sqlite: ${res.error.code}`);
        throw new Error(`sqlite writer: ${res.error.message}`);
      }
      throw new Error('sqlite writer: unexpected answer');
    },
    failure: () => dead,
    async close() {
      if (dead) return;
      const exited = new Promise<void>((r) => worker.once('exit', () => r()));
      await send({ close: true });
      await exited;
    },
  };
}
