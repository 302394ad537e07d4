// Open-model executors: iterations start on a fixed schedule whether or not earlier ones finished.
// Start times come from the pure schedule and are compared with the clock, never accumulated, so the
// delivered count is exact in the long run; a start that finds no idle VU is a dropped iteration.
import type { Scenario } from '../../config/options.ts';
import type { VuHandle } from '../vu-handle.ts';
import { Executor, wait } from './base.ts';
import { constantArrivals, rampingArrivals } from './schedule.ts';

/** Resolves after the event loop's next poll phase, where results the VUs already posted are delivered. */
const afterQueuedMessages = () => new Promise<void>((resolve) => setImmediate(resolve));
/** A result a VU flagged as posted lands within a turn or two; this only bounds a broken VU. */
const MAX_TURNS_FOR_RESULTS = 100;

type Arrival = Extract<Scenario, { executor: 'constant-arrival-rate' | 'ramping-arrival-rate' }>;

export class ArrivalRate extends Executor {
  declare readonly scenario: Arrival;
  private vus: VuHandle[] = [];
  private idle: VuHandle[] = [];
  private growing = 0;
  private warnedCap = false;

  protected totalMs(): number {
    const s = this.scenario;
    return s.executor === 'constant-arrival-rate' ? s.durationMs : s.stages.reduce((a, x) => a + x.durationMs, 0);
  }
  protected vusMax(): number {
    return this.vus.length;
  }
  protected fraction(): number {
    return this.elapsed() / Math.max(1, this.totalMs());
  }

  private schedule(): Generator<number> {
    const s = this.scenario;
    return s.executor === 'constant-arrival-rate'
      ? constantArrivals(s.rate, s.timeUnitMs, s.durationMs)
      : rampingArrivals(s.startRate, s.timeUnitMs, s.stages);
  }

  /**
   * A drop asks for one more VU, initialised in the background, until maxVUs. As in k6, unplanned VUs
   * are made one at a time: starting many worker threads at once would steal the CPU the running
   * VUs need and turn a short shortage into a collapse.
   */
  private grow(): void {
    if (this.vus.length + this.growing >= this.scenario.maxVUs) {
      if (!this.warnedCap && this.vus.length >= this.scenario.maxVUs) {
        this.warnedCap = true;
        this.env.warn(`Insufficient VUs, reached ${this.scenario.maxVUs} active VUs and cannot initialize more (scenario ${this.scenario.name})`);
      }
      return;
    }
    if (this.growing > 0) return;
    this.growing++;
    this.env.pool.spawn().then(
      (vu) => {
        this.growing--;
        this.vus.push(vu);
        if (this.acceptingNew) this.idle.push(vu);
      },
      (err: Error) => {
        this.growing--;
        this.env.warn(`could not initialise another VU for scenario ${this.scenario.name}: ${err.message}`);
      },
    );
  }

  private acceptingNew = true;

  /** Starts up to `due` iterations on idle VUs (FIFO); returns how many found none. */
  private startOnIdle(due: number): number {
    for (; due > 0; due--) {
      // FIFO like k6's VU channel: iterations rotate over every VU (and so over their keep-alive
      // connections and the replicas behind them) instead of piling onto the most recently freed one.
      const vu = this.idle.shift();
      if (!vu) return due;
      this.active++;
      void this.iterate(vu).then(() => {
        this.active--;
        if (this.acceptingNew) this.idle.push(vu);
      });
    }
    return 0;
  }

  /**
   * Starts `due` iterations, each on an idle VU or, when none is, as a dropped iteration. The engine may
   * wake behind its VUs (a busy start, a GC pause): a VU whose result is still queued on this thread has
   * finished and is idle, as in k6, where a VU is free the moment its iteration returns. So before
   * calling an iteration dropped, let the results that VUs have flagged as posted land first.
   */
  private async startDue(due: number): Promise<void> {
    due = this.startOnIdle(due);
    for (let turns = 0; due > 0 && turns < MAX_TURNS_FOR_RESULTS && this.vus.some((vu) => vu.resultInFlight); turns++) {
      await afterQueuedMessages();
      if (this.env.stop.aborted) return;
      due = this.startOnIdle(due);
    }
    for (; due > 0; due--) {
      this.dropIteration();
      this.grow();
    }
  }

  protected async execute(): Promise<void> {
    this.vus = await this.env.pool.acquire(this.scenario.preAllocatedVUs);
    this.idle = [...this.vus];
    const stop = this.env.stop;
    const times = this.schedule();
    let next = times.next();
    while (!next.done && !stop.aborted) {
      const now = this.elapsed();
      let due = 0;
      for (; !next.done && next.value <= now; next = times.next()) due++;
      if (due > 0) await this.startDue(due);
      if (next.done) break;
      await wait(next.value - this.elapsed(), stop);
    }
    // The regular duration ends with the schedule's span, not with the last start.
    if (!stop.aborted) await wait(this.totalMs() - this.elapsed(), stop);
    this.acceptingNew = false;
    await this.gracefulStop(stop.aborted ? 0 : this.scenario.gracefulStopMs);
    while (this.growing > 0) await wait(10);
    this.idle = [];
    this.env.pool.give(this.vus);
  }
}
