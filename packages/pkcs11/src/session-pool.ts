/**
 * Sessions of one token, each running one operation at a time. A token signs one signature per
 * session at a time and its latency bounds the rate, so several sessions keep several signatures in
 * flight (pkcs11js runs an `…Async` call on libuv's thread pool, off the main thread).
 */

export interface SessionPool<S> {
  /** Sessions in the pool. */
  readonly size: number;
  /** Runs `operation` on a free session, waiting for one when all are busy. */
  run<T>(operation: (session: S) => Promise<T>): Promise<T>;
  /**
   * Refuses new work (waiting callers reject with `closedError()`), waits for the operations running,
   * then hands back every session for closing.
   */
  drain(): Promise<readonly S[]>;
}

/** A pool over already-open sessions. */
export function createSessionPool<S>(sessions: readonly S[], closedError: () => Error): SessionPool<S> {
  const idle = [...sessions];
  const waiting: { resolve: (session: S) => void; reject: (error: Error) => void }[] = [];
  let running = 0;
  let closed = false;
  let drained: (() => void) | undefined;

  const release = (session: S): void => {
    running--;
    const next = closed ? undefined : waiting.shift();
    if (next) {
      running++;
      next.resolve(session);
      return;
    }
    idle.push(session);
    if (running === 0) drained?.();
  };

  return {
    size: sessions.length,
    async run(operation) {
      if (closed) throw closedError();
      let session = idle.pop();
      if (session === undefined) {
        session = await new Promise<S>((resolve, reject) => waiting.push({ resolve, reject }));
      } else {
        running++;
      }
      try {
        return await operation(session);
      } finally {
        release(session);
      }
    },
    async drain() {
      closed = true;
      for (const waiter of waiting.splice(0)) waiter.reject(closedError());
      if (running > 0) await new Promise<void>((resolve) => (drained = resolve));
      return [...sessions];
    },
  };
}
