// The HTTP side of synchronous http.* on its own thread (a few of them, see io-client.ts). VUs post their
// requests straight to it on their sync ports and block on Atomics; it performs them with node:http (one
// keep-alive pool per VU, see io-host.ts) and wakes them. The engine's main thread keeps the schedule, the
// VU commands and the metrics: at thousands of requests per second one thread cannot do both, and on a
// shared machine more runnable threads also get more of the scheduler's share.
import { parentPort, type MessagePort } from 'node:worker_threads';
import { CTRL, type SyncCall, type SyncReply } from '../vu/protocol.ts';
import { performBatch, VuConnections } from './io-host.ts';
import { warmUpHttp } from './io-warm-up.ts';

/** Engine -> I/O thread. */
export type ToIo =
  | { type: 'attach'; id: number; port: MessagePort; ctrl: SharedArrayBuffer; keepAlive: boolean }
  | { type: 'interrupt'; id: number }
  | { type: 'detach'; id: number };

/** I/O thread -> engine. */
export type FromIo = { type: 'log'; id: number; message: string } | { type: 'ready'; warning?: string };

/** The warm-up takes ~0.25 s; past this the thread goes on cold rather than hold up the run. */
const WARM_UP_DEADLINE_MS = 5000;

interface AttachedVu {
  conns: VuConnections;
  port: MessagePort;
  ctrl: Int32Array;
}

export function runIoThread(): void {
  const port = parentPort;
  if (!port) throw new Error('the I/O thread runs in a worker');
  const vus = new Map<number, AttachedVu>();

  const answer = async (id: number, vu: AttachedVu, call: SyncCall): Promise<void> => {
    let reply: SyncReply;
    try {
      reply = { op: 'http', results: await performBatch(vu.conns, call.requests, call.parallel, call.perHost) };
    } catch (err) {
      port.postMessage({ type: 'log', id, message: `internal error performing a request: ${(err as Error).message}` } satisfies FromIo);
      reply = { op: 'http', results: call.requests.map(() => ({ hops: [], interrupted: true })) };
    }
    if (!vus.has(id)) return;
    vu.port.postMessage(reply);
    Atomics.store(vu.ctrl, CTRL.reply, 1);
    Atomics.notify(vu.ctrl, CTRL.reply);
  };

  // VUs only send requests once the scenarios run, after every VU (and so this thread) is ready. A machine
  // that forbids even a loopback listener, or stalls it, still runs the test, only with a cold thread.
  let deadline: NodeJS.Timeout | undefined;
  void Promise.race([
    warmUpHttp().then(() => undefined),
    new Promise<string>((resolve) => {
      deadline = setTimeout(() => resolve(`HTTP thread warm-up did not finish within ${WARM_UP_DEADLINE_MS / 1000} s`), WARM_UP_DEADLINE_MS);
    }),
  ])
    .catch((err: Error) => `HTTP thread warm-up skipped: ${err.message}`)
    .then((warning) => {
      clearTimeout(deadline);
      port.postMessage({ type: 'ready', ...(warning ? { warning } : {}) } satisfies FromIo);
    });

  port.on('message', (m: ToIo) => {
    switch (m.type) {
      case 'attach': {
        const vu: AttachedVu = { conns: new VuConnections(m.keepAlive), port: m.port, ctrl: new Int32Array(m.ctrl) };
        vus.set(m.id, vu);
        m.port.on('message', (call: SyncCall) => void answer(m.id, vu, call));
        return;
      }
      case 'interrupt':
        vus.get(m.id)?.conns.interrupt();
        return;
      case 'detach': {
        const vu = vus.get(m.id);
        if (!vu) return;
        vus.delete(m.id);
        vu.conns.destroy();
        vu.port.close();
        return;
      }
    }
  });
}
