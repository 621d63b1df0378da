// Shared informers: a local cache of one resource kept current by list + watch, as client-go's
// reflector and indexer do. The loop lists (in pages), then watches from the list's
// resourceVersion; a dropped stream is resumed from the last revision seen, a 410 (the
// revision was compacted away) forces a relist whose differences are delivered as
// ADDED/MODIFIED/DELETED so handlers never miss a deletion. Errors back off; the loop never
// throws. A periodic resync re-delivers every object (as MODIFIED with old === obj) so that
// controllers repair drift they could not see in events.

import type { Logger } from '../lib/log.ts';
import { ApiError } from '../lib/errors.ts';
import { isGone, toApiError } from './client.ts';
import type { KubeClient, WatchEvent } from './client.ts';
import { resourceKey } from './resources.ts';
import type { ResourceInfo } from './resources.ts';
import { Backoff } from '../lib/backoff.ts';

export interface InformerEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  obj: any;
  /** The cached object before a MODIFIED (the same object on a resync). */
  old?: any;
}

export type InformerHandler = (e: InformerEvent) => void;

/** `namespace/name`, or `name` for cluster-scoped objects: the key of caches and work queues. */
export function objectKey(obj: any): string {
  const m = obj.metadata ?? {};
  return m.namespace ? `${m.namespace}/${m.name}` : m.name;
}

export function splitKey(key: string): { namespace?: string; name: string } {
  const i = key.indexOf('/');
  return i < 0 ? { name: key } : { namespace: key.slice(0, i), name: key.slice(i + 1) };
}

export interface InformerOptions {
  log: Logger;
  resyncMs?: number;
  labelSelector?: string;
  fieldSelector?: string;
}

export class Informer {
  readonly resource: ResourceInfo;
  private client: KubeClient;
  private opts: InformerOptions;
  private items = new Map<string, any>();
  private handlers: InformerHandler[] = [];
  private indexes = new Map<string, { fn: (obj: any) => string[]; map: Map<string, Set<string>> }>();
  private synced = false;
  private syncWaiters: (() => void)[] = [];
  private lastRV = '';

  constructor(client: KubeClient, r: ResourceInfo, opts: InformerOptions) {
    this.client = client;
    this.resource = r;
    this.opts = opts;
    this.addIndex('namespace', (o) => (o.metadata?.namespace ? [o.metadata.namespace] : []));
  }

  /** Handlers run synchronously in event order; they must not throw (errors are logged). */
  onChange(h: InformerHandler): void {
    this.handlers.push(h);
    // A handler added after the first sync still sees every cached object once.
    for (const obj of this.items.values()) this.call(h, { type: 'ADDED', obj });
  }

  addIndex(name: string, fn: (obj: any) => string[]): void {
    if (this.indexes.has(name)) return;
    const map = new Map<string, Set<string>>();
    this.indexes.set(name, { fn, map });
    for (const [k, obj] of this.items) for (const v of fn(obj)) addTo(map, v, k);
  }

  get(namespace: string | undefined, name: string): any | undefined {
    return this.items.get(namespace && this.resource.namespaced ? `${namespace}/${name}` : name);
  }

  getByKey(key: string): any | undefined {
    return this.items.get(key);
  }

  list(namespace?: string): any[] {
    if (namespace === undefined) return [...this.items.values()];
    return this.byIndex('namespace', namespace);
  }

  byIndex(index: string, value: string): any[] {
    const idx = this.indexes.get(index);
    if (!idx) throw new Error(`informer ${resourceKey(this.resource)} has no index ${index}`);
    const keys = idx.map.get(value);
    return keys ? [...keys].map((k) => this.items.get(k)) : [];
  }

  hasSynced(): boolean {
    return this.synced;
  }

  waitForSync(): Promise<void> {
    if (this.synced) return Promise.resolve();
    return new Promise((resolve) => this.syncWaiters.push(resolve));
  }

  /** Runs until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    const backoff = new Backoff(200, 30_000);
    let resync = setInterval(() => this.resync(), this.opts.resyncMs ?? 5 * 60_000);
    resync.unref();
    signal.addEventListener('abort', () => clearInterval(resync), { once: true });
    let needList = true;
    while (!signal.aborted) {
      try {
        if (needList) {
          await this.relist();
          needList = false;
          backoff.reset();
        }
        if (signal.aborted) break;
        const err = await this.watchOnce(signal);
        if (signal.aborted) break;
        if (err) {
          if (isGone(err)) {
            needList = true;
            continue;
          }
          throw err;
        }
        backoff.reset();
      } catch (err) {
        if (signal.aborted) break;
        this.opts.log('informer: list/watch failed; retrying', { resource: resourceKey(this.resource), error: String((err as Error)?.message ?? err) });
        needList = needList || !(err instanceof ApiError) || isGone(err);
        await backoff.wait(signal);
      }
    }
  }

  private async relist(): Promise<void> {
    const fresh = new Map<string, any>();
    let cont: string | undefined;
    let rv = '';
    do {
      const page = await this.client.list(this.resource, undefined, { limit: 500, continue: cont, labelSelector: this.opts.labelSelector, fieldSelector: this.opts.fieldSelector });
      for (const obj of page.items) {
        obj.apiVersion ??= this.resource.group ? `${this.resource.group}/${this.resource.version}` : this.resource.version;
        obj.kind ??= this.resource.kind;
        fresh.set(objectKey(obj), obj);
      }
      cont = page.metadata.continue || undefined;
      rv = page.metadata.resourceVersion;
    } while (cont);
    for (const [k, old] of this.items) if (!fresh.has(k)) this.apply('DELETED', old);
    for (const obj of fresh.values()) this.apply('ADDED', obj);
    this.lastRV = rv;
    if (!this.synced) {
      this.synced = true;
      for (const w of this.syncWaiters.splice(0)) w();
    }
  }

  private watchOnce(signal: AbortSignal): Promise<Error | undefined> {
    let failure: Error | undefined;
    const handle = this.client.watch(this.resource, undefined, {
      resourceVersion: this.lastRV, labelSelector: this.opts.labelSelector, fieldSelector: this.opts.fieldSelector,
      timeoutSeconds: 300 + Math.floor(Math.random() * 300),
    }, (e: WatchEvent) => {
      if (e.type === 'ERROR') {
        failure = toApiError(e.object?.code ?? 500, JSON.stringify(e.object ?? {}));
        handle.stop();
        return;
      }
      const rv = e.object?.metadata?.resourceVersion;
      if (rv) this.lastRV = rv;
      if (e.type === 'BOOKMARK') return;
      this.apply(e.type, e.object);
    });
    const onAbort = () => handle.stop();
    if (signal.aborted) handle.stop();
    signal.addEventListener('abort', onAbort, { once: true });
    return handle.done.then((err) => {
      signal.removeEventListener('abort', onAbort);
      return failure ?? err;
    });
  }

  private apply(type: 'ADDED' | 'MODIFIED' | 'DELETED', obj: any): void {
    const key = objectKey(obj);
    const old = this.items.get(key);
    if (type === 'DELETED') {
      if (!old) return;
      this.items.delete(key);
      this.unindex(key, old);
      this.emit({ type, obj: old });
      return;
    }
    if (old && old.metadata?.resourceVersion === obj.metadata?.resourceVersion) return;
    if (old) this.unindex(key, old);
    this.items.set(key, obj);
    for (const idx of this.indexes.values()) for (const v of idx.fn(obj)) addTo(idx.map, v, key);
    this.emit(old ? { type: 'MODIFIED', obj, old } : { type: 'ADDED', obj });
  }

  private unindex(key: string, obj: any): void {
    for (const idx of this.indexes.values()) {
      for (const v of idx.fn(obj)) {
        const s = idx.map.get(v);
        if (s) {
          s.delete(key);
          if (!s.size) idx.map.delete(v);
        }
      }
    }
  }

  private resync(): void {
    if (!this.synced) return;
    for (const obj of this.items.values()) this.emit({ type: 'MODIFIED', obj, old: obj });
  }

  private emit(e: InformerEvent): void {
    for (const h of this.handlers) this.call(h, e);
  }

  private call(h: InformerHandler, e: InformerEvent): void {
    try {
      h(e);
    } catch (err) {
      this.opts.log('informer: handler failed', { resource: resourceKey(this.resource), error: String(err) });
    }
  }
}

function addTo(map: Map<string, Set<string>>, v: string, key: string): void {
  let s = map.get(v);
  if (!s) map.set(v, (s = new Set()));
  s.add(key);
}

/** One informer per resource, shared by every controller of a process. */
export class InformerFactory {
  private client: KubeClient;
  private log: Logger;
  private informers = new Map<string, Informer>();
  private signal?: AbortSignal;
  private running: Promise<void>[] = [];

  constructor(client: KubeClient, log: Logger) {
    this.client = client;
    this.log = log;
  }

  informer(r: ResourceInfo): Informer {
    const key = resourceKey(r);
    let inf = this.informers.get(key);
    if (!inf) {
      inf = new Informer(this.client, r, { log: this.log });
      this.informers.set(key, inf);
      if (this.signal) this.running.push(inf.run(this.signal));
    }
    return inf;
  }

  /** Starts every informer asked for so far, and any asked for later. */
  start(signal: AbortSignal): void {
    this.signal = signal;
    for (const inf of this.informers.values()) this.running.push(inf.run(signal));
  }

  async waitForSync(): Promise<void> {
    await Promise.all([...this.informers.values()].map((i) => i.waitForSync()));
  }

  allSynced(): boolean {
    return [...this.informers.values()].every((i) => i.hasSynced());
  }

  /** Resolves once every informer loop has returned (after the start signal aborted). */
  async stopped(): Promise<void> {
    await Promise.all(this.running);
  }
}
