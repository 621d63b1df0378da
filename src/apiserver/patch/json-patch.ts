// JSON patch, RFC 6902 (`application/json-patch+json`): `kubectl patch --type=json`.
// Error answers follow kube-apiserver's jsonPatcher: a body that does not decode as a list of
// operations is 400 BadRequest; an operation that cannot be applied (missing path, failed
// `test`, unknown op) is 422 Invalid with the generic message and no details, because the
// apiserver wraps the library error in NewGenericServerResponse without the server message.

import { ApiError, badRequest } from '../../lib/errors.ts';
import { clone, deepEqual, goJsonType, isObject } from './json-value.ts';

const maxOperations = 10000;

class OpError extends Error {}

export function applyJsonPatch(doc: any, patch: unknown): any {
  if (!Array.isArray(patch)) {
    throw badRequest(`json: cannot unmarshal ${goJsonType(patch)} into Go value of type jsonpatch.Patch`);
  }
  const bad = patch.find((op) => !isObject(op) && op !== null);
  if (bad !== undefined) {
    throw badRequest(`json: cannot unmarshal ${goJsonType(bad)} into Go value of type jsonpatch.Operation`);
  }
  if (patch.length > maxOperations) {
    throw new ApiError('RequestEntityTooLarge', `The allowed maximum operations in a JSON patch is ${maxOperations}, got ${patch.length}`);
  }
  let out = clone(doc);
  try {
    for (const op of patch as (Record<string, unknown> | null)[]) out = applyOp(out, op ?? {});
  } catch (err) {
    if (!(err instanceof OpError)) throw err;
    throw new ApiError('Invalid', 'the server rejected our request due to an error in our request', {}, { cause: err });
  }
  return out;
}

function applyOp(doc: unknown, op: Record<string, unknown>): unknown {
  const kind = op.op;
  switch (kind) {
    case 'add': return add(doc, pointer(op, 'path'), valueOf(op));
    case 'remove': return remove(doc, pointer(op, 'path')).doc;
    case 'replace': {
      const path = pointer(op, 'path');
      if (path.length === 0) return valueOf(op);
      const { parent, key } = locate(doc, path);
      if (!has(parent, key)) throw new OpError(`replace operation does not apply: doc is missing key: ${op.path}`);
      set(parent, key, valueOf(op));
      return doc;
    }
    case 'move': {
      const from = pointer(op, 'from');
      const path = pointer(op, 'path');
      if (from.length < path.length && from.every((s, i) => s === path[i])) {
        throw new OpError('move operation: "from" is a prefix of "path"');
      }
      const taken = remove(doc, from);
      return add(taken.doc, path, taken.value);
    }
    case 'copy': return add(doc, pointer(op, 'path'), clone(get(doc, pointer(op, 'from'), `${op.from}`)));
    case 'test': {
      const path = pointer(op, 'path');
      const want = op.value ?? null;
      const found = tryGet(doc, path);
      // evanphx/json-patch treats a missing member as matching a `null` value.
      if (found.ok ? deepEqual(found.value, want) : want === null) return doc;
      throw new OpError(`testing value ${op.path} failed: test failed`);
    }
    default:
      throw new OpError(`Unexpected kind: ${kind === undefined ? 'unknown' : String(kind)}`);
  }
}

function valueOf(op: Record<string, unknown>): unknown {
  if (!('value' in op)) throw new OpError('missing value');
  return clone(op.value);
}

/** Parses an RFC 6901 pointer into its reference tokens. */
function pointer(op: Record<string, unknown>, field: 'path' | 'from'): string[] {
  const p = op[field];
  if (typeof p !== 'string') throw new OpError(`operation missing ${field} string`);
  if (p === '') return [];
  if (!p.startsWith('/')) throw new OpError(`invalid JSON pointer ${JSON.stringify(p)}`);
  return p.slice(1).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function locate(doc: unknown, path: string[]): { parent: unknown; key: string } {
  const parentPath = path.slice(0, -1);
  return { parent: get(doc, parentPath, '/' + parentPath.join('/')), key: path[path.length - 1] };
}

function arrayIndex(arr: unknown[], key: string, allowEnd: boolean): number {
  if (allowEnd && key === '-') return arr.length;
  if (!/^(0|[1-9][0-9]*)$/.test(key)) throw new OpError(`invalid array index ${key}`);
  const i = Number(key);
  if (i > arr.length || (!allowEnd && i === arr.length)) throw new OpError(`array index ${i} out of bounds`);
  return i;
}

function tryGet(doc: unknown, path: string[]): { ok: boolean; value?: unknown } {
  let cur = doc;
  for (const key of path) {
    if (Array.isArray(cur)) {
      if (!/^(0|[1-9][0-9]*)$/.test(key) || Number(key) >= cur.length) return { ok: false };
      cur = cur[Number(key)];
    } else if (isObject(cur) && Object.hasOwn(cur, key)) {
      cur = cur[key];
    } else {
      return { ok: false };
    }
  }
  return { ok: true, value: cur };
}

function get(doc: unknown, path: string[], shown: string): unknown {
  const found = tryGet(doc, path);
  if (!found.ok) throw new OpError(`doc is missing path: ${shown}`);
  return found.value;
}

function has(parent: unknown, key: string): boolean {
  if (Array.isArray(parent)) return /^(0|[1-9][0-9]*)$/.test(key) && Number(key) < parent.length;
  return isObject(parent) && Object.hasOwn(parent, key);
}

function set(parent: unknown, key: string, value: unknown): void {
  if (Array.isArray(parent)) parent[arrayIndex(parent, key, false)] = value;
  else if (isObject(parent)) parent[key] = value;
  else throw new OpError(`cannot set ${key} in a ${goJsonType(parent)}`);
}

function add(doc: unknown, path: string[], value: unknown): unknown {
  if (path.length === 0) return value;
  const { parent, key } = locate(doc, path);
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, key, true), 0, value);
  else if (isObject(parent)) parent[key] = value;
  else throw new OpError(`add operation does not apply: doc is missing path: /${path.join('/')}`);
  return doc;
}

function remove(doc: unknown, path: string[]): { doc: unknown; value: unknown } {
  if (path.length === 0) throw new OpError('cannot remove the whole document');
  const { parent, key } = locate(doc, path);
  if (!has(parent, key)) throw new OpError(`remove operation does not apply: doc is missing path: /${path.join('/')}`);
  if (Array.isArray(parent)) return { doc, value: parent.splice(Number(key), 1)[0] };
  const obj = parent as Record<string, unknown>;
  const value = obj[key];
  delete obj[key];
  return { doc, value };
}
