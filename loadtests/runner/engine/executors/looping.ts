// Closed-model executors: a fixed (or ramping) set of VUs looping over iterations.
import type { Scenario } from '../../config/options.ts';
import type { VuHandle } from '../vu-handle.ts';
import { Executor, wait } from './base.ts';
import { rampingVUsAt } from './schedule.ts';

type Of<E extends Scenario['executor']> = Extract<Scenario, { executor: E }>;

/** Aborts at the regular end of the scenario, or at once when the run stops. */
function regularEnd(stop: AbortSignal): AbortController {
  const c = new AbortController();
  if (stop.aborted) c.abort();
  else stop.addEventListener('abort', () => c.abort(), { once: true });
  return c;
}

abstract class Looping<S extends Of<'constant-vus' | 'shared-iterations' | 'per-vu-iterations'>> extends Executor {
  protected readonly regular = regularEnd(this.env.stop);
  declare readonly scenario: S;

  protected vusMax(): number {
    return this.scenario.vus;
  }

  /** Each VU loops while `next(vuIndex)` allows another iteration and the regular time is not over. */
  protected async loopAll(limitMs: number, next: (i: number) => boolean): Promise<void> {
    const vus = await this.env.pool.acquire(this.scenario.vus);
    this.active = vus.length;
    const loop = async (vu: VuHandle, i: number) => {
      while (!this.regular.signal.aborted && next(i)) await this.iterate(vu);
      this.active--;
    };
    const loops = Promise.all(vus.map(loop));
    const timer = new AbortController();
    const allDone = loops.then(() => timer.abort());
    await wait(limitMs, AbortSignal.any([timer.signal, this.regular.signal]));
    this.regular.abort();
    await this.gracefulStop(this.env.stop.aborted ? 0 : this.scenario.gracefulStopMs);
    await allDone;
    this.active = 0;
    this.env.pool.give(vus);
  }
}

export class ConstantVUs extends Looping<Of<'constant-vus'>> {
  protected totalMs = () => this.scenario.durationMs;
  protected fraction = () => this.elapsed() / this.scenario.durationMs;
  protected execute(): Promise<void> {
    return this.loopAll(this.scenario.durationMs, () => true);
  }
}

export class SharedIterations extends Looping<Of<'shared-iterations'>> {
  private claimed = 0;
  protected totalMs = () => this.scenario.maxDurationMs;
  protected fraction = () => this.iterations / this.scenario.iterations;
  override progress() {
    return { ...super.progress(), totalIterations: this.scenario.iterations };
  }
  protected async execute(): Promise<void> {
    await this.loopAll(this.scenario.maxDurationMs, () => {
      if (this.claimed >= this.scenario.iterations) return false;
      this.claimed++;
      return true;
    });
    this.dropIteration(this.scenario.iterations - this.claimed);
  }
}

export class PerVuIterations extends Looping<Of<'per-vu-iterations'>> {
  private perVu: number[] = [];
  protected totalMs = () => this.scenario.maxDurationMs;
  protected fraction = () => this.iterations / (this.scenario.iterations * this.scenario.vus);
  override progress() {
    return { ...super.progress(), totalIterations: this.scenario.iterations * this.scenario.vus };
  }
  protected async execute(): Promise<void> {
    this.perVu = new Array<number>(this.scenario.vus).fill(0);
    const n = this.scenario.iterations;
    await this.loopAll(this.scenario.maxDurationMs, (i) => {
      const done = this.perVu[i] as number;
      if (done >= n) return false;
      this.perVu[i] = done + 1;
      return true;
    });
    // k6: when maxDuration expires, each VU reports the iterations it had left.
    for (const done of this.perVu) this.dropIteration(n - done);
  }
}

export class RampingVUs extends Executor {
  declare readonly scenario: Of<'ramping-vus'>;
  private target = 0;
  protected totalMs = () => this.scenario.stages.reduce((a, s) => a + s.durationMs, 0);
  protected fraction = () => this.elapsed() / Math.max(1, this.totalMs());
  protected vusMax(): number {
    return Math.max(this.scenario.startVUs, ...this.scenario.stages.map((s) => s.target));
  }

  protected async execute(): Promise<void> {
    const s = this.scenario;
    const regular = regularEnd(this.env.stop);
    const vus = await this.env.pool.acquire(this.vusMax());
    const loops = new Map<number, Promise<void>>();
    const rampDownTimers = new Set<NodeJS.Timeout>();
    const start = (i: number) => {
      if (loops.has(i)) return;
      const vu = vus[i] as VuHandle;
      this.active++;
      loops.set(
        i,
        (async () => {
          while (!regular.signal.aborted && i < this.target) await this.iterate(vu);
          this.active--;
          loops.delete(i);
        })(),
      );
    };
    const total = this.totalMs();
    this.target = s.startVUs;
    for (;;) {
      const before = this.target;
      this.target = rampingVUsAt(s.startVUs, s.stages, this.elapsed());
      for (let i = 0; i < this.target; i++) start(i);
      if (this.target < before) {
        // VUs ramped away finish their iteration within gracefulRampDown, then are interrupted.
        const removed = vus.slice(this.target, before);
        const t = setTimeout(() => {
          rampDownTimers.delete(t);
          void this.interrupt(removed.filter((vu) => vus.indexOf(vu) >= this.target && this.running.has(vu)));
        }, s.gracefulRampDownMs);
        rampDownTimers.add(t);
      }
      if (this.elapsed() >= total || regular.signal.aborted) break;
      await wait(Math.min(20, total - this.elapsed()), regular.signal);
    }
    regular.abort();
    for (const t of rampDownTimers) clearTimeout(t);
    await this.gracefulStop(this.env.stop.aborted ? 0 : s.gracefulStopMs);
    await Promise.all(loops.values());
    this.active = 0;
    this.env.pool.give(vus);
  }
}
