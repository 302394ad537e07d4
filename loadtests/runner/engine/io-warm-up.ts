// An HTTP thread's warm-up, before any VU reports ready (so before the scenarios' clock). At t = 0 of an
// arrival-rate scenario every pre-allocated VU sends its first request within a few milliseconds, each on
// a new connection; a thread whose node:http client code had never run compiled it lazily right then, and
// in the benchmark at 2000 it/s its loop lagged ~50 ms behind (http_req_connecting ~53 ms on loopback),
// enough for the VUs to run out and iterations to drop.
//
// It runs the thread's own request path (io-host.ts: connect, keep-alive reuse, GET and POST, the reply's
// structured clone) against a listener it opens on 127.0.0.1 for the purpose and closes afterwards.
// Nothing reaches the script's target, nothing is measured, no metric is emitted. (No refused-connection
// rehearsal: once closed, the port may already belong to another local program.)
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import type { HttpRequestSpec } from '../vu/protocol.ts';
import { performBatch, VuConnections } from './io-host.ts';

/** Connections, each used for a few requests: enough for V8 to compile the path (~0.2 s of CPU). */
const CONNECTIONS = 40;
const REQUESTS_PER_CONNECTION = 4;

function spec(url: string, i: number): HttpRequestSpec {
  const post = i % 2 === 1;
  return {
    method: post ? 'POST' : 'GET',
    url,
    headers: { 'User-Agent': 'chaoslab-k6run warm-up', ...(post ? { 'Content-Type': 'application/json' } : {}) },
    body: post ? '{"warm":true}' : null,
    timeoutMs: 5000,
    maxRedirects: 10,
    responseType: 'text',
  };
}

export async function warmUpHttp(): Promise<void> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => res.end('ok'));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/warm-up`;
  const { port1, port2 } = new MessageChannel();
  try {
    for (let c = 0; c < CONNECTIONS; c++) {
      const conns = new VuConnections(true);
      for (let i = 0; i < REQUESTS_PER_CONNECTION; i++) {
        port1.postMessage({ op: 'http', results: await performBatch(conns, [spec(url, i)], 1, 0) });
        receiveMessageOnPort(port2);
      }
      conns.destroy();
    }
  } finally {
    port1.close();
    await new Promise((resolve) => server.close(resolve));
  }
}
