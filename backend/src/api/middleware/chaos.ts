import { setTimeout as sleep } from 'node:timers/promises';
import type { Context, MiddlewareHandler, Next } from 'hono';
import type { ChaosController, EffectiveFault } from '../../chaos/controller.ts';
import type { ReplicaMetrics } from '../../metrics/index.ts';
import { apiError } from '../errors.ts';

/** Applies the replica's fault: delay (+ jitter) first, then maybe an injected error instead of the real answer. */
export const chaos = (
  controller: ChaosController,
  m: ReplicaMetrics,
  random: () => number = Math.random,
): MiddlewareHandler => {
  const faulty = async (c: Context, next: Next, f: EffectiveFault) => {
    const delay = f.delayMs + (f.jitterMs > 0 ? random() * f.jitterMs : 0);
    if (delay > 0) await sleep(delay);
    if (f.errorRate > 0 && random() < f.errorRate) {
      m.chaosInjected.inc({ status_code: String(f.errorCode) });
      // Only 500..599 are accepted at the edge, so this is always a server-error status.
      return apiError(c, f.errorCode as 500, 'injected_fault', 'error injected by chaos-lab');
    }
    await next();
  };
  // No fault in effect (the usual case): straight on, without an extra async frame per request.
  return (c, next) => {
    const f = controller.effective();
    return f.delayMs === 0 && f.jitterMs === 0 && f.errorRate === 0 ? next() : faulty(c, next, f);
  };
};
