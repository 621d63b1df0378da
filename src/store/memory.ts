// In-memory driver: the reference implementation of the Backend contract, used by unit tests
// and by `knet up --store memory`. History is a revision-ordered array trimmed by compact().

import { StoreError } from './backend.ts';
import type { Backend, KeyValue, ListOptions, ListResult, WatchEvent, Watcher } from './backend.ts';
import { WatchHub } from './watch-hub.ts';

export class MemoryBackend implements Backend {
  private data = new Map<string, KeyValue>();
  private history: WatchEvent[] = [];
  private rev = 0;
  private floor = 0;
  private hub = new WatchHub();
  private closed = false;

  async currentRevision(): Promise<number> {
    return this.rev;
  }

  async compactRevision(): Promise<number> {
    return this.floor;
  }

  async get(key: string): Promise<KeyValue | undefined> {
    this.check();
    return this.data.get(key);
  }

  async list(prefix: string, opts: ListOptions = {}): Promise<ListResult> {
    this.check();
    const keys = [...this.data.keys()].filter((k) => k.startsWith(prefix) && (opts.after === undefined || k > opts.after)).sort();
    const limit = opts.limit && opts.limit > 0 ? opts.limit : keys.length;
    const page = keys.slice(0, limit);
    const remaining = keys.length - page.length;
    return { items: page.map((k) => this.data.get(k)!), revision: this.rev, more: remaining > 0, remaining };
  }

  async create(key: string, value: string): Promise<KeyValue> {
    this.check();
    if (this.data.has(key)) throw new StoreError('key-exists', `key ${key} exists`);
    const rev = ++this.rev;
    const kv: KeyValue = { key, value, createRevision: rev, modRevision: rev };
    this.data.set(key, kv);
    this.emit({ type: 'put', kv, revision: rev, created: true });
    return kv;
  }

  async update(key: string, value: string, expectedModRevision?: number): Promise<KeyValue> {
    this.check();
    const prev = this.current(key, expectedModRevision);
    const rev = ++this.rev;
    const kv: KeyValue = { key, value, createRevision: prev.createRevision, modRevision: rev };
    this.data.set(key, kv);
    this.emit({ type: 'put', kv, prevKv: prev, revision: rev, created: false });
    return kv;
  }

  async delete(key: string, expectedModRevision?: number): Promise<KeyValue> {
    this.check();
    const prev = this.current(key, expectedModRevision);
    const rev = ++this.rev;
    this.data.delete(key);
    const kv: KeyValue = { ...prev, modRevision: rev };
    this.emit({ type: 'delete', kv, prevKv: prev, revision: rev, created: false });
    return kv;
  }

  async watch(prefix: string, afterRevision: number, onEvent: (ev: WatchEvent) => void): Promise<Watcher> {
    this.check();
    if (afterRevision < this.floor) {
      throw new StoreError('compacted', `revision ${afterRevision} has been compacted (floor ${this.floor})`, { compactRevision: this.floor });
    }
    const replay = this.history.filter((ev) => ev.revision > afterRevision && ev.kv.key.startsWith(prefix));
    return this.hub.subscribe(prefix, replay, onEvent);
  }

  async compact(revision: number): Promise<void> {
    this.check();
    const target = Math.min(revision, this.rev);
    if (target <= this.floor) return;
    this.history = this.history.filter((ev) => ev.revision > target);
    this.floor = target;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.hub.closeAll();
  }

  private current(key: string, expectedModRevision?: number): KeyValue {
    const prev = this.data.get(key);
    if (!prev) throw new StoreError('not-found', `key ${key} not found`);
    if (expectedModRevision !== undefined && prev.modRevision !== expectedModRevision) {
      throw new StoreError('conflict', `key ${key} is at revision ${prev.modRevision}, not ${expectedModRevision}`, { current: prev });
    }
    return prev;
  }

  private emit(ev: WatchEvent): void {
    this.history.push(ev);
    this.hub.publish(ev);
  }

  private check(): void {
    if (this.closed) throw new StoreError('closed', 'store is closed');
  }
}
