// The store's narrow backend interface, shaped after etcd v3 as kine exposes it: one global,
// strictly increasing revision; every write creates a revision; reads see the latest value of a
// key; watches replay from a revision and then follow live changes; compaction drops history
// below a floor and watching from under it fails with `compacted`.
//
// The API server maps resourceVersion onto `modRevision` and relies on these invariants:
//  - a write is acknowledged (its promise resolves) only once it is durable in the driver;
//  - update/delete with `expectedModRevision` are compare-and-swap: a stale revision fails;
//  - watchers see every event after their start revision exactly once and in revision order.
// Values are opaque strings (the API server stores JSON).

export interface KeyValue {
  key: string;
  value: string;
  createRevision: number;
  modRevision: number;
}

export type WatchEventType = 'put' | 'delete';

export interface WatchEvent {
  type: WatchEventType;
  /** The value after a put, or the last value before a delete. */
  kv: KeyValue;
  /** The value before a put that updated an existing key. */
  prevKv?: KeyValue;
  /** For deletes, kv.modRevision is the revision of the delete itself. */
  revision: number;
  /** A put that created the key (createRevision === revision). */
  created: boolean;
}

export interface ListOptions {
  /** Keys strictly greater than this (pagination). */
  after?: string;
  limit?: number;
}

export interface ListResult {
  items: KeyValue[];
  /** Revision of the store when the list was read. */
  revision: number;
  /** Whether keys remain after the last one returned (only when limit was given). */
  more: boolean;
  /** How many keys remain after the last one returned (only when limit was given). */
  remaining: number;
}

export interface Watcher {
  /** Stop receiving events. Idempotent. */
  close(): void;
}

export type StoreErrorCode = 'key-exists' | 'not-found' | 'conflict' | 'compacted' | 'closed';

export class StoreError extends Error {
  readonly code: StoreErrorCode;
  /** For 'conflict': the current value; for 'compacted': the compaction floor. */
  readonly current?: KeyValue;
  readonly compactRevision?: number;
  constructor(code: StoreErrorCode, message: string, extra: { current?: KeyValue; compactRevision?: number } = {}) {
    super(message);
    this.name = 'StoreError';
    this.code = code;
    this.current = extra.current;
    this.compactRevision = extra.compactRevision;
  }
}

export interface Backend {
  /** The latest revision (0 for an empty store). */
  currentRevision(): Promise<number>;
  /** The compaction floor: watches must start at or above it. */
  compactRevision(): Promise<number>;
  get(key: string): Promise<KeyValue | undefined>;
  /** Keys with the given prefix, in key order. */
  list(prefix: string, opts?: ListOptions): Promise<ListResult>;
  /** Fails with 'key-exists' if the key is present. Returns the new KeyValue. */
  create(key: string, value: string): Promise<KeyValue>;
  /** Compare-and-swap on modRevision when given ('conflict' carries the current value); 'not-found' if absent. */
  update(key: string, value: string, expectedModRevision?: number): Promise<KeyValue>;
  /** Removes the key; returns the deleted value with modRevision set to the delete's revision. */
  delete(key: string, expectedModRevision?: number): Promise<KeyValue>;
  /**
   * Events for keys under `prefix` with revision > `afterRevision`, first the recorded history,
   * then live events, each delivered synchronously in order. Throws 'compacted' when
   * `afterRevision` is below the compaction floor.
   */
  watch(prefix: string, afterRevision: number, onEvent: (ev: WatchEvent) => void): Promise<Watcher>;
  /** Drop history at or below `revision` (never the latest value of a live key). */
  compact(revision: number): Promise<void>;
  close(): Promise<void>;
}
