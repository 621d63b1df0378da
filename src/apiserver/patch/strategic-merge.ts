// Strategic merge patch (`application/strategic-merge-patch+json`), the patch kubectl apply,
// edit, set image and rollout restart send. Semantics follow apimachinery's
// pkg/util/strategicpatch as the API server runs it (MergeParallelList and
// IgnoreUnmatchedNulls on): maps merge recursively and null deletes a key; lists whose field
// has patchStrategy merge are merged by patchMergeKey (or as sets for scalars); every other
// list is replaced. Directives: `$patch` (replace|delete in maps; delete|replace in list
// elements), `$retainKeys`, `$setElementOrder/<list>` and `$deleteFromPrimitiveList/<list>`.
//
// Errors are answered as kube-apiserver does: the mergepatch sentinel errors for malformed
// directives are 400; lists of lists are 422; the remaining library errors reach the client
// unconverted, i.e. as a 500 carrying the library's message.

import { ApiError, badRequest } from '../../lib/errors.ts';
import { fieldMeta } from './merge-keys.ts';
import type { JsonObject } from './json-value.ts';
import { clone, deepEqual, goFormat, goJsonType, isObject } from './json-value.ts';

const directiveKey = '$patch';
const retainKeysKey = '$retainKeys';
const setOrderPrefix = '$setElementOrder/';
const deleteFromListPrefix = '$deleteFromPrimitiveList/';

export function applyStrategicMergePatch(doc: any, patch: unknown, kind: string): any {
  if (!isObject(patch)) {
    if (patch === null) return clone(doc);
    throw badRequest(`json: cannot unmarshal ${goJsonType(patch)} into Go value of type map[string]interface {}`);
  }
  return new Merger(kind).mergeMap(isObject(doc) ? clone(doc) : {}, clone(patch), []);
}

/** A library error that kube-apiserver passes through unconverted (status 500). */
function unconverted(message: string): ApiError {
  return new ApiError('InternalError', message);
}

const noMergeKey = (m: unknown, key: string) =>
  unconverted(`map: ${goFormat(m)} does not contain declared merge key: ${key}`);

/** Equality of two list elements as SMP compares them: by merge key for maps, else by value. */
function sameElement(a: unknown, b: unknown, mergeKey: string | undefined): boolean {
  if (mergeKey && isObject(a) && isObject(b)) return a[mergeKey] === b[mergeKey];
  return deepEqual(a, b);
}

function indexIn(list: unknown[], item: unknown, mergeKey: string | undefined): number {
  return list.findIndex((x) => sameElement(x, item, mergeKey));
}

class Merger {
  private readonly kind: string;
  constructor(kind: string) {
    this.kind = kind;
  }

  /** Merges `patch` into `original`, both owned by the caller (they are mutated). */
  mergeMap(original: JsonObject, patch: JsonObject, path: string[]): JsonObject {
    if (directiveKey in patch) {
      const directive = patch[directiveKey];
      if (directive === 'replace') {
        delete patch[directiveKey];
        return this.mergeMap({}, patch, path);
      }
      if (directive === 'delete') return {};
      throw unconverted(`unknown patch type: ${goFormat(directive)} in map: ${goFormat(patch)}`);
    }
    this.applyRetainKeys(original, patch);
    this.applySetElementOrder(original, patch, path);
    for (const [key, value] of Object.entries(patch)) {
      if (key.startsWith(deleteFromListPrefix)) {
        this.deleteFromPrimitiveList(original, key.slice(deleteFromListPrefix.length), value);
        continue;
      }
      if (value === null) {
        delete original[key];
        continue;
      }
      const current = original[key];
      const childPath = [...path, key];
      if (isObject(current) && isObject(value)) original[key] = this.mergeMap(current, value, childPath);
      else if (Array.isArray(current) && Array.isArray(value)) original[key] = this.mergeListField(current, value, childPath);
      else original[key] = this.fresh(value, childPath);
    }
    return original;
  }

  /** A patch value with nothing to merge into: directives and nulls inside it are resolved. */
  private fresh(value: unknown, path: string[]): unknown {
    if (isObject(value)) return this.mergeMap({}, value, path);
    if (Array.isArray(value)) return this.mergeListField([], value, path);
    return value;
  }

  private mergeListField(original: unknown[], patch: unknown[], path: string[]): unknown[] {
    const meta = fieldMeta(this.kind, path);
    if (!meta?.strategy?.startsWith('merge')) return patch;
    return this.mergeList(original, patch, meta.mergeKey, path);
  }

  private mergeList(original: unknown[], patch: unknown[], mergeKey: string | undefined, path: string[]): unknown[] {
    if (original.length === 0 && patch.length === 0) return original;
    const all = [...original, ...patch];
    if (all.some(Array.isArray)) {
      throw new ApiError('Invalid', 'the server rejected our request due to an error in our request', {}, { cause: new Error('lists of lists are not supported') });
    }
    const maps = all.filter(isObject).length;
    if (maps !== 0 && maps !== all.length) throw unconverted(`list element types are not identical: ${goFormat([original, patch])}`);

    if (maps === 0) {
      const merged: unknown[] = [];
      for (const v of all) if (indexIn(merged, v, undefined) < 0) merged.push(v);
      return this.enforceOrder(merged, patch, original, undefined);
    }
    if (!mergeKey) throw unconverted('cannot merge lists without merge key for type struct');

    let base = original as JsonObject[];
    const plain: JsonObject[] = [];
    let replace = false;
    for (const el of patch as JsonObject[]) {
      if (!(directiveKey in el)) {
        plain.push(el);
        continue;
      }
      switch (el[directiveKey]) {
        case 'delete':
          if (!(mergeKey in el)) throw noMergeKey(el, mergeKey);
          base = base.filter((o) => o[mergeKey] !== el[mergeKey]);
          break;
        case 'replace':
          replace = true;
          break;
        case 'merge':
          throw unconverted('merging lists cannot yet be specified in the patch');
        default:
          throw unconverted(`unknown patch type: ${goFormat(el[directiveKey])} in map: ${goFormat(el)}`);
      }
    }
    if (replace) return plain.map((el) => this.mergeMap({}, el, path));

    const merged: JsonObject[] = [...base];
    for (const el of plain) {
      if (!(mergeKey in el)) throw noMergeKey(el, mergeKey);
      const i = merged.findIndex((o) => o[mergeKey] === el[mergeKey]);
      if (i >= 0) merged[i] = this.mergeMap(merged[i], el, path);
      else merged.push(this.mergeMap({}, el, path));
    }
    return this.enforceOrder(merged, plain, base, mergeKey);
  }

  /**
   * Orders a merged list: items named in `patchOrder` keep the patch's relative order, the
   * server-only items keep their live order, and the two are interleaved by live position
   * (apimachinery's normalizeElementOrder / mergeSortedSlice).
   */
  private enforceOrder(merged: unknown[], patchOrder: unknown[], serverOrder: unknown[], mergeKey: string | undefined): unknown[] {
    if (mergeKey) {
      for (const item of merged) if (!isObject(item) || !(mergeKey in item)) throw noMergeKey(item, mergeKey);
    }
    const inPatch = merged.filter((v) => indexIn(patchOrder, v, mergeKey) >= 0);
    const serverOnly = merged.filter((v) => indexIn(patchOrder, v, mergeKey) < 0);
    const right = sortBy(inPatch, patchOrder, mergeKey);
    const left = sortBy(serverOnly, serverOrder, mergeKey);
    const out: unknown[] = [];
    let i = 0;
    let j = 0;
    while (i < left.length || j < right.length) {
      if (j >= right.length) out.push(left[i++]);
      else if (i >= left.length) out.push(right[j++]);
      else {
        const li = indexIn(serverOrder, left[i], mergeKey);
        const ri = indexIn(serverOrder, right[j], mergeKey);
        if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
        else out.push(right[j++]);
      }
    }
    return out;
  }

  private applyRetainKeys(original: JsonObject, patch: JsonObject): void {
    if (!(retainKeysKey in patch)) return;
    const list = patch[retainKeysKey];
    delete patch[retainKeysKey];
    if (!Array.isArray(list)) throw badRequest('invalid patch format of retainKeys');
    const keep = new Set(list);
    for (const [k, v] of Object.entries(patch)) {
      if (v === null || k.startsWith(deleteFromListPrefix) || k.startsWith(setOrderPrefix)) continue;
      if (!keep.has(k)) throw badRequest('invalid patch format of retainKeys');
    }
    for (const k of Object.keys(original)) if (!keep.has(k)) delete original[k];
  }

  private applySetElementOrder(original: JsonObject, patch: JsonObject, path: string[]): void {
    for (const key of Object.keys(patch)) {
      if (!key.startsWith(setOrderPrefix)) continue;
      const order = patch[key];
      delete patch[key];
      if (!Array.isArray(order)) throw unconverted(`expected a []interface {}, but received a ${goJsonType(order)}`);
      const field = key.slice(setOrderPrefix.length);
      if (!field) throw badRequest('invalid patch format of setElementOrder list');
      const live = original[field];
      const patchList = patch[field];
      if (live !== undefined && !Array.isArray(live)) throw unconverted(`expected a []interface {}, but received a ${goJsonType(live)}`);
      if (patchList !== undefined && !Array.isArray(patchList)) throw unconverted(`expected a []interface {}, but received a ${goJsonType(patchList)}`);
      if (live === undefined && patchList === undefined) continue;

      const fieldPath = [...path, field];
      const mergeKey = fieldMeta(this.kind, fieldPath)?.mergeKey;
      checkOrderMatchesPatch(patchList ?? [], order, mergeKey);
      const merged = patchList === undefined ? live! : this.mergeListField(live ?? [], patchList, fieldPath);
      original[field] = this.enforceOrder(merged, order, live ?? [], mergeKey);
      delete patch[field];
    }
  }

  private deleteFromPrimitiveList(original: JsonObject, field: string, toDelete: unknown): void {
    if (!Array.isArray(toDelete)) throw badRequest('invalid patch format of primitive list');
    const current = original[field];
    if (Array.isArray(current)) original[field] = current.filter((v) => indexIn(toDelete, v, undefined) < 0);
  }
}

/** Stable sort of `items` by their position in `order`; items not in it go last. */
function sortBy(items: unknown[], order: unknown[], mergeKey: string | undefined): unknown[] {
  const pos = (v: unknown) => {
    const i = indexIn(order, v, mergeKey);
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  return items.map((v, i) => ({ v, i, p: pos(v) })).sort((a, b) => a.p - b.p || a.i - b.i).map((x) => x.v);
}

/** The patch list's items (deletions aside) must appear in the order list, in the same order. */
function checkOrderMatchesPatch(patchList: unknown[], order: unknown[], mergeKey: string | undefined): void {
  if (patchList.length === 0 || order.length === 0) return;
  const items = mergeKey ? patchList.filter((v) => !(isObject(v) && v[directiveKey] === 'delete')) : patchList;
  let p = 0;
  let o = 0;
  while (p < items.length && o < order.length) {
    if (isObject(items[p]) && directiveKey in (items[p] as JsonObject)) {
      p++;
      continue;
    }
    if (sameElement(items[p], order[o], mergeKey)) p++;
    o++;
  }
  if (p < items.length) {
    throw unconverted(`The order in patch list:\n${goFormat(patchList)}\n doesn't match ${setOrderPrefix.slice(0, -1)} list:\n${goFormat(order)}\n`);
  }
}
