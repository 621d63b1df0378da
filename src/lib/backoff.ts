// Exponential back-off with jitter for retry loops (informers, reconcilers, agents): each
// failure doubles the delay up to a cap; success resets it. Jitter (±20%) keeps many loops
// that failed together from retrying in lockstep.

export class Backoff {
  private readonly initialMs: number;
  private readonly maxMs: number;
  private current: number;

  constructor(initialMs: number, maxMs: number) {
    this.initialMs = initialMs;
    this.maxMs = maxMs;
    this.current = initialMs;
  }

  /** The next delay, and doubles the one after it. */
  next(): number {
    const d = this.current;
    this.current = Math.min(this.current * 2, this.maxMs);
    return Math.round(d * (0.8 + Math.random() * 0.4));
  }

  reset(): void {
    this.current = this.initialMs;
  }

  /** Sleeps for the next delay; resolves early when `signal` aborts. */
  wait(signal?: AbortSignal): Promise<void> {
    return sleep(this.next(), signal);
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
