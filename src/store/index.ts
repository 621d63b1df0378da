// The store: revisioned key-value backends behind one narrow interface (see backend.ts).
// Drivers are chosen by URL scheme: `memory:` or `sqlite:<path>` (etcd fits the same interface).

import { MemoryBackend } from './memory.ts';
import { SqliteBackend } from './sqlite.ts';
import type { Backend } from './backend.ts';
import { KnetError } from '../lib/errors.ts';

export type { Backend, KeyValue, ListOptions, ListResult, WatchEvent, Watcher, StoreErrorCode } from './backend.ts';
export { StoreError } from './backend.ts';
export { MemoryBackend } from './memory.ts';
export { SqliteBackend } from './sqlite.ts';

export function openBackend(url: string): Backend {
  if (url === 'memory:' || url === 'memory') return new MemoryBackend();
  if (url.startsWith('sqlite:')) return new SqliteBackend(url.slice('sqlite:'.length));
  throw new KnetError('store-url', `unknown store "${url}": use memory: or sqlite:<path>`);
}
