// The state of one VU's JS context: which phase it is in, its counters, group, tags and the samples it
// has produced. The k6 modules read and write it; the worker (or the engine's options run) owns it.
import type { MetricDef, Sample, Tags } from '../metrics/types.ts';
import type { HttpOptions, ScenarioInfo, SyncCall, SyncReply } from './protocol.ts';

/** `options` = the engine's own init run that reads `options`; `init` = a VU's init run. */
export type Phase = 'options' | 'init' | 'vu' | 'setup' | 'teardown' | 'summary';

/** Thrown to unwind a VU's JS when the run interrupts it (graceful stop expired, abort). */
export class InterruptError extends Error {
  override name = 'InterruptError';
}
/** exec.test.abort(): unwinds like an interrupt, and the engine stops the run with exit 108. */
export class TestAbortError extends InterruptError {
  override name = 'TestAbortError';
}
/** k6's fail(): ends the current iteration only. */
export class GoError extends Error {
  override name = 'GoError';
}

export interface VuHost {
  /** Blocks the VU until the engine answers. */
  syncCall(call: SyncCall): SyncReply;
  /** Sleeps up to ms; returns early (true) when interrupted. */
  sleep(ms: number): boolean;
  interrupted(): boolean;
  log(level: 'debug' | 'info' | 'warn' | 'error', message: string, fields?: Record<string, string>): void;
  abort(kind: 'abort' | 'fail', reason: string): void;
  /** Hands samples to the engine; called when the buffer grows or ages. */
  flush(samples: Sample[]): void;
  /** Live counters shared by the whole run (exec.instance). */
  instance(): { iterationsCompleted: number; iterationsInterrupted: number; vusActive: number; vusInitialized: number };
  readFile(path: string): Uint8Array;
}

export class VuState {
  phase: Phase = 'init';
  scenario: ScenarioInfo | null = null;
  iterationInInstance = -1;
  iterationInScenario = 0;
  scenarioIteration = 0;
  scenarioProgress = 0;
  groupPath = '';
  /** exec.vu.metrics.tags: a live map, applied to every later sample. */
  readonly userTags: Record<string, string> = {};
  readonly metricDefs = new Map<string, MetricDef>();
  dataSent = 0;
  dataReceived = 0;
  private buffer: Sample[] = [];
  private bufferSince = 0;

  constructor(
    readonly id: number,
    readonly env: Record<string, string>,
    readonly runTags: Tags,
    readonly http: HttpOptions,
    readonly exposedOptions: Record<string, unknown>,
    readonly testStartMs: number,
    readonly host: VuHost,
  ) {}

  get inInit(): boolean {
    return this.phase === 'init' || this.phase === 'options';
  }

  /** Tags every sample of the current context carries before call-specific ones. */
  baseTags(): Tags {
    const t: Tags = { ...this.runTags };
    if (this.scenario) Object.assign(t, this.scenario.tags, { scenario: this.scenario.name });
    Object.assign(t, this.userTags);
    t['group'] = this.groupPath;
    return t;
  }

  emit(metric: string, value: number, tags: Tags, time = Date.now()): void {
    if (this.buffer.length === 0) this.bufferSince = time;
    this.buffer.push({ metric, time, value, tags });
    // Long iterations (a fault scenario holding for minutes) must not sit on their samples: thresholds
    // are evaluated every 2 s and the NDJSON is flushed as the run goes.
    if (this.buffer.length >= 1000 || time - this.bufferSince > 500) this.host.flush(this.take());
  }

  take(): Sample[] {
    const out = this.buffer;
    this.buffer = [];
    return out;
  }

  /**
   * data_sent/data_received: one sample each at the end of every iteration, setup or teardown, zeros
   * included (K:lib/netext/dialer.go IOSamples, called unconditionally by K:internal/js/runner.go runFn).
   */
  emitDataSamples(): void {
    const tags = this.baseTags();
    const now = Date.now();
    this.emit('data_sent', this.dataSent, tags, now);
    this.emit('data_received', this.dataReceived, { ...tags }, now);
    this.dataSent = 0;
    this.dataReceived = 0;
  }

  checkInterrupt(): void {
    if (this.host.interrupted()) throw new InterruptError('iteration interrupted');
  }
}
