// The engine's handles on the HTTP threads (io-thread.ts): a small pool, started with the first VU. Each
// VU is attached to one thread for its whole life (its keep-alive connections live there), round-robin.
import { availableParallelism } from 'node:os';
import { Worker, type MessagePort } from 'node:worker_threads';
import type { FromIo, IoWorkerData, ToIo } from './io-thread.ts';
import { warmUpRequestsFor } from './io-warm-up.ts';

const IO_WORKER_URL = import.meta.url.endsWith('.ts')
  ? new URL('../bin/io-worker.ts', import.meta.url)
  : new URL('./io-worker.js', import.meta.url);

/**
 * One HTTP thread per CPU, up to 4. Every request and reply of its VUs passes through the thread's event
 * loop; with one thread, that loop was the run's narrowest point: at 2000 requests/s on 2 CPUs it needed
 * ~0.45 of a CPU and waited as long in the run queue as it ran while the 100 VUs started up. Two threads
 * split the work and, on a busy machine, get two shares of the scheduler.
 */
export const IO_THREADS = Math.max(1, Math.min(4, availableParallelism()));

export class IoThread {
  /** Resolves once the thread has warmed its HTTP path (io-warm-up.ts); VUs are ready only after it. */
  readonly ready: Promise<void>;
  private warning: string | undefined;
  private readonly worker: Worker;
  private nextKey = 1;
  private readonly logs = new Map<number, (message: string) => void>();

  constructor(warmUpRequests: number) {
    const workerData: IoWorkerData = { warmUpRequests };
    this.worker = new Worker(IO_WORKER_URL, { workerData, stdout: false, stderr: false });
    let warmed = () => {};
    this.ready = new Promise((resolve) => (warmed = resolve));
    this.worker.on('message', (m: FromIo) => {
      if (m.type === 'log') return this.logs.get(m.id)?.(m.message);
      this.warning = m.warning;
      warmed();
    });
    // Every VU waits on this thread for its requests: without it the run cannot go on, so say so and stop.
    this.worker.on('error', (err) => {
      process.stderr.write(`chaoslab-k6run: internal error, an HTTP thread failed: ${err.stack ?? err.message}\n`);
      process.exit(255);
    });
    // It must not keep the process alive (the VUs it serves do, while they run). After the listeners:
    // adding a 'message' listener refs the worker again.
    this.worker.unref();
  }

  /** The warm-up's problem, if it had one, once (the run logs it, then it is spent). */
  takeWarning(): string | undefined {
    const w = this.warning;
    this.warning = undefined;
    return w;
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

const pool: IoThread[] = [];
let turn = 0;

/** Starts the HTTP threads (once per process), their warm-up sized for the VUs the run starts at once. */
export function startIoThreads(plannedVus: number): void {
  if (pool.length > 0) return;
  const requests = warmUpRequestsFor(Math.ceil(plannedVus / IO_THREADS));
  for (let i = 0; i < IO_THREADS; i++) pool.push(new IoThread(requests));
}

/** The HTTP thread for a new VU: the pool's threads in turn, so each serves the same share of VUs. */
export function ioThreadForNewVu(): IoThread {
  // run() starts them first, sized by its plan; a VU made without a plan (tests) gets the floor.
  startIoThreads(1);
  return pool[turn++ % pool.length] as IoThread;
}
