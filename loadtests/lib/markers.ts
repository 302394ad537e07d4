// Fault markers and recovery measurements, written into k6's output exactly as contract.ts names them, so the
// report can place each fault on the timeline and show measured recovery times.
import { Counter, Trend } from 'k6/metrics';
import { FAULT_EVENTS_METRIC, RECOVERY_METRIC, type FaultEvent, type FaultKind, type RecoveryKind } from './contract.ts';

const events = new Counter(FAULT_EVENTS_METRIC);
const recovery = new Trend(RECOVERY_METRIC, true);

export function markFault(event: FaultEvent, fault: FaultKind, detail: string): void {
  events.add(1, { event, fault, detail });
}

export function recordRecovery(kind: RecoveryKind, ms: number): void {
  recovery.add(ms, { kind });
}
