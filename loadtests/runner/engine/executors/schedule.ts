// Pure schedules: when each iteration starts (arrival-rate executors) and how many VUs run (ramping-vus).
// All times are milliseconds from the scenario's start; the executor turns them into absolute deadlines,
// so timer jitter never accumulates.
import type { Stage } from '../../config/options.ts';

/** constant-arrival-rate: iteration k starts at k·timeUnit/rate, the first at t = 0, while t < duration. */
export function* constantArrivals(rate: number, timeUnitMs: number, durationMs: number): Generator<number> {
  for (let k = 0; ; k++) {
    // k·timeUnit first: exact for whole numbers, so the start at t = duration is never let in by rounding.
    const t = (k * timeUnitMs) / rate;
    if (t >= durationMs) return;
    yield t;
  }
}

/**
 * ramping-arrival-rate: the rate (per timeUnit) moves linearly from each stage's start value to its
 * target; iteration i (1-based) starts when the integral of the rate reaches i.
 */
export function* rampingArrivals(startRate: number, timeUnitMs: number, stages: Stage[]): Generator<number> {
  let from = startRate / timeUnitMs; // iterations per ms at the stage start
  let offset = 0; // stage start, ms
  let done = 0; // integral of the rate up to the stage start
  let next = 1;
  for (const st of stages) {
    const to = st.target / timeUnitMs;
    const d = st.durationMs;
    const area = d === 0 ? 0 : ((from + to) / 2) * d;
    while (next <= done + area + 1e-9) {
      const need = next - done;
      const a = d === 0 ? 0 : (to - from) / (2 * d);
      // Solves a·t² + from·t = need in its numerically stable form.
      const t = a === 0 ? need / from : (2 * need) / (from + Math.sqrt(Math.max(0, from * from + 4 * a * need)));
      yield offset + Math.min(t, d);
      next++;
    }
    done += area;
    offset += d;
    from = to;
  }
}

/** ramping-vus: the VU count at `elapsedMs`, moving in whole steps: from + trunc(elapsed·Δ/D). */
export function rampingVUsAt(startVUs: number, stages: Stage[], elapsedMs: number): number {
  let from = startVUs;
  let offset = 0;
  for (const st of stages) {
    if (elapsedMs < offset + st.durationMs) {
      const into = elapsedMs - offset;
      return from + Math.trunc((into * (st.target - from)) / st.durationMs);
    }
    offset += st.durationMs;
    from = st.target;
  }
  return from;
}
