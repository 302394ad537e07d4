// The engine's side of one VU worker: start it (its init run), hand it iterations and lifecycle calls,
// interrupt it. Its synchronous HTTP calls go straight to the HTTP thread (io-thread.ts).
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import type { MetricDef, Sample } from '../metrics/types.ts';
import {
  CTRL,
  type FromVu,
  type HttpOptions,
  type ScenarioInfo,
  type ScriptError,
  type SummaryOutput,
  type ToVu,
  type VuWorkerData,
} from '../vu/protocol.ts';
import { ioThreadForNewVu, type IoThread } from './io-client.ts';
import type { CompiledScript } from '../script/compile.ts';

/** Where the VU worker entry lives: next to the bundled CLI, or in bin/ when running from source. */
const WORKER_URL = import.meta.url.endsWith('.ts')
  ? new URL('../bin/vu-worker.ts', import.meta.url)
  : new URL('./vu-worker.js', import.meta.url);

export interface VuEvents {
  samples(samples: Sample[]): void;
  log(level: 'debug' | 'info' | 'warn' | 'error', message: string, fields?: Record<string, string>): void;
  abort(kind: 'abort' | 'fail', reason: string): void;
  /** Custom metrics a VU's init run declared. */
  metrics(defs: MetricDef[]): void;
}

export interface VuSpawnConfig {
  script: CompiledScript;
  env: Record<string, string>;
  runTags: Record<string, string>;
  http: HttpOptions;
  exposedOptions: Record<string, unknown>;
  stats: SharedArrayBuffer;
  testStartMs: number;
  events: VuEvents;
}

/** A script error that ends the run (init, setup, teardown): exit 107, or 108 for test.abort(). */
export class ScriptFailure extends Error {
  constructor(
    readonly error: ScriptError,
    readonly exitCode: number,
  ) {
    super(error.message);
  }
}

export interface IterationOutcome {
  interrupted: boolean;
  error?: ScriptError;
}

export interface CallOutcome {
  value?: string;
  summary?: SummaryOutput;
  summaryError?: string;
  error?: ScriptError;
}

export class VuHandle {
  readonly ready: Promise<{ metrics: MetricDef[]; exports: string[] }>;
  private readonly worker: Worker;
  private readonly ctrl: Int32Array;
  private readonly io: IoThread;
  private readonly ioKey: number;
  private readonly commandPort: MessagePort;
  private pending: { resolve: (m: FromVu) => void; reject: (e: Error) => void } | undefined;
  private exited = false;

  constructor(
    readonly id: number,
    private readonly cfg: VuSpawnConfig,
  ) {
    const ctrlBuf = new SharedArrayBuffer(CTRL.size * 4);
    this.ctrl = new Int32Array(ctrlBuf);
    const { port1, port2 } = new MessageChannel();
    this.io = ioThreadForNewVu();
    this.ioKey = this.io.attach(port1, ctrlBuf, !cfg.http.noConnectionReuse, (m) => cfg.events.log('error', m));
    const commands = new MessageChannel();
    this.commandPort = commands.port1;
    const data: VuWorkerData = {
      id,
      code: cfg.script.code,
      scriptPath: cfg.script.path,
      env: cfg.env,
      runTags: cfg.runTags,
      http: cfg.http,
      exposedOptions: cfg.exposedOptions,
      ctrl: ctrlBuf,
      stats: cfg.stats,
      syncPort: port2,
      commandPort: commands.port2,
      testStartMs: cfg.testStartMs,
    };
    this.worker = new Worker(WORKER_URL, {
      workerData: data,
      transferList: [port2, commands.port2],
      stdout: false,
      stderr: false,
    });
    const io = this.io;
    this.ready = new Promise((resolve, reject) => {
      this.pending = {
        resolve: (m) => {
          if (m.type === 'ready')
            void io.ready.then(() => {
              const warning = io.takeWarning();
              if (warning) cfg.events.log('warn', warning);
              resolve({ metrics: m.metrics, exports: m.exports });
            });
          else if (m.type === 'initError') reject(new ScriptFailure(m.error, m.code));
          else reject(new Error(`unexpected message ${m.type} during VU init`));
        },
        reject,
      };
    });
    this.worker.on('message', (m: FromVu) => this.onMessage(m));
    this.worker.on('error', (err) => this.fail(err));
    this.worker.on('exit', () => {
      this.exited = true;
      this.io.detach(this.ioKey);
      this.commandPort.close();
      this.fail(new Error(`VU ${id} exited`));
    });
  }

  private fail(err: Error): void {
    const p = this.pending;
    this.pending = undefined;
    p?.reject(err);
  }

  private onMessage(m: FromVu): void {
    switch (m.type) {
      case 'samples':
        this.cfg.events.samples(m.samples);
        return;
      case 'log':
        this.cfg.events.log(m.level, m.message, m.fields);
        return;
      case 'abort':
        this.cfg.events.abort(m.kind, m.reason);
        return;
      default: {
        if ('samples' in m && m.samples.length) this.cfg.events.samples(m.samples);
        const p = this.pending;
        this.pending = undefined;
        p?.resolve(m);
      }
    }
  }

  private request(msg: ToVu): Promise<FromVu> {
    if (this.pending) return Promise.reject(new Error(`VU ${this.id} is busy`));
    if (this.exited) return Promise.reject(new Error(`VU ${this.id} has exited`));
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.send(msg);
    });
  }

  private send(msg: ToVu): void {
    this.commandPort.postMessage(msg);
    Atomics.add(this.ctrl, CTRL.command, 1);
    Atomics.notify(this.ctrl, CTRL.command);
  }

  async iterate(scenario: ScenarioInfo, scenarioIteration: number, progress: number): Promise<IterationOutcome> {
    Atomics.store(this.ctrl, CTRL.interrupt, 0);
    Atomics.store(this.ctrl, CTRL.resultPosted, 0);
    const m = await this.request({ type: 'iterate', scenario, iterationInScenario: 0, scenarioIteration, progress });
    if (m.type !== 'done') throw new Error(`unexpected reply ${m.type} to an iteration`);
    return { interrupted: m.interrupted, ...(m.error ? { error: m.error } : {}) };
  }

  async call(fn: 'setup' | 'teardown' | 'handleSummary', arg: string | undefined): Promise<CallOutcome> {
    Atomics.store(this.ctrl, CTRL.interrupt, 0);
    const m = await this.request({ type: 'call', fn, arg });
    if (m.type !== 'result') throw new Error(`unexpected reply ${m.type} to ${fn}()`);
    return {
      ...(m.value !== undefined ? { value: m.value } : {}),
      ...(m.summary ? { summary: m.summary } : {}),
      ...(m.summaryError !== undefined ? { summaryError: m.summaryError } : {}),
      ...(m.error ? { error: m.error } : {}),
    };
  }

  setSetupData(json: string | undefined): void {
    if (!this.exited) this.send({ type: 'setupData', json });
  }

  /** The VU has finished its iteration; its result is still on the way to this thread. */
  get resultInFlight(): boolean {
    return this.pending !== undefined && Atomics.load(this.ctrl, CTRL.resultPosted) === 1;
  }

  get busy(): boolean {
    return this.pending !== undefined;
  }

  /** Makes sleep() return, cancels in-flight requests; the iteration unwinds as interrupted. */
  interrupt(): void {
    Atomics.store(this.ctrl, CTRL.interrupt, 1);
    Atomics.notify(this.ctrl, CTRL.interrupt);
    this.io.interrupt(this.ioKey);
  }

  async terminate(): Promise<void> {
    this.io.detach(this.ioKey);
    if (!this.exited) await this.worker.terminate();
  }
}
