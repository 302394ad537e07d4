// Progress on a terminal: one line per scenario, redrawn about once a second on stderr
// (elapsed/total, current rate, VUs active/max, dropped). Silent when stderr is not a TTY or --quiet.
import { formatDuration } from '../config/duration.ts';
import type { ScenarioProgress } from './executors/index.ts';

export function progressLine(p: ScenarioProgress, ratePerS: number): string {
  const frac = p.totalIterations ? p.iterations / p.totalIterations : p.totalMs > 0 ? Math.min(1, p.elapsedMs / p.totalMs) : 0;
  const width = 30;
  const filled = Math.round(frac * width);
  const bar = `[${'='.repeat(Math.max(0, filled - 1))}${filled > 0 ? '>' : ''}${'-'.repeat(width - filled)}]`;
  const span = p.totalIterations
    ? `${p.iterations}/${p.totalIterations} iters`
    : `${formatDuration(Math.round(p.elapsedMs / 100) * 100)}/${formatDuration(p.totalMs)}`;
  const state = p.done ? 'done' : p.elapsedMs === 0 ? 'waiting' : 'running';
  return `${p.name.padEnd(12)} ${state.padEnd(7)} ${bar} ${span}, ${ratePerS.toFixed(1)} it/s, ${p.vusActive}/${p.vusMax} VUs, ${p.dropped} dropped`;
}

export class Progress {
  private timer: NodeJS.Timeout | undefined;
  private lines = 0;
  private last = new Map<string, { iterations: number; at: number }>();

  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly enabled: boolean,
    private readonly read: () => ScenarioProgress[],
  ) {}

  start(): void {
    if (!this.enabled) return;
    this.timer = setInterval(() => this.draw(), 1000);
    this.timer.unref();
  }

  private draw(final = false): void {
    const now = performance.now();
    const rows = this.read().map((p) => {
      const prev = this.last.get(p.name) ?? { iterations: 0, at: now - 1000 };
      this.last.set(p.name, { iterations: p.iterations, at: now });
      // The last frame shows the scenario's average rate; the others the rate since the previous frame.
      const rate = final
        ? (p.iterations * 1000) / Math.max(1, p.elapsedMs)
        : ((p.iterations - prev.iterations) * 1000) / Math.max(1, now - prev.at);
      return progressLine(p, rate);
    });
    const up = this.lines > 0 ? `\x1b[${this.lines}A` : '';
    this.out.write(up + rows.map((r) => `\r\x1b[2K${r}\n`).join(''));
    this.lines = rows.length;
  }

  stop(): void {
    if (!this.timer) return;
    clearInterval(this.timer);
    this.timer = undefined;
    this.draw(true);
  }
}
