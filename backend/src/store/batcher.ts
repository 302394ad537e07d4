// Group commit: requests that arrive together (in the same turn of the event loop, or while earlier flushes
// are running) are written together, and each caller is answered only after its batch's flush succeeded.

export type FlushFn<I, O> = (items: I[]) => Promise<O[]>;

export interface Batcher<I, O> {
  submit(item: I): Promise<O>;
  /** Resolves when nothing is queued or being flushed. */
  idle(): Promise<void>;
}

export interface BatcherOptions {
  /** Upper bound per flush, so one commit never holds the write lock for long. */
  maxBatch?: number;
  /**
   * How many flushes may run at once. 1 (the default): what arrives during a flush waits and becomes the next
   * batch (PostgreSQL: one INSERT per batch). More: each turn's batch is handed over at once, for a sink that
   * queues and merges batches itself (the SQLite writer thread commits everything queued behind the commit in
   * progress as one transaction), so the event loop never waits for a commit to hand over the next batch.
   */
  maxInFlight?: number;
  /**
   * With room in flight, hand a batch over as soon as this many items are queued instead of at the end of the
   * event loop's turn. Under a burst of requests (64 connections answered together come back together) the
   * first votes are then being committed while the rest are still being parsed, rather than the event loop
   * parsing the whole burst and then sitting idle while one commit covers it all.
   */
  flushAt?: number;
}

interface Pending<I, O> {
  item: I;
  resolve: (o: O) => void;
  reject: (e: unknown) => void;
}

/**
 * @param flush writes a whole batch; returns one result per item, in order. If it throws, every item of the
 *   batch is rejected with that error (nothing in it was committed).
 */
export function createBatcher<I, O>(flush: FlushFn<I, O>, opts: BatcherOptions = {}): Batcher<I, O> {
  const maxBatch = opts.maxBatch ?? 512;
  const maxInFlight = opts.maxInFlight ?? 1;
  const flushAt = opts.flushAt ?? Number.POSITIVE_INFINITY;
  let queue: Pending<I, O>[] = [];
  let inFlight = 0;
  let scheduled = false;
  let idleWaiters: (() => void)[] = [];

  const flushOne = async (batch: Pending<I, O>[]) => {
    try {
      const results = await flush(batch.map((p) => p.item));
      batch.forEach((p, i) => p.resolve(results[i] as O));
    } catch (err) {
      for (const p of batch) p.reject(err);
    }
    inFlight--;
    // What arrived meanwhile goes at once (it has already waited for a turn of the event loop or longer).
    pump();
  };

  function pump() {
    scheduled = false;
    while (queue.length > 0 && inFlight < maxInFlight) {
      const batch = queue.length <= maxBatch ? queue : queue.slice(0, maxBatch);
      queue = queue.length <= maxBatch ? [] : queue.slice(maxBatch);
      inFlight++;
      void flushOne(batch);
    }
    if (inFlight === 0 && queue.length === 0 && idleWaiters.length > 0) {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  return {
    submit(item) {
      return new Promise<O>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        if (queue.length >= flushAt && inFlight < maxInFlight) return pump();
        // setImmediate lets every request parsed in this turn of the event loop join the batch.
        if (!scheduled && inFlight < maxInFlight) {
          scheduled = true;
          setImmediate(pump);
        }
      });
    },
    idle() {
      if (!scheduled && inFlight === 0 && queue.length === 0) return Promise.resolve();
      return new Promise((r) => idleWaiters.push(r));
    },
  };
}
