// The `k6/http` module: synchronous requests (the VU blocks while the engine does the I/O), k6's params,
// response callback, system tags and the per-request metric samples (K:js/modules/k6/http).
import type { Tags } from '../metrics/types.ts';
import type { HttpHop, HttpRequestSpec, HttpResult } from '../vu/protocol.ts';
import { InterruptError, type VuState } from '../vu/state.ts';
import { parseDuration } from '../config/duration.ts';
import { Response } from './response.ts';

type Range = number | { min: number; max: number };

/** What http.expectedStatuses() returns; only these are accepted as response callbacks, as in k6. */
export class ExpectedStatuses {
  constructor(private readonly ranges: Range[]) {}
  match(status: number): boolean {
    return this.ranges.some((r) => (typeof r === 'number' ? r === status : status >= r.min && status <= r.max));
  }
}

export const DEFAULT_EXPECTED = new ExpectedStatuses([{ min: 200, max: 399 }]);

interface Params {
  headers?: Record<string, unknown>;
  tags?: Record<string, unknown>;
  timeout?: string | number;
  redirects?: number;
  responseType?: 'text' | 'binary' | 'none';
  responseCallback?: ExpectedStatuses | null;
  [k: string]: unknown;
}

const SUPPORTED_PARAMS = new Set(['headers', 'tags', 'timeout', 'redirects', 'responseType', 'responseCallback', 'compression', 'cookies', 'jar', 'auth']);

/** Credentials in a URL tag are masked as k6 does. */
function maskUrl(u: URL): string {
  if (!u.username && !u.password) return u.href;
  const c = new URL(u.href);
  c.username = '****';
  c.password = '****';
  return c.href;
}

function encodeBody(body: unknown, headers: Record<string, string>): string | Uint8Array | null {
  if (body === null || body === undefined) return null;
  if (typeof body === 'string') return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body.slice(0));
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength));
  if (typeof body === 'object') {
    if (!Object.keys(headers).some((k) => k.toLowerCase() === 'content-type'))
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
    const form = new URLSearchParams();
    for (const [k, v] of Object.entries(body as Record<string, unknown>)) form.append(k, String(v));
    return form.toString();
  }
  return String(body);
}

export function createHttpModule(vu: VuState, parseJson: (text: string) => unknown) {
  interface Prepared {
    spec: HttpRequestSpec;
    tags: Tags;
    nameTag: string | undefined;
    /** The url tag of the first hop (credentials masked); redirect hops compute their own. */
    urlTag: string;
    callback: ExpectedStatuses | null;
  }

  function prepare(method: string, url: unknown, body: unknown, params: Params | undefined): Prepared | Response {
    const p: Params = params ?? {};
    for (const k of Object.keys(p))
      if (!SUPPORTED_PARAMS.has(k)) vu.host.log('warn', `unknown http param "${k}" is ignored`);
    for (const k of ['cookies', 'jar', 'auth', 'compression'])
      if (p[k] !== undefined) throw new Error(`the http param "${k}" is not supported by chaoslab-k6run`);
    let parsed: URL;
    try {
      parsed = new URL(String(url));
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('unsupported protocol');
    } catch {
      const msg = `invalid URL "${String(url)}"`;
      if (vu.http.throw) throw new Error(msg);
      vu.host.log('warn', 'Request Failed', { error: msg });
      return errorResponse(method, String(url), msg, 1020);
    }
    const headers: Record<string, string> = { 'User-Agent': vu.http.userAgent };
    for (const [k, v] of Object.entries(p.headers ?? {})) headers[k] = String(v);
    const encoded = encodeBody(body, headers);
    const userTags: Tags = {};
    for (const [k, v] of Object.entries(p.tags ?? {})) userTags[k] = String(v);
    const callback = p.responseCallback === undefined ? currentCallback : p.responseCallback;
    if (callback !== null && !(callback instanceof ExpectedStatuses))
      throw new Error('responseCallback only accepts what http.expectedStatuses() returns, or null');
    const responseType = p.responseType ?? (vu.http.discardResponseBodies ? 'none' : 'text');
    if (!['text', 'binary', 'none'].includes(responseType)) throw new Error(`invalid responseType "${responseType}"`);
    return {
      spec: {
        method: method.toUpperCase(),
        url: parsed.href,
        headers,
        body: encoded,
        timeoutMs: p.timeout === undefined ? 60_000 : parseDuration(p.timeout),
        maxRedirects: p.redirects ?? vu.http.maxRedirects,
        responseType,
      },
      tags: userTags,
      nameTag: userTags['name'],
      urlTag: maskUrl(parsed),
      callback,
    };
  }

  function errorResponse(method: string, url: string, error: string, code: number): Response {
    const zero = { blocked: 0, connecting: 0, tls_handshaking: 0, sending: 0, waiting: 0, receiving: 0, duration: 0 };
    return new Response(
      {
        method, url, status: 0, statusText: '', proto: '', headers: {}, body: null, remoteIp: '', remotePort: 0,
        timings: zero, error, errorCode: code, endTime: Date.now(), bytesSent: 0, bytesReceived: 0,
      },
      parseJson,
      { headers: {}, body: null },
    );
  }

  function emitHop(prep: Prepared, hop: HttpHop): void {
    const t = vu.baseTags();
    const urlTag = prep.nameTag ?? (hop.url === prep.spec.url ? prep.urlTag : maskUrl(new URL(hop.url)));
    Object.assign(t, { name: urlTag, url: urlTag, method: hop.method, status: String(hop.status) });
    if (hop.status !== 0) t['proto'] = hop.proto;
    if (hop.error) t['error'] = hop.error;
    if (hop.errorCode) t['error_code'] = String(hop.errorCode);
    let expected: boolean | undefined;
    if (prep.callback) {
      expected = prep.callback.match(hop.status);
      t['expected_response'] = String(expected);
    }
    Object.assign(t, prep.tags);
    const tm = hop.timings;
    const at = hop.endTime;
    vu.emit('http_reqs', 1, t, at);
    vu.emit('http_req_duration', tm.duration, t, at);
    vu.emit('http_req_blocked', tm.blocked, t, at);
    vu.emit('http_req_connecting', tm.connecting, t, at);
    vu.emit('http_req_tls_handshaking', tm.tls_handshaking, t, at);
    vu.emit('http_req_sending', tm.sending, t, at);
    vu.emit('http_req_waiting', tm.waiting, t, at);
    vu.emit('http_req_receiving', tm.receiving, t, at);
    if (expected !== undefined) vu.emit('http_req_failed', expected ? 0 : 1, t, at);
  }

  function finish(prep: Prepared, result: HttpResult): Response {
    if (result.interrupted) throw new InterruptError('request interrupted');
    if (result.warning) vu.host.log('warn', result.warning);
    for (const hop of result.hops) {
      vu.dataSent += hop.bytesSent;
      vu.dataReceived += hop.bytesReceived;
      emitHop(prep, hop);
    }
    const last = result.hops[result.hops.length - 1] as HttpHop;
    if (last.error) {
      if (vu.http.throw) throw new Error(last.error);
      vu.host.log('warn', 'Request Failed', { error: last.error });
    }
    return new Response(last, parseJson, prep.spec);
  }

  function run(preps: Prepared[]): HttpResult[] {
    if (vu.inInit) throw new Error('making requests in the init context is not supported');
    vu.checkInterrupt();
    const reply = vu.host.syncCall({
      op: 'http',
      requests: preps.map((p) => p.spec),
      parallel: vu.http.batch,
      perHost: vu.http.batchPerHost,
    });
    return reply.results;
  }

  function request(method: string, url: unknown, body?: unknown, params?: Params): Response {
    if (vu.inInit) throw new Error('making requests in the init context is not supported');
    const prep = prepare(method, url, body, params);
    if (prep instanceof Response) return prep;
    return finish(prep, run([prep])[0] as HttpResult);
  }

  type BatchItem = string | [string, string, unknown?, Params?] | { method?: string; url: string; body?: unknown; params?: Params };
  function batch(reqs: BatchItem[] | Record<string, BatchItem>): Response[] | Record<string, Response> {
    if (vu.inInit) throw new Error('making requests in the init context is not supported');
    const entries: [string, BatchItem][] = Array.isArray(reqs) ? reqs.map((r, i) => [String(i), r]) : Object.entries(reqs);
    const prepared = entries.map(([, item]) => {
      if (typeof item === 'string') return prepare('GET', item, null, undefined);
      if (Array.isArray(item)) return prepare(item[0], item[1], item[2], item[3]);
      if (item && typeof item === 'object') return prepare(item.method ?? 'GET', item.url, item.body, item.params);
      throw new Error('invalid batch item: use a URL, [method, url, body, params] or {method, url, body, params}');
    });
    const live = prepared.filter((p): p is Prepared => !(p instanceof Response));
    const results = live.length ? run(live) : [];
    let j = 0;
    const responses = prepared.map((p) => (p instanceof Response ? p : finish(p, results[j++] as HttpResult)));
    if (Array.isArray(reqs)) return responses;
    return Object.fromEntries(entries.map(([k], i) => [k, responses[i] as Response]));
  }

  let currentCallback: ExpectedStatuses | null = DEFAULT_EXPECTED;
  const http = {
    get: (url: unknown, params?: Params) => request('GET', url, null, params),
    head: (url: unknown, params?: Params) => request('HEAD', url, null, params),
    post: (url: unknown, body?: unknown, params?: Params) => request('POST', url, body, params),
    put: (url: unknown, body?: unknown, params?: Params) => request('PUT', url, body, params),
    patch: (url: unknown, body?: unknown, params?: Params) => request('PATCH', url, body, params),
    del: (url: unknown, body?: unknown, params?: Params) => request('DELETE', url, body, params),
    options: (url: unknown, body?: unknown, params?: Params) => request('OPTIONS', url, body, params),
    request: (method: string, url: unknown, body?: unknown, params?: Params) => request(method, url, body, params),
    batch,
    expectedStatuses(...ranges: Range[]): ExpectedStatuses {
      for (const r of ranges)
        if (!(Number.isInteger(r) || (r && typeof r === 'object' && Number.isInteger(r.min) && Number.isInteger(r.max))))
          throw new Error('expectedStatuses accepts integers and {min, max} objects only');
      return new ExpectedStatuses(ranges);
    },
    setResponseCallback(cb: ExpectedStatuses | null): void {
      if (cb !== null && !(cb instanceof ExpectedStatuses))
        throw new Error('setResponseCallback only accepts what http.expectedStatuses() returns, or null');
      currentCallback = cb;
    },
    file(): never {
      throw new Error('http.file() is not supported by chaoslab-k6run');
    },
    cookieJar(): never {
      throw new Error('http.cookieJar() is not supported by chaoslab-k6run');
    },
    url(): never {
      throw new Error('http.url`` is not supported by chaoslab-k6run');
    },
    TLS_1_2: 'tls1.2',
    TLS_1_3: 'tls1.3',
  };
  return http;
}
