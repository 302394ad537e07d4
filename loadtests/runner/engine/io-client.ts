// The engine's handle on the HTTP thread (io-thread.ts): one per process, started with the first VU.
import { Worker, type MessagePort } from 'node:worker_threads';
import type { FromIo, ToIo } from './io-thread.ts';

const IO_WORKER_URL = import.meta.url.endsWith('.ts')
  ? new URL('../bin/io-worker.ts', import.meta.url)
  : new URL('./io-worker.js', import.meta.url);

export class IoThread {
  private readonly worker: Worker;
  private nextKey = 1;
  private readonly logs = new Map<number, (message: string) => void>();

  constructor() {
    this.worker = new Worker(IO_WORKER_URL, { stdout: false, stderr: false });
    // It must not keep the process alive; the run ends with process.exit anyway.
    this.worker.unref();
    this.worker.on('message', (m: FromIo) => this.logs.get(m.id)?.(m.message));
    // Every VU waits on this thread for its requests: without it the run cannot go on, so say so and stop.
    this.worker.on('error', (err) => {
      process.stderr.write(`chaoslab-k6run: internal error, the HTTP thread failed: ${err.stack ?? err.message}\n`);
      process.exit(255);
    });
  }

  /** Hands a VU's sync port to the thread; returns the key for interrupt/detach. */
  attach(port: MessagePort, ctrl: SharedArrayBuffer, keepAlive: boolean, log: (message: string) => void): number {
    const id = this.nextKey++;
    this.logs.set(id, log);
    this.post({ type: 'attach', id, port, ctrl, keepAlive }, [port]);
    return id;
  }

  /** Cancels the VU's in-flight requests (they answer as interrupted). */
  interrupt(id: number): void {
    this.post({ type: 'interrupt', id });
  }

  /** Closes the VU's connections and forgets it. */
  detach(id: number): void {
    if (!this.logs.delete(id)) return;
    this.post({ type: 'detach', id });
  }

  private post(m: ToIo, transfer: MessagePort[] = []): void {
    this.worker.postMessage(m, transfer);
  }
}

let shared: IoThread | undefined;

export function ioThread(): IoThread {
  shared ??= new IoThread();
  return shared;
}
