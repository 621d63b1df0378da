// Live fan-out shared by the drivers. Every driver has a single writer (this process), so a
// committed write is published synchronously, right after the commit, to every watcher whose
// prefix matches. A new watcher is registered and its history replayed in the same synchronous
// step, so no event can fall between replay and live delivery.

import type { WatchEvent, Watcher } from './backend.ts';

interface Subscriber {
  prefix: string;
  onEvent: (ev: WatchEvent) => void;
  closed: boolean;
}

export class WatchHub {
  private subs = new Set<Subscriber>();

  /** Registers a subscriber after delivering `history` to it. */
  subscribe(prefix: string, history: Iterable<WatchEvent>, onEvent: (ev: WatchEvent) => void): Watcher {
    const sub: Subscriber = { prefix, onEvent, closed: false };
    for (const ev of history) {
      if (sub.closed) break;
      onEvent(ev);
    }
    this.subs.add(sub);
    return {
      close: () => {
        sub.closed = true;
        this.subs.delete(sub);
      },
    };
  }

  publish(ev: WatchEvent): void {
    for (const sub of this.subs) {
      if (sub.closed || !ev.kv.key.startsWith(sub.prefix)) continue;
      try {
        sub.onEvent(ev);
      } catch {
        // A watcher's failure is its own (the API server closes that stream); the writer and
        // the other watchers go on.
        sub.closed = true;
        this.subs.delete(sub);
      }
    }
  }

  closeAll(): void {
    for (const sub of this.subs) sub.closed = true;
    this.subs.clear();
  }

  get size(): number {
    return this.subs.size;
  }
}

/** The smallest string greater than every string starting with `prefix`. */
export function prefixEnd(prefix: string): string {
  return prefix + '\uffff';
}
