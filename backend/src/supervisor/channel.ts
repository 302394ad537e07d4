// The primary's end of one worker's IPC pipe: typed request/response with a timeout, so a hung or dying
// replica can never hang a scrape or an admin call. Pending requests fail at once when the worker exits.
import type { Worker } from 'node:cluster';
import type { Operations, OperationName, Request, Response } from './protocol.ts';

export class ReplicaUnavailableError extends Error {
  constructor(
    readonly replica: string,
    detail: string,
  ) {
    super(`replica ${replica} ${detail}`);
    this.name = 'ReplicaUnavailableError';
  }
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

export class WorkerChannel {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private closed = false;

  constructor(
    readonly replica: string,
    private readonly worker: Worker,
    private readonly timeoutMs: number,
  ) {}

  request<K extends OperationName>(op: K, args: Operations[K]['args']): Promise<Operations[K]['result']> {
    if (this.closed || !this.worker.isConnected()) {
      return Promise.reject(new ReplicaUnavailableError(this.replica, 'is not running'));
    }
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new ReplicaUnavailableError(this.replica, `did not answer '${op}' within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject, timer });
      const message = { kind: 'request', id, op, args } as Request;
      this.worker.send(message, (err: Error | null) => {
        if (err === null) return;
        this.settle(id, () => reject(new ReplicaUnavailableError(this.replica, `unreachable: ${err.message}`)));
      });
    });
  }

  /** Feed every response from this worker here. */
  onResponse(response: Response): void {
    this.settle(response.id, (p) =>
      response.ok ? p.resolve(response.result) : p.reject(new Error(`replica ${this.replica}: ${response.error}`)),
    );
  }

  /** The worker is gone: nothing pending will ever be answered. */
  close(reason: string): void {
    this.closed = true;
    for (const id of [...this.pending.keys()]) {
      this.settle(id, (p) => p.reject(new ReplicaUnavailableError(this.replica, reason)));
    }
  }

  private settle(id: number, fn: (p: Pending) => void): void {
    const p = this.pending.get(id);
    if (p === undefined) return;
    this.pending.delete(id);
    clearTimeout(p.timer);
    fn(p);
  }
}
