// One replica's fault state. A runtime fault (set through the management port) always carries a TTL and takes
// precedence while active; the environment's fault (ARTIFICIAL_DELAY_MS, ERROR_RATE) applies otherwise.
import type { ActiveFault, FaultSpec } from '../management/target.ts';

/** What the chaos middleware applies to one request. */
export interface EffectiveFault {
  delayMs: number;
  jitterMs: number;
  errorRate: number;
  errorCode: number;
}

export interface ChaosController {
  /** Replaces this replica's runtime fault; it removes itself after spec.ttlSeconds. */
  set(spec: FaultSpec): ActiveFault;
  /** Removes the runtime fault; returns how many were removed (0 or 1). */
  clear(): number;
  /** Active runtime faults (expired ones are dropped first). */
  list(): ActiveFault[];
  /** The fault to apply now: the runtime one if active, else the environment's. */
  effective(): EffectiveFault;
  /** Stops the TTL timer (process shutdown). */
  close(): void;
}

export interface ChaosOptions {
  replica: string;
  envFault: { delayMs: number; errorRate: number };
  /** Called whenever the effective fault changes (metrics gauges follow it). */
  onChange?: (fault: EffectiveFault) => void;
  now?: () => number;
}

const NO_FAULT_CODE = 500;

export function createChaosController(opts: ChaosOptions): ChaosController {
  const now = opts.now ?? Date.now;
  const envFault: EffectiveFault = {
    delayMs: opts.envFault.delayMs,
    jitterMs: 0,
    errorRate: opts.envFault.errorRate,
    errorCode: NO_FAULT_CODE,
  };
  let active: ActiveFault | undefined;
  let timer: NodeJS.Timeout | undefined;

  const notify = () => opts.onChange?.(effective());

  const drop = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const had = active !== undefined;
    active = undefined;
    if (had) notify();
    return had ? 1 : 0;
  };

  // The timer removes the fault on time even when no request comes; the check on use covers a late timer.
  const current = () => {
    if (active && active.expiresAt <= now()) drop();
    return active;
  };

  function effective(): EffectiveFault {
    const f = current();
    return f ? { delayMs: f.delayMs, jitterMs: f.jitterMs, errorRate: f.errorRate, errorCode: f.errorCode } : envFault;
  }

  return {
    set(spec) {
      drop();
      const setAt = now();
      active = { ...spec, replica: opts.replica, setAt, expiresAt: setAt + spec.ttlSeconds * 1000 };
      timer = setTimeout(drop, spec.ttlSeconds * 1000);
      timer.unref();
      notify();
      return { ...active };
    },
    clear: drop,
    list() {
      const f = current();
      return f ? [{ ...f }] : [];
    },
    effective,
    close() {
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}
