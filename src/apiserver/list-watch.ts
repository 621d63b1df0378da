// LIST and WATCH of a collection: label and field selectors, limit/continue pagination, and
// the watch stream (ADDED/MODIFIED/DELETED/BOOKMARK/ERROR) from a resourceVersion, as
// described in https://kubernetes.io/docs/reference/using-api/api-concepts/.

import { ApiError } from '../lib/errors.ts';
import { StoreError } from '../store/index.ts';
import type { Watcher, WatchEvent } from '../store/index.ts';
import { matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector } from '../k8s/selectors.ts';
import type { FieldRequirement, LabelSelector } from '../k8s/selectors.ts';
import type { ResourceInfo } from '../k8s/resources.ts';
import type { Registry } from './registry.ts';
import { checkFieldSelector, selectableFields } from './strategies.ts';

export interface ListQuery {
  labelSelector: LabelSelector;
  fieldSelector: FieldRequirement[];
  limit?: number;
  continueToken?: string;
}

export function parseListQuery(r: ResourceInfo, q: URLSearchParams): ListQuery {
  const fieldSelector = parseFieldSelector(q.get('fieldSelector') ?? '');
  checkFieldSelector(r, fieldSelector.map((f) => f.field));
  const limit = q.get('limit');
  return {
    labelSelector: parseLabelSelector(q.get('labelSelector') ?? ''),
    fieldSelector,
    limit: limit ? Math.max(0, Number(limit)) || undefined : undefined,
    continueToken: q.get('continue') || undefined,
  };
}

export function matcher(r: ResourceInfo, q: Pick<ListQuery, 'labelSelector' | 'fieldSelector'>): (obj: any) => boolean {
  const fields = q.fieldSelector.map((f) => f.field);
  return (obj) => matchesLabels(q.labelSelector, obj.metadata?.labels) &&
    (fields.length === 0 || matchesFields(q.fieldSelector, selectableFields(r, obj, fields)));
}

interface ContinueToken { rv: number; start: string }

function encodeContinue(t: ContinueToken): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: t.rv, start: t.start })).toString('base64url');
}

function decodeContinue(s: string): ContinueToken {
  try {
    const t = JSON.parse(Buffer.from(s, 'base64url').toString());
    if (typeof t.rv === 'number' && typeof t.start === 'string') return { rv: t.rv, start: t.start };
  } catch { /* fall through */ }
  throw new ApiError('BadRequest', 'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
}

export interface ListResult {
  items: any[];
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

export async function listObjects(reg: Registry, r: ResourceInfo, ns: string | undefined, q: ListQuery): Promise<ListResult> {
  const prefix = reg.key(r, ns);
  const match = matcher(r, q);
  let after: string | undefined;
  let snapshotRV: number | undefined;
  if (q.continueToken) {
    const t = decodeContinue(q.continueToken);
    if (t.rv < (await reg.backend.compactRevision())) {
      throw new ApiError('Expired', 'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.');
    }
    after = prefix + t.start;
    snapshotRV = t.rv;
  }
  const items: any[] = [];
  const limit = q.limit;
  // Read pages from the store until `limit` matching objects are found (selectors filter).
  for (;;) {
    const page = await reg.backend.list(prefix, { after, limit: limit ? Math.max(limit * 2, 100) : undefined });
    snapshotRV ??= page.revision;
    for (let i = 0; i < page.items.length; i++) {
      const kv = page.items[i];
      const obj = reg.decode(r, kv);
      if (!match(obj)) continue;
      items.push(obj);
      if (limit && items.length === limit) {
        const moreHere = i < page.items.length - 1 || page.more;
        if (!moreHere) return { items, resourceVersion: String(snapshotRV) };
        const start = kv.key.slice(prefix.length);
        const remaining = q.labelSelector.length || q.fieldSelector.length ? undefined : page.items.length - 1 - i + page.remaining;
        return { items, resourceVersion: String(snapshotRV), continue: encodeContinue({ rv: snapshotRV, start }), remainingItemCount: remaining };
      }
    }
    if (!page.more || page.items.length === 0) break;
    after = page.items[page.items.length - 1].key;
  }
  return { items, resourceVersion: String(snapshotRV) };
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface WatchSink {
  send(type: WatchEventType, obj: any): void;
}

/**
 * Streams changes after `rv` (or the current state as ADDED events first when rv is "" or
 * "0"). Selector semantics as upstream's cacher: an object that stops matching is reported as
 * DELETED, one that starts matching as ADDED.
 */
export async function startWatch(reg: Registry, r: ResourceInfo, ns: string | undefined, q: ListQuery, rv: string, sink: WatchSink): Promise<Watcher> {
  const prefix = reg.key(r, ns);
  const match = matcher(r, q);
  let from: number;
  if (!rv || rv === '0') {
    const list = await listObjects(reg, r, ns, { ...q, limit: undefined, continueToken: undefined });
    for (const obj of list.items) sink.send('ADDED', obj);
    from = Number(list.resourceVersion);
  } else {
    from = Number(rv);
    if (!Number.isInteger(from) || from < 0) throw new ApiError('BadRequest', `invalid resource version: "${rv}"`);
  }
  const onEvent = (ev: WatchEvent) => {
    const cur = decodeOnce(reg, r, ev);
    if (ev.type === 'delete') {
      if (match(cur)) sink.send('DELETED', cur);
      return;
    }
    const now = match(cur);
    const before = ev.prevKv ? match(decodeOnce(reg, r, ev, true)) : false;
    if (now && before) sink.send('MODIFIED', cur);
    else if (now) sink.send('ADDED', cur);
    else if (before) sink.send('DELETED', cur);
  };
  try {
    return await reg.backend.watch(prefix, from, onEvent);
  } catch (err) {
    if (err instanceof StoreError && err.code === 'compacted') {
      throw new ApiError('Expired', `too old resource version: ${from} (${err.compactRevision})`);
    }
    throw err;
  }
}

/**
 * The store hands the same event object to every watcher of a prefix; decoding it once per
 * resource (not once per watcher) keeps fan-out cost to one JSON parse per event. Watch
 * sinks only read the objects they are given.
 */
const decoded = new WeakMap<WatchEvent, Map<string, any>>();
function decodeOnce(reg: Registry, r: ResourceInfo, ev: WatchEvent, prev = false): any {
  let m = decoded.get(ev);
  if (!m) decoded.set(ev, (m = new Map()));
  const key = `${r.group}/${prev ? 'prev' : 'cur'}`;
  let obj = m.get(key);
  if (obj === undefined) m.set(key, (obj = reg.decode(r, prev ? ev.prevKv! : ev.kv)));
  return obj;
}
