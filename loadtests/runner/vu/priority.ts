// VU threads run at a lower CPU priority than the engine's own threads. A run has one scheduler thread
// and a few HTTP threads that every VU waits on, and tens to hundreds of VU threads; when the CPUs are
// short (an arrival-rate scenario's first second, when every VU runs its first iteration and V8 compiles
// the same code in every VU's isolate), the kernel shares them per thread, so the threads everyone waits
// on got a hundredth each and fell behind, and the VUs waited for them. Lowered VUs still get every CPU
// cycle the shared threads leave; the system under test, when it runs on the same machine, also keeps
// its share instead of losing it to the load generator's VUs.
import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/**
 * The nice value of VU threads (the engine's threads keep the process's own, usually 0): a tenth of a
 * nice-0 thread's weight. In the benchmark at 2000 it/s (same build, interleaved), nice 0 dropped 139, 8,
 * 0, 57 iterations; 10 dropped 0, 33, 0, 0 and later 0, 134, 36, 0; 19 dropped 17, 115, 0, 44 and later
 * 87, 28, 21, 125. 10 and 19 measure alike, so 10: it takes less from VUs on a machine with other work.
 */
export const VU_NICE = 10;

/**
 * Lowers the calling thread's priority to VU_NICE (never raises it). Linux only: there a thread is a task
 * with its own nice value (/proc/thread-self names it); elsewhere setpriority would move the whole
 * process, so it does nothing.
 */
export function lowerThisThreadPriority(): void {
  let tid: number;
  try {
    tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
  } catch {
    return;
  }
  if (!Number.isInteger(tid) || tid <= 0) return;
  try {
    if (getPriority(tid) < VU_NICE) setPriority(tid, VU_NICE);
  } catch {
    // Best effort: a sandbox that forbids it runs the VUs at the process's priority.
  }
}
