// The HTTP side of synchronous http.* on its own thread (a few of them, see io-client.ts). VUs post their
// requests straight to it on their sync ports and block on Atomics; it performs them with node:http (one
// keep-alive pool per VU, see io-host.ts) and wakes them. The engine's main thread keeps the schedule, the
// VU commands and the metrics: at thousands of requests per second one thread cannot do both, and on a
// shared machine more runnable threads also get more of the scheduler's share.
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { IoVus } from './io-vus.ts';
import { warmUpHttp } from './io-warm-up.ts';

/** Engine -> I/O thread. */
export type ToIo =
  | { type: 'attach'; id: number; port: MessagePort; ctrl: SharedArrayBuffer; keepAlive: boolean }
  | { type: 'interrupt'; id: number }
  | { type: 'detach'; id: number };

/** I/O thread -> engine. */
export type FromIo = { type: 'log'; id: number; message: string } | { type: 'ready'; warning?: string };

/** What the engine starts an HTTP thread with. */
export interface IoWorkerData {
  /** Requests of its warm-up (io-warm-up.ts), sized by the VUs it will serve. */
  warmUpRequests: number;
}

/** The warm-up takes up to ~1 s; past this it stops and the thread goes on rather than hold up the run. */
const WARM_UP_DEADLINE_MS = 5000;

export function runIoThread(): void {
  const port = parentPort;
  if (!port) throw new Error('the I/O thread runs in a worker');
  const vus = new IoVus((id, message) => port.postMessage({ type: 'log', id, message } satisfies FromIo));

  // VUs only send requests once the scenarios run, after every VU (and so this thread) is ready. A machine
  // that forbids even a loopback listener, or stalls it, still runs the test, only with a cold thread.
  const { warmUpRequests } = workerData as IoWorkerData;
  const stopWarmUp = new AbortController();
  let deadline: NodeJS.Timeout | undefined;
  void Promise.race([
    warmUpHttp(vus, warmUpRequests, stopWarmUp.signal).then(() => undefined),
    new Promise<string>((resolve) => {
      deadline = setTimeout(() => resolve(`HTTP thread warm-up did not finish within ${WARM_UP_DEADLINE_MS / 1000} s`), WARM_UP_DEADLINE_MS);
    }),
  ])
    .catch((err: Error) => `HTTP thread warm-up skipped: ${err.message}`)
    .then((warning) => {
      clearTimeout(deadline);
      stopWarmUp.abort();
      port.postMessage({ type: 'ready', ...(warning ? { warning } : {}) } satisfies FromIo);
    });

  port.on('message', (m: ToIo) => {
    switch (m.type) {
      case 'attach':
        return vus.attach(m.id, m.port, m.ctrl, m.keepAlive);
      case 'interrupt':
        return vus.interrupt(m.id);
      case 'detach':
        return vus.detach(m.id);
    }
  });
}
