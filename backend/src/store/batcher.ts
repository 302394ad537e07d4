// Group commit: requests that arrive while a commit is running (or in the same tick) are written together in
// the next single transaction, and each caller is answered only after that transaction committed.

export type FlushFn<I, O> = (items: I[]) => Promise<O[]>;

export interface Batcher<I, O> {
  submit(item: I): Promise<O>;
  /** Resolves when nothing is queued or being flushed. */
  idle(): Promise<void>;
}

interface Pending<I, O> {
  item: I;
  resolve: (o: O) => void;
  reject: (e: unknown) => void;
}

/**
 * @param flush writes a whole batch; returns one result per item, in order. If it throws, every item of the
 *   batch is rejected with that error (nothing in it was committed).
 * @param maxBatch upper bound per transaction, so one commit never holds the write lock for long.
 */
export function createBatcher<I, O>(flush: FlushFn<I, O>, maxBatch = 512): Batcher<I, O> {
  let queue: Pending<I, O>[] = [];
  let running = false;
  let scheduled = false;
  let idleWaiters: (() => void)[] = [];

  const run = async () => {
    scheduled = false;
    if (running) return;
    running = true;
    while (queue.length > 0) {
      const batch = queue.slice(0, maxBatch);
      queue = queue.slice(batch.length);
      try {
        const results = await flush(batch.map((p) => p.item));
        batch.forEach((p, i) => p.resolve(results[i] as O));
      } catch (err) {
        for (const p of batch) p.reject(err);
      }
    }
    running = false;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const w of waiters) w();
  };

  return {
    submit(item) {
      return new Promise<O>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        // setImmediate lets every request parsed in this turn of the event loop join the batch.
        if (!running && !scheduled) {
          scheduled = true;
          setImmediate(run);
        }
      });
    },
    idle() {
      if (!running && !scheduled && queue.length === 0) return Promise.resolve();
      return new Promise((r) => idleWaiters.push(r));
    },
  };
}
