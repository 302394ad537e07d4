// What every executor shares: running one iteration on a VU with the run's bookkeeping, and stopping
// (regular end -> gracefulStop -> interrupt -> terminate what still does not return).
import type { Sample, Tags } from '../../metrics/types.ts';
import type { Scenario } from '../../config/options.ts';
import type { ScenarioInfo, ScriptError } from '../../vu/protocol.ts';
import type { VuHandle } from '../vu-handle.ts';
import type { RunStats, VuPool } from '../vu-pool.ts';

export interface ExecutorEnv {
  pool: VuPool;
  stats: RunStats;
  runTags: Tags;
  emit(samples: Sample[]): void;
  warn(message: string): void;
  iterationError(error: ScriptError, vuId: number): void;
  /** Aborted when the whole run must stop now (test.abort, threshold abortOnFail, SIGINT). */
  stop: AbortSignal;
}

export interface ScenarioProgress {
  name: string;
  executor: string;
  elapsedMs: number;
  totalMs: number;
  /** Iterations completed or interrupted so far. */
  iterations: number;
  /** The planned total, for iteration-based executors. */
  totalIterations?: number;
  dropped: number;
  vusActive: number;
  vusMax: number;
  done: boolean;
}

/** Resolves after ms, or as soon as the signal aborts. */
export function wait(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted || ms <= 0) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** How long an interrupted VU may take to unwind before its thread is terminated. */
const HARD_STOP_MS = 2000;

export abstract class Executor {
  startedAt = 0;
  private finishedAt = 0;
  protected iterations = 0;
  protected dropped = 0;
  protected nextIteration = 0;
  protected active = 0;
  protected finished = false;
  protected readonly running = new Map<VuHandle, Promise<void>>();
  readonly info: ScenarioInfo;

  constructor(
    readonly scenario: Scenario,
    protected readonly env: ExecutorEnv,
  ) {
    this.info = {
      name: scenario.name,
      executor: scenario.executor,
      exec: scenario.exec,
      env: scenario.env,
      tags: scenario.tags,
      startTimeMs: 0,
    };
  }

  /** Runs the scenario to its end, graceful stop included. */
  async run(): Promise<void> {
    this.startedAt = performance.now();
    this.info.startTimeMs = Date.now();
    try {
      await this.execute();
    } finally {
      this.finished = true;
      this.finishedAt = performance.now();
    }
  }

  protected abstract execute(): Promise<void>;
  protected abstract totalMs(): number;
  protected abstract vusMax(): number;
  /** exec.scenario.progress: 0..1. */
  protected abstract fraction(): number;

  /** VUs counted by the `vus` gauge. */
  vusActive(): number {
    return this.active;
  }

  progress(): ScenarioProgress {
    return {
      name: this.scenario.name,
      executor: this.scenario.executor,
      elapsedMs: this.startedAt ? (this.finishedAt || performance.now()) - this.startedAt : 0,
      totalMs: this.totalMs(),
      iterations: this.iterations,
      dropped: this.dropped,
      vusActive: this.vusActive(),
      vusMax: this.vusMax(),
      done: this.finished,
    };
  }

  protected elapsed(): number {
    return performance.now() - this.startedAt;
  }

  /** One iteration on `vu`; resolves when it completed, threw (logged) or was interrupted. */
  protected iterate(vu: VuHandle): Promise<void> {
    const index = this.nextIteration++;
    const p = vu
      .iterate(this.info, index, Math.min(1, Math.max(0, this.fraction())))
      .then(
        (o) => {
          if (o.error) this.env.iterationError(o.error, vu.id);
          this.env.stats.add(o.interrupted ? 'iterationsInterrupted' : 'iterationsCompleted');
        },
        () => {
          // The worker died or was terminated mid-iteration.
          this.env.stats.add('iterationsInterrupted');
        },
      )
      .finally(() => {
        this.iterations++;
        this.running.delete(vu);
      });
    this.running.set(vu, p);
    return p;
  }

  protected dropIteration(n = 1): void {
    if (n <= 0) return;
    this.dropped += n;
    this.env.emit([
      { metric: 'dropped_iterations', time: Date.now(), value: n, tags: { ...this.env.runTags, scenario: this.scenario.name } },
    ]);
  }

  /**
   * After the regular duration: running iterations get `graceMs` to finish (or none when the run is
   * stopping), then they are interrupted; a VU that does not unwind in time is terminated.
   */
  protected async gracefulStop(graceMs: number): Promise<void> {
    if (this.running.size === 0) return;
    const all = () => Promise.all(this.running.values());
    const settled = all().then(() => true);
    const graceOver = new AbortController();
    const onStop = () => graceOver.abort();
    this.env.stop.addEventListener('abort', onStop, { once: true });
    const finishedInTime = await Promise.race([settled, wait(graceMs, graceOver.signal).then(() => false)]);
    this.env.stop.removeEventListener('abort', onStop);
    if (finishedInTime) return;
    await this.interrupt([...this.running.keys()]);
  }

  protected async interrupt(vus: VuHandle[]): Promise<void> {
    for (const vu of vus) vu.interrupt();
    const pending = vus.map((vu) => this.running.get(vu)).filter((p): p is Promise<void> => p !== undefined);
    const ok = await Promise.race([Promise.all(pending).then(() => true), wait(HARD_STOP_MS).then(() => false)]);
    if (ok) return;
    for (const vu of vus)
      if (this.running.has(vu)) {
        this.env.warn(`VU ${vu.id} did not stop within ${HARD_STOP_MS} ms of being interrupted; its thread is terminated`);
        await this.env.pool.discard(vu);
      }
    await Promise.all(pending);
  }
}
