// k6's Response object: snake_case fields, json(selector) with gjson paths.
import type { HttpHop, HttpTimings } from '../vu/protocol.ts';
import { gjsonGet } from './gjson.ts';

function jsonError(text: string, err: unknown): Error {
  const msg = err instanceof Error ? err.message : String(err);
  const pos = /position (\d+)/.exec(msg);
  let line = 1;
  let col = 1;
  if (pos) {
    const upto = text.slice(0, Number(pos[1]));
    line = upto.split('\n').length;
    col = upto.length - upto.lastIndexOf('\n');
  }
  return new Error(`cannot parse json due to an error at line ${line}, character ${col} , error: ${msg}`);
}

export class Response {
  status: number;
  status_text: string;
  url: string;
  proto: string;
  headers: Record<string, string>;
  body: string | ArrayBuffer | null;
  cookies: Record<string, unknown[]> = {};
  timings: HttpTimings & { looking_up: number };
  remote_ip: string;
  remote_port: number;
  tls_version = '';
  tls_cipher_suite = '';
  ocsp = { produced_at: 0, this_update: 0, next_update: 0, revocation_reason: '', revoked_at: 0, status: '' };
  error: string;
  error_code: number;
  request: { method: string; url: string; headers: Record<string, string[]>; body: string; cookies: Record<string, unknown[]> };
  #parsed: { ok: true; value: unknown } | undefined;

  constructor(
    hop: HttpHop,
    private readonly parseJson: (text: string) => unknown,
    sent: { headers: Record<string, string>; body: string | Uint8Array | null },
  ) {
    this.status = hop.status;
    this.status_text = hop.statusText;
    this.url = hop.url;
    this.proto = hop.proto;
    this.headers = hop.headers;
    const b = hop.body;
    this.body = b instanceof Uint8Array ? (b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer) : b;
    this.timings = { ...hop.timings, looking_up: 0 };
    this.remote_ip = hop.remoteIp;
    this.remote_port = hop.remotePort;
    this.error = hop.error;
    this.error_code = hop.errorCode;
    const reqHeaders: Record<string, string[]> = {};
    for (const [k, v] of Object.entries(sent.headers)) reqHeaders[k] = [v];
    const body = sent.body === null ? '' : typeof sent.body === 'string' ? sent.body : new TextDecoder('latin1').decode(sent.body);
    this.request = { method: hop.method, url: hop.url, headers: reqHeaders, body, cookies: {} };
  }

  json(selector?: string): unknown {
    if (this.body === null) throw new Error("the body is null so we can't transform it to JSON - this likely was because of a request error getting the response");
    const text = typeof this.body === 'string' ? this.body : new TextDecoder().decode(this.body);
    if (!this.#parsed) {
      try {
        this.#parsed = { ok: true, value: this.parseJson(text) };
      } catch (err) {
        if (selector !== undefined) return undefined;
        throw jsonError(text, err);
      }
    }
    return selector === undefined ? this.#parsed.value : gjsonGet(this.#parsed.value, selector);
  }

  html(): never {
    throw new Error('Response.html() is not supported by chaoslab-k6run');
  }
  clickLink(): never {
    throw new Error('Response.clickLink() is not supported by chaoslab-k6run');
  }
  submitForm(): never {
    throw new Error('Response.submitForm() is not supported by chaoslab-k6run');
  }
}
