// A work queue of object keys with client-go's guarantees: a key waits in the queue at most
// once however often it is added; a key is never processed by two workers at once (added
// while in process, it is queued again when done); failures are retried with per-key
// exponential back-off until forget() says the key succeeded.

import { Backoff } from '../lib/backoff.ts';

export class WorkQueue {
  private queue: string[] = [];
  private dirty = new Set<string>();
  private processing = new Set<string>();
  private failures = new Map<string, Backoff>();
  private timers = new Map<string, { timer: NodeJS.Timeout; at: number }>();
  private requeues = new Map<string, number>();
  private waiters: ((key: string | undefined) => void)[] = [];
  private shuttingDown = false;
  private readonly baseMs: number;
  private readonly maxMs: number;

  constructor(opts: { baseDelayMs?: number; maxDelayMs?: number } = {}) {
    this.baseMs = opts.baseDelayMs ?? 50;
    this.maxMs = opts.maxDelayMs ?? 60_000;
  }

  add(key: string): void {
    if (this.shuttingDown || this.dirty.has(key)) return;
    this.dirty.add(key);
    if (this.processing.has(key)) return;
    const w = this.waiters.shift();
    if (w) {
      this.dirty.delete(key);
      this.processing.add(key);
      w(key);
    } else this.queue.push(key);
  }

  addAfter(key: string, ms: number): void {
    if (this.shuttingDown) return;
    if (ms <= 0) return this.add(key);
    const at = Date.now() + ms;
    const prev = this.timers.get(key);
    if (prev && prev.at <= at) return; // an earlier wake-up is already set (client-go keeps the earliest)
    if (prev) clearTimeout(prev.timer);
    const timer = setTimeout(() => {
      this.timers.delete(key);
      this.add(key);
    }, ms);
    timer.unref();
    this.timers.set(key, { timer, at });
  }

  /** Re-adds after this key's next back-off delay. */
  addRateLimited(key: string): void {
    let b = this.failures.get(key);
    if (!b) this.failures.set(key, (b = new Backoff(this.baseMs, this.maxMs)));
    this.requeues.set(key, (this.requeues.get(key) ?? 0) + 1);
    this.addAfter(key, b.next());
  }

  /** The key succeeded: its back-off starts over. */
  forget(key: string): void {
    this.failures.delete(key);
    this.requeues.delete(key);
  }

  numRequeues(key: string): number {
    return this.requeues.get(key) ?? 0;
  }

  /** The next key to process, or undefined once shut down. Call done(key) afterwards. */
  get(): Promise<string | undefined> {
    if (this.shuttingDown) return Promise.resolve(undefined);
    const key = this.queue.shift();
    if (key !== undefined) {
      this.dirty.delete(key);
      this.processing.add(key);
      return Promise.resolve(key);
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  done(key: string): void {
    this.processing.delete(key);
    if (this.dirty.has(key)) {
      this.dirty.delete(key);
      this.add(key);
    }
  }

  get length(): number {
    return this.queue.length;
  }

  /** True when nothing is queued, in process or waiting on a timer. */
  idle(): boolean {
    return this.queue.length === 0 && this.processing.size === 0 && this.timers.size === 0;
  }

  shutdown(): void {
    this.shuttingDown = true;
    for (const t of this.timers.values()) clearTimeout(t.timer);
    this.timers.clear();
    for (const w of this.waiters.splice(0)) w(undefined);
  }
}
