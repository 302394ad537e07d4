// An HTTP thread's warm-up, before any VU reports ready (so before the scenarios' clock). At t = 0 of an
// arrival-rate scenario every pre-allocated VU sends its first request within a few milliseconds, each on
// a new connection. A thread whose node:http client code had never run compiled it lazily right then
// (http_req_connecting ~53 ms on loopback at 2000 it/s); one that had run it only a few hundred times
// still ran it unoptimised, and V8's compiler threads optimised it during the first second of the run:
// ~0.85 s of CPU at the moment the CPUs are shortest, enough for the VUs to run out and iterations to drop.
//
// So it drives the thread's real request path, from the VU's side of it: synthetic VUs attached like real
// ones (IoVus), calls shaped like k6/http's and structured-cloned on a sync port, several VUs at once, each
// with its own keep-alive pool (a new connection, then reuse), GET and POST, against a listener the thread
// opens on 127.0.0.1 for the purpose and closes afterwards. Nothing reaches the script's target, nothing
// is measured, no metric is emitted. (No refused-connection rehearsal: once closed, the port may already
// belong to another local program.)
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { MessageChannel } from 'node:worker_threads';
import { CTRL, type HttpRequestSpec, type SyncCall } from '../vu/protocol.ts';
import type { IoVus } from './io-vus.ts';

/**
 * V8 optimises the hot path after ~2000 calls (measured with --trace-opt, see the runner's README). Fewer
 * barely help: after 1000, the run's first second still had 189 compilations (0.8 s of compiler CPU),
 * after 160 it had 284 (0.9-1.1 s), after 2000 about 120 (0.35 s, the engine's own among them). So it
 * is all or the floor. All costs ~0.8 s of CPU per thread (client and listener) and pays off when many
 * VUs start at once: a thread that will serve 25 VUs or more gets it. The floor, 160, is what keeps the
 * path from being compiled lazily at t = 0.
 */
const FULL_REQUESTS = 2000;
const FLOOR_REQUESTS = 160;
const VUS_FOR_FULL = 25;
/** Each synthetic VU: a new connection, then keep-alive reuse. */
const REQUESTS_PER_SYNTHETIC_VU = 10;
/** Synthetic VUs at once, so the path also runs with several requests in flight. */
const LANES = 8;

/** How many warm-up requests a thread makes that will serve `vus` VUs. */
export function warmUpRequestsFor(vus: number): number {
  return vus >= VUS_FOR_FULL ? FULL_REQUESTS : FLOOR_REQUESTS;
}

function call(url: string, i: number): SyncCall {
  const post = i % 2 === 1;
  const spec: HttpRequestSpec = {
    method: post ? 'POST' : 'GET',
    url,
    headers: { 'User-Agent': 'chaoslab-k6run warm-up', ...(post ? { 'Content-Type': 'application/json' } : {}) },
    body: post ? '{"warm":true}' : null,
    // k6/http's default timeout: Node keeps one timer list per duration, so this warms the one runs use.
    timeoutMs: 60_000,
    maxRedirects: 10,
    responseType: 'text',
  };
  // One request per call, as http.get() sends it: the batch limits never apply to it.
  return { op: 'http', requests: [spec], parallel: 1, perHost: 0 };
}

/** Runs `requests` warm-up requests through `thread`; `stop` ends it after the requests in flight. */
export async function warmUpHttp(thread: Pick<IoVus, 'attach' | 'detach'>, requests: number, stop?: AbortSignal): Promise<void> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => res.end('ok'));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/warm-up`;
  // Below the engine's keys (they count up from 1): a real VU may attach while the warm-up runs.
  let nextKey = -1;
  let synthetic = Math.ceil(requests / REQUESTS_PER_SYNTHETIC_VU);
  const lane = async () => {
    while (synthetic > 0 && !stop?.aborted) {
      synthetic--;
      const id = nextKey--;
      const { port1, port2 } = new MessageChannel();
      thread.attach(id, port1, new SharedArrayBuffer(CTRL.size * 4), true);
      try {
        for (let i = 0; i < REQUESTS_PER_SYNTHETIC_VU && !stop?.aborted; i++) {
          const replied = new Promise((resolve) => port2.once('message', resolve));
          port2.postMessage(call(url, i));
          await replied;
        }
      } finally {
        thread.detach(id);
        port2.close();
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: LANES }, lane));
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}
