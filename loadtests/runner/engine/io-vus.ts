// The VUs an HTTP thread serves: each one's sync port, connections and control word. A call arrives on the
// VU's port (structured-cloned), is performed with the VU's own keep-alive pool (io-host.ts), and its reply
// goes back on the same port before the VU is woken through Atomics.
import type { MessagePort } from 'node:worker_threads';
import { CTRL, type SyncCall, type SyncReply } from '../vu/protocol.ts';
import { performBatch, VuConnections } from './io-host.ts';

interface AttachedVu {
  conns: VuConnections;
  port: MessagePort;
  ctrl: Int32Array;
}

export class IoVus {
  private readonly vus = new Map<number, AttachedVu>();

  /** `log` reports an internal error of the VU with that key (the engine routes it to the VU's log). */
  constructor(private readonly log: (id: number, message: string) => void) {}

  attach(id: number, port: MessagePort, ctrl: SharedArrayBuffer, keepAlive: boolean): void {
    const vu: AttachedVu = { conns: new VuConnections(keepAlive), port, ctrl: new Int32Array(ctrl) };
    this.vus.set(id, vu);
    port.on('message', (call: SyncCall) => void this.answer(id, vu, call));
  }

  /** Cancels the VU's in-flight requests (they answer as interrupted). */
  interrupt(id: number): void {
    this.vus.get(id)?.conns.interrupt();
  }

  /** Closes the VU's connections and its port. */
  detach(id: number): void {
    const vu = this.vus.get(id);
    if (!vu) return;
    this.vus.delete(id);
    vu.conns.destroy();
    vu.port.close();
  }

  private async answer(id: number, vu: AttachedVu, call: SyncCall): Promise<void> {
    let reply: SyncReply;
    try {
      reply = { op: 'http', results: await performBatch(vu.conns, call.requests, call.parallel, call.perHost) };
    } catch (err) {
      this.log(id, `internal error performing a request: ${(err as Error).message}`);
      reply = { op: 'http', results: call.requests.map(() => ({ hops: [], interrupted: true })) };
    }
    if (!this.vus.has(id)) return;
    vu.port.postMessage(reply);
    Atomics.store(vu.ctrl, CTRL.reply, 1);
    Atomics.notify(vu.ctrl, CTRL.reply);
  }
}
