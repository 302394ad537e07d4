// The message protocol between the SQLite store (main thread) and its writer thread, and both ends of it.
import { Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { createBatchWriter, isUnavailableCode, openDatabase, type VoteRow5 } from './sqliteSchema.ts';
import { StoreUnavailableError, type VoteRecord } from './types.ts';

export interface SqliteWriterData {
  path: string;
  busyTimeoutMs: number;
}

/** Rows per transaction at most, so one commit never holds the write lock (other processes wait) for long. */
const MAX_ROWS_PER_COMMIT = 1024;

type ToWriter = { id: number; rows: VoteRow5[] } | { id: number; close: true };
/**
 * One answer per commit, for every batch it took in (`ids`, in order). `replays` lists only the rows that were
 * not inserted, by their index in those batches' rows laid end to end, with the vote already stored under the
 * key; usually empty, so the answer costs next to nothing to clone.
 */
type FromWriter =
  | { ids: number[]; replays: [row: number, stored: VoteRecord][] }
  | { ids: number[]; error: { message: string; code?: string } }
  | { ids: [number]; closed: true };

/**
 * Writer-thread side: one connection, one transaction at a time. A message wakes it up; it then takes every
 * batch that is already queued (receiveMessageOnPort), so the batches the main thread posted while the previous
 * commit was running are committed together, right after it, without waiting for the main thread's turn.
 */
export function runSqliteWriter(port: MessagePort, data: SqliteWriterData) {
  const db = openDatabase(data.path, data.busyTimeoutMs);
  const write = createBatchWriter(db);
  const next = (): ToWriter | undefined => (receiveMessageOnPort(port) as { message: ToWriter } | undefined)?.message;

  const commit = (ids: number[], rows: VoteRow5[]) => {
    try {
      const stored = write(rows);
      const replays: [number, VoteRecord][] = [];
      stored.forEach((s, i) => s && replays.push([i, s]));
      port.postMessage({ ids, replays } satisfies FromWriter);
    } catch (err) {
      const e = err as { message?: string; code?: unknown };
      const error = { message: String(e.message ?? err), ...(typeof e.code === 'string' ? { code: e.code } : {}) };
      port.postMessage({ ids, error } satisfies FromWriter);
    }
  };

  port.on('message', (first: ToWriter) => {
    let msg: ToWriter | undefined = first;
    while (msg) {
      const ids: number[] = [];
      let rows: VoteRow5[] = [];
      while (msg && !('close' in msg) && rows.length < MAX_ROWS_PER_COMMIT) {
        ids.push(msg.id);
        rows = rows.length === 0 ? msg.rows : rows.concat(msg.rows);
        msg = next();
      }
      if (ids.length > 0) commit(ids, rows);
      if (msg && 'close' in msg) {
        // Everything posted before the close has been committed above; nothing can be posted after it.
        db.close();
        port.postMessage({ ids: [msg.id], closed: true } satisfies FromWriter);
        port.close();
        return;
      }
      msg ??= next();
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
  type Waiting = { rows: number; resolve: (stored: (VoteRecord | null)[]) => void; reject: (e: Error) => void };
  const pending = new Map<number, Waiting>();
  let closeWaiter: { id: number; resolve: () => void } | undefined;
  let nextId = 0;
  let dead: string | undefined;

  const failAll = (reason: string) => {
    dead ??= reason;
    for (const p of pending.values()) p.reject(new StoreUnavailableError(`sqlite writer: ${reason}`));
    pending.clear();
  };
  const take = (id: number) => {
    const p = pending.get(id);
    pending.delete(id);
    return p;
  };
  worker.on('message', (msg: FromWriter) => {
    if ('closed' in msg) {
      if (closeWaiter?.id === msg.ids[0]) closeWaiter.resolve();
      return;
    }
    if ('error' in msg) {
      const { code, message } = msg.error;
      for (const id of msg.ids) {
        take(id)?.reject(
          isUnavailableCode(code) ? new StoreUnavailableError(`sqlite: ${code}`) : new Error(`sqlite writer: ${message}`),
        );
      }
      return;
    }
    // Rows of the commit's batches laid end to end; `first` is the index of this batch's first row.
    let first = 0;
    let r = 0;
    for (const id of msg.ids) {
      const p = take(id);
      const n = p?.rows ?? 0;
      const stored: (VoteRecord | null)[] = new Array<VoteRecord | null>(n).fill(null);
      for (; r < msg.replays.length && (msg.replays[r] as [number, VoteRecord])[0] < first + n; r++) {
        const [row, vote] = msg.replays[r] as [number, VoteRecord];
        stored[row - first] = vote;
      }
      first += n;
      p?.resolve(stored);
    }
  });
  worker.on('error', (err) => failAll(`crashed: ${err.message}`));
  worker.on('exit', (code) => failAll(`exited with code ${code}`));

  return {
    write(rows) {
      return new Promise((resolve, reject) => {
        if (dead) return reject(new StoreUnavailableError(`sqlite writer: ${dead}`));
        const id = nextId++;
        pending.set(id, { rows: rows.length, resolve, reject });
        worker.postMessage({ id, rows } satisfies ToWriter);
      });
    },
    failure: () => dead,
    async close() {
      if (dead) return;
      const exited = new Promise<void>((r) => worker.once('exit', () => r()));
      const id = nextId++;
      await new Promise<void>((resolve) => {
        closeWaiter = { id, resolve };
        // If the thread dies instead of answering, 'exit' settles the wait.
        void exited.then(resolve);
        worker.postMessage({ id, close: true } satisfies ToWriter);
      });
      await exited;
    },
  };
}
