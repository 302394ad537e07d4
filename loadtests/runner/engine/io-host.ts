// The I/O side of synchronous http.*: VUs block on Atomics while the engine's thread performs the
// request with node:http, measures k6's phase timings and maps transport errors to k6's codes.
import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import type { HttpHop, HttpRequestSpec, HttpResult, HttpTimings } from '../vu/protocol.ts';

/** A VU's connections: one keep-alive pool per VU, as k6 reuses connections per VU. */
export class VuConnections {
  readonly http: http.Agent;
  readonly https: https.Agent;
  private readonly inflight = new Set<http.ClientRequest>();

  constructor(keepAlive: boolean) {
    this.http = new http.Agent({ keepAlive, maxSockets: Infinity, scheduling: 'lifo' });
    this.https = new https.Agent({ keepAlive, maxSockets: Infinity, scheduling: 'lifo' });
  }

  /** Cancels every in-flight request of this VU (graceful stop expired, abort). */
  interrupt(): void {
    for (const req of this.inflight) req.destroy(new Interrupted());
  }

  track(req: http.ClientRequest): () => void {
    this.inflight.add(req);
    return () => this.inflight.delete(req);
  }

  destroy(): void {
    this.interrupt();
    this.http.destroy();
    this.https.destroy();
  }
}

class Interrupted extends Error {}
class RequestTimeout extends Error {}

/** k6's transport error messages and codes (K:lib/netext/httpext/error_codes.go). */
export function mapTransportError(err: unknown): { error: string; code: number } {
  if (err instanceof RequestTimeout) return { error: 'request timeout', code: 1050 };
  const code = (err as NodeJS.ErrnoException | undefined)?.code ?? '';
  switch (code) {
    case 'ECONNREFUSED':
      return { error: 'dial: connection refused', code: 1212 };
    case 'ECONNRESET':
      return { error: 'read: connection reset by peer', code: 1220 };
    case 'EPIPE':
      return { error: 'write: broken pipe', code: 1201 };
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return { error: 'lookup: no such host', code: 1101 };
    case 'ETIMEDOUT':
      return { error: 'dial: i/o timeout', code: 1211 };
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EADDRNOTAVAIL':
      return { error: `dial: ${(err as Error).message}`, code: 1213 };
    default:
      return { error: (err as Error | undefined)?.message ?? String(err), code: 1000 };
  }
}

const canonicalKeys = new Map<string, string>();

function canonicalHeaderKey(k: string): string {
  const known = canonicalKeys.get(k);
  if (known !== undefined) return known;
  const c = k
    .toLowerCase()
    .split('-')
    .map((p) => (p ? (p[0] as string).toUpperCase() + p.slice(1) : p))
    .join('-');
  if (canonicalKeys.size < 1000) canonicalKeys.set(k, c);
  return c;
}

function responseHeaders(raw: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const k = canonicalHeaderKey(raw[i] as string);
    const v = raw[i + 1] as string;
    out[k] = k in out ? `${out[k]}, ${v}` : v;
  }
  return out;
}

const now = () => performance.now();

async function exchange(conns: VuConnections, spec: HttpRequestSpec, url: URL): Promise<HttpHop> {
  let untrack = () => {};
  const t0 = now();
  let tSocket = t0;
  let tConnect = -1;
  let tSent = -1;
  let tResponse = -1;
  let socket: Socket | undefined;
  let sent0 = 0;
  let read0 = 0;
  let remoteIp = '';
  let remotePort = 0;
  const isHttps = url.protocol === 'https:';
  const headers = { ...spec.headers };
  const body = spec.body;
  if (body !== null && !Object.keys(headers).some((k) => k.toLowerCase() === 'content-length'))
    headers['Content-Length'] = String(typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength);

  const base = { method: spec.method, url: url.href };
  const timings = (): HttpTimings => {
    const end = now();
    const connectEnd = tConnect >= 0 ? tConnect : tSocket;
    const sending = tSent >= 0 ? tSent - connectEnd : 0;
    const waiting = tResponse >= 0 ? tResponse - tSent : 0;
    const receiving = tResponse >= 0 ? end - tResponse : 0;
    return {
      blocked: tSocket - t0,
      connecting: tConnect >= 0 ? tConnect - tSocket : 0,
      tls_handshaking: 0,
      sending,
      waiting,
      receiving,
      duration: sending + waiting + receiving,
    };
  };
  const bytes = () => ({
    bytesSent: socket ? socket.bytesWritten - sent0 : 0,
    bytesReceived: socket ? socket.bytesRead - read0 : 0,
  });

  try {
    return await new Promise<HttpHop>((resolve, reject) => {
      const timer = setTimeout(() => {
        req.destroy(new RequestTimeout());
      }, spec.timeoutMs);
      const done = (fn: () => void) => {
        clearTimeout(timer);
        fn();
      };
      const req = (isHttps ? https : http).request({
        protocol: url.protocol,
        hostname: url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        method: spec.method,
        headers,
        agent: isHttps ? conns.https : conns.http,
        ...(url.username || url.password
          ? { auth: `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}` }
          : {}),
      });
      untrack = conns.track(req);
      req.on('socket', (s: Socket) => {
        socket = s;
        tSocket = now();
        sent0 = s.bytesWritten;
        read0 = s.bytesRead;
        const onConnect = () => {
          tConnect = now();
          remoteIp = s.remoteAddress ?? '';
          remotePort = s.remotePort ?? 0;
        };
        if (s.connecting) s.once('connect', onConnect);
        else {
          remoteIp = s.remoteAddress ?? '';
          remotePort = s.remotePort ?? 0;
        }
      });
      req.on('finish', () => {
        tSent = now();
      });
      req.on('error', (err) => done(() => reject(err)));
      req.on('response', (res) => {
        tResponse = now();
        if (tSent < 0) tSent = tResponse;
        const chunks: Buffer[] = [];
        const keep = spec.responseType !== 'none';
        res.on('data', (c: Buffer) => {
          if (keep) chunks.push(c);
        });
        res.on('error', (err) => done(() => reject(err)));
        res.on('end', () =>
          done(() => {
            const status = res.statusCode ?? 0;
            const noBody = spec.method === 'HEAD' || status < 200 || status === 204 || status === 304;
            const buf = Buffer.concat(chunks);
            const body = !keep || noBody ? null : spec.responseType === 'binary' ? new Uint8Array(buf) : buf.toString('utf8');
            resolve({
              ...base,
              status,
              statusText: `${status} ${res.statusMessage ?? ''}`.trim(),
              proto: `HTTP/${res.httpVersion}`,
              headers: responseHeaders(res.rawHeaders),
              body,
              remoteIp,
              remotePort,
              timings: timings(),
              error: '',
              errorCode: status >= 400 && status < 600 ? 1000 + status : 0,
              endTime: Date.now(),
              ...bytes(),
            });
          }),
        );
      });
      if (body !== null) req.end(typeof body === 'string' ? body : Buffer.from(body));
      else req.end();
    });
  } catch (err) {
    if (err instanceof Interrupted) throw err;
    const mapped = mapTransportError(err);
    return {
      ...base,
      status: 0,
      statusText: '',
      proto: '',
      headers: {},
      body: null,
      remoteIp,
      remotePort,
      timings: timings(),
      error: mapped.error,
      errorCode: mapped.code,
      endTime: Date.now(),
      ...bytes(),
    };
  } finally {
    untrack();
  }
}

const REDIRECT = new Set([301, 302, 303, 307, 308]);

/** One k6 request, following redirects up to spec.maxRedirects (each hop is reported). */
export async function performRequest(conns: VuConnections, spec: HttpRequestSpec): Promise<HttpResult> {
  const hops: HttpHop[] = [];
  let url = new URL(spec.url);
  let current = spec;
  try {
    for (;;) {
      const hop = await exchange(conns, current, url);
      hops.push(hop);
      const location = hop.headers['Location'];
      if (!REDIRECT.has(hop.status) || location === undefined || spec.maxRedirects === 0) return { hops };
      if (hops.length > spec.maxRedirects)
        return {
          hops,
          warning: `Stopped after ${spec.maxRedirects} redirects and returned the redirection; pass { redirects: n } in request params or set global maxRedirects to silence this`,
        };
      url = new URL(location, url);
      const toGet = hop.status === 303 || ((hop.status === 301 || hop.status === 302) && current.method === 'POST');
      current = toGet ? { ...current, method: current.method === 'HEAD' ? 'HEAD' : 'GET', body: null } : current;
    }
  } catch (err) {
    if (err instanceof Interrupted) return { hops, interrupted: true };
    throw err;
  }
}

/** Runs a batch with k6's limits: at most `parallel` at once, at most `perHost` per host (0 = no limit). */
export async function performBatch(conns: VuConnections, specs: HttpRequestSpec[], parallel: number, perHost: number): Promise<HttpResult[]> {
  if (specs.length === 1) return [await performRequest(conns, specs[0] as HttpRequestSpec)];
  const results: HttpResult[] = new Array(specs.length);
  const hostOf = specs.map((s) => new URL(s.url).host);
  const pending = specs.map((_, i) => i);
  const perHostActive = new Map<string, number>();
  let active = 0;
  return new Promise((resolve, reject) => {
    const pump = () => {
      if (pending.length === 0 && active === 0) return resolve(results);
      for (let j = 0; j < pending.length && active < parallel; ) {
        const i = pending[j] as number;
        const host = hostOf[i] as string;
        const h = perHostActive.get(host) ?? 0;
        if (perHost > 0 && h >= perHost) {
          j++;
          continue;
        }
        pending.splice(j, 1);
        active++;
        perHostActive.set(host, h + 1);
        performRequest(conns, specs[i] as HttpRequestSpec).then(
          (r) => {
            results[i] = r;
            active--;
            perHostActive.set(host, (perHostActive.get(host) ?? 1) - 1);
            pump();
          },
          reject,
        );
      }
    };
    pump();
  });
}
