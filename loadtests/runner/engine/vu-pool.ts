// The run's VUs: pre-initialised to the peak concurrent need, lent to executors, grown on demand up to
// an arrival-rate scenario's maxVUs. Every VU runs the script's init code in its own worker.
import { STATS } from '../vu/protocol.ts';
import { VuHandle, type VuSpawnConfig } from './vu-handle.ts';

export class RunStats {
  readonly buffer = new SharedArrayBuffer(STATS.size * 4);
  private readonly view = new Int32Array(this.buffer);
  add(slot: keyof typeof STATS, n = 1): void {
    if (slot !== 'size') Atomics.add(this.view, STATS[slot], n);
  }
  set(slot: Exclude<keyof typeof STATS, 'size'>, value: number): void {
    Atomics.store(this.view, STATS[slot], value);
  }
  get(slot: Exclude<keyof typeof STATS, 'size'>): number {
    return Atomics.load(this.view, STATS[slot]);
  }
}

export class VuPool {
  private readonly free: VuHandle[] = [];
  private readonly all = new Set<VuHandle>();
  private nextId = 1;
  private setupJson: string | undefined;

  constructor(
    private readonly cfg: VuSpawnConfig,
    private readonly stats: RunStats,
  ) {}

  get initialized(): number {
    return this.all.size;
  }

  /** Starts one VU and waits for its init run; a failing init rejects with ScriptFailure. */
  async spawn(): Promise<VuHandle> {
    const vu = new VuHandle(this.nextId++, this.cfg);
    try {
      const { metrics } = await vu.ready;
      this.cfg.events.metrics(metrics);
    } catch (err) {
      await vu.terminate();
      throw err;
    }
    vu.setSetupData(this.setupJson);
    this.all.add(vu);
    this.stats.add('vusInitialized');
    return vu;
  }

  /** Pre-initialises n VUs, a few at a time so init runs do not starve the machine. */
  async initialize(n: number): Promise<void> {
    const batch = 8;
    for (let done = 0; done < n; done += batch) {
      const vus = await Promise.all(Array.from({ length: Math.min(batch, n - done) }, () => this.spawn()));
      this.free.push(...vus);
    }
  }

  /** setup()'s result (JSON) for every VU, including ones initialised later. */
  setSetupData(json: string | undefined): void {
    this.setupJson = json;
    for (const vu of this.all) vu.setSetupData(json);
  }

  /**
   * n VUs for a scenario: free ones first (lowest ids, so numbering reads like k6's), then new ones when
   * the plan's peak was not enough (a VU was terminated, or scenarios overlapped longer than planned).
   */
  async acquire(n: number): Promise<VuHandle[]> {
    this.free.sort((a, b) => b.id - a.id);
    const have = this.free.splice(Math.max(0, this.free.length - n), n).reverse();
    const extra = await Promise.all(Array.from({ length: n - have.length }, () => this.spawn()));
    return [...have, ...extra];
  }

  give(vus: VuHandle[]): void {
    for (const vu of vus) if (this.all.has(vu)) this.free.push(vu);
  }

  /** A VU that cannot be interrupted (a busy loop) is terminated and forgotten. */
  async discard(vu: VuHandle): Promise<void> {
    this.all.delete(vu);
    await vu.terminate();
  }

  forEach(fn: (vu: VuHandle) => void): void {
    for (const vu of this.all) fn(vu);
  }

  async close(): Promise<void> {
    await Promise.all([...this.all].map((vu) => vu.terminate()));
    this.all.clear();
    this.free.length = 0;
  }
}
