// Messages between the engine (main thread) and a VU worker:
//  - commands in: a command port the VU reads with receiveMessageOnPort while it blocks on Atomics.wait
//    (an idle VU sleeps on a futex, not in its event loop: waking it is far cheaper than a postMessage
//    wake-up, which matters at thousands of iterations per second);
//  - results, samples and logs out: the worker's parentPort (asynchronous);
//  - a dedicated sync port: the VU blocks on Atomics.wait until the engine answers (synchronous http.*,
//    like k6), reading the reply with receiveMessageOnPort.
import type { SummaryEntries } from '../metrics/summary-entries.ts';
import type { MessagePort } from 'node:worker_threads';
import type { MetricDef, Sample } from '../metrics/types.ts';
import type { HttpOptions } from '../config/options.ts';

/** Int32 slots of the control SharedArrayBuffer. */
export const CTRL = {
  /** 1 when a sync reply is waiting on the sync port. */
  reply: 0,
  /** 1 while the VU must stop: sleep returns, the iteration unwinds. */
  interrupt: 1,
  /** Bumped by the engine after each command it posts on the command port. */
  command: 2,
  /**
   * Set by the VU once it has posted an iteration's result (it is idle from then on), cleared by the engine
   * when it hands over the next one: the engine can tell a finished VU before that result reaches it.
   */
  resultPosted: 3,
  size: 4,
} as const;

export const STATS = { iterationsCompleted: 0, iterationsInterrupted: 1, vusActive: 2, vusInitialized: 3, size: 4 } as const;

export type { HttpOptions } from '../config/options.ts';

export interface VuWorkerData {
  id: number;
  code: string;
  scriptPath: string;
  env: Record<string, string>;
  runTags: Record<string, string>;
  http: HttpOptions;
  /** Options as exposed through exec.test.options. */
  exposedOptions: Record<string, unknown>;
  ctrl: SharedArrayBuffer;
  /** Int32 run-wide counters (STATS slots), written by the engine, read by exec.instance. */
  stats: SharedArrayBuffer;
  syncPort: MessagePort;
  commandPort: MessagePort;
  testStartMs: number;
}

export interface ScenarioInfo {
  name: string;
  executor: string;
  exec: string;
  env: Record<string, string>;
  tags: Record<string, string>;
  startTimeMs: number;
}

export type ToVu =
  | { type: 'iterate'; scenario: ScenarioInfo; iterationInScenario: number; scenarioIteration: number; progress: number }
  | { type: 'setupData'; json: string | undefined }
  | { type: 'call'; fn: 'setup' | 'teardown' | 'handleSummary'; arg: string | undefined }
  | { type: 'close' };

export interface ScriptError {
  message: string;
  stack: string;
}

export type FromVu =
  | { type: 'ready'; metrics: MetricDef[]; exports: string[] }
  | { type: 'initError'; error: ScriptError; code: number }
  | { type: 'samples'; samples: Sample[] }
  | {
      type: 'done';
      samples: Sample[];
      /** The iteration threw (logged, not fatal). */
      error?: ScriptError;
      interrupted: boolean;
    }
  | {
      type: 'result';
      samples: Sample[];
      value?: string;
      /** handleSummary returned a valid map (a falsy return value sends neither field). */
      summary?: SummaryOutput;
      /** handleSummary returned something k6 rejects: the error, and nothing is written. */
      summaryError?: string;
      error?: ScriptError;
    }
  | { type: 'abort'; kind: 'abort' | 'fail'; reason: string }
  | { type: 'log'; level: 'debug' | 'info' | 'warn' | 'error'; message: string; fields?: Record<string, string> };

/** handleSummary's return value, validated in the VU: key -> text or bytes. */
export type SummaryOutput = SummaryEntries;

export interface HttpRequestSpec {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | Uint8Array | null;
  timeoutMs: number;
  maxRedirects: number;
  responseType: 'text' | 'binary' | 'none';
}

export interface HttpTimings {
  blocked: number;
  connecting: number;
  tls_handshaking: number;
  sending: number;
  waiting: number;
  receiving: number;
  duration: number;
}

/** One HTTP exchange (a redirect chain yields one per hop). */
export interface HttpHop {
  method: string;
  url: string;
  status: number;
  statusText: string;
  proto: string;
  headers: Record<string, string>;
  body: string | Uint8Array | null;
  remoteIp: string;
  remotePort: number;
  timings: HttpTimings;
  error: string;
  errorCode: number;
  /** Unix ms when the exchange ended; every sample of the hop uses it. */
  endTime: number;
  bytesSent: number;
  bytesReceived: number;
}

export interface HttpResult {
  hops: HttpHop[];
  /** Set when the run interrupted the request (graceful stop expired, abort): no metrics. */
  interrupted?: boolean;
  warning?: string;
}

export type SyncCall = { op: 'http'; requests: HttpRequestSpec[]; parallel: number; perHost: number };
export type SyncReply = { op: 'http'; results: HttpResult[] };
