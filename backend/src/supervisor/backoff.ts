// Restart backoff, like the kubelet's CrashLoopBackOff: each consecutive crash doubles the wait up to a cap,
// and a replica that ran for a stable period starts over at the initial delay. Pure, so it is tested alone.

export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
  /** A run at least this long resets the streak of failures. */
  stableMs: number;
}

export interface BackoffState {
  /** Restarts since the last stable run. */
  streak: number;
}

export const freshBackoff = (): BackoffState => ({ streak: 0 });

/**
 * Given how long the process that just exited had been running, returns the delay before the next start and
 * the new state. The first restart after a stable run waits `initialMs`; each further one doubles it.
 */
export function nextRestart(
  policy: BackoffPolicy,
  state: BackoffState,
  ranForMs: number,
): { delayMs: number; state: BackoffState } {
  const streak = ranForMs >= policy.stableMs ? 0 : state.streak;
  const delayMs = Math.min(policy.maxMs, policy.initialMs * 2 ** Math.min(streak, 30));
  return { delayMs, state: { streak: streak + 1 } };
}
