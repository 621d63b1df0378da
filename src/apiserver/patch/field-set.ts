// Field sets as server-side apply tracks ownership (sigs.k8s.io/structured-merge-diff): a path
// is a list of path elements written as in managedFields FieldsV1 — `f:<field>` for a map or
// struct field, `k:{"port":80,"protocol":"TCP"}` for a list-map element (key fields sorted by
// name, key defaults filled in), `v:<json>` for a set element, `i:<n>` for a position in an
// atomic-less list without keys. A set holds the paths a manager owns: leaves (scalars and
// atomic values) and list elements themselves.

import { ApiError } from '../../lib/errors.ts';
import type { FieldMeta } from './merge-keys.ts';
import { fieldMeta } from './merge-keys.ts';
import type { JsonObject } from './json-value.ts';
import { deepEqual, isObject } from './json-value.ts';

export type FieldPath = string[];

/** A set of field paths, keyed by their serialised form. */
export class FieldSet {
  private readonly paths = new Map<string, FieldPath>();
  static of(paths: Iterable<FieldPath>): FieldSet {
    const s = new FieldSet();
    for (const p of paths) s.add(p);
    return s;
  }
  add(p: FieldPath): void { this.paths.set(JSON.stringify(p), p); }
  has(p: FieldPath): boolean { return this.paths.has(JSON.stringify(p)); }
  delete(p: FieldPath): void { this.paths.delete(JSON.stringify(p)); }
  get size(): number { return this.paths.size; }
  [Symbol.iterator](): IterableIterator<FieldPath> { return this.paths.values(); }
  /** Whether the set holds `p` or anything below it. */
  hasWithin(p: FieldPath): boolean {
    for (const q of this.paths.values()) if (q.length >= p.length && p.every((e, i) => q[i] === e)) return true;
    return false;
  }
  /** Removes `p` and everything below it. */
  deleteWithin(p: FieldPath): void {
    for (const [k, q] of this.paths) if (q.length >= p.length && p.every((e, i) => q[i] === e)) this.paths.delete(k);
  }
}

/** The field path of schema lookups: field names only, list elements left out. */
function schemaPath(p: FieldPath): string[] {
  return p.filter((e) => e.startsWith('f:')).map((e) => e.slice(2));
}

function listMeta(kind: string, path: FieldPath): FieldMeta | undefined {
  return fieldMeta(kind, schemaPath(path));
}

/** The `k:` element of a list-map item, or undefined when a key field is missing. */
export function keyElement(item: unknown, meta: FieldMeta): string | undefined {
  if (!isObject(item)) return undefined;
  const parts: string[] = [];
  for (const name of [...(meta.keys ?? [])].sort()) {
    const v = item[name] ?? meta.keyDefaults?.[name];
    if (v === undefined) return undefined;
    parts.push(`${JSON.stringify(name)}:${JSON.stringify(v)}`);
  }
  return `k:{${parts.join(',')}}`;
}

/**
 * Every owned path of `value`: leaves, atomic values, empty maps, and list-map and set
 * elements. With `strict`, a list-map item missing a key field is an error (apply); without,
 * the list is treated as one atomic value (updates never fail on ownership bookkeeping).
 */
export function collectFields(value: unknown, kind: string, strict: boolean): FieldSet {
  const out = new FieldSet();
  walk(value, [], kind, strict, out);
  return out;
}

function walk(value: unknown, path: FieldPath, kind: string, strict: boolean, out: FieldSet): void {
  if (isObject(value)) {
    const keys = Object.keys(value).filter((k) => value[k] !== null);
    if (path.length > 0 && (keys.length === 0 || listMeta(kind, path)?.atomic)) {
      out.add(path);
      return;
    }
    for (const k of keys) walk(value[k], [...path, `f:${k}`], kind, strict, out);
    return;
  }
  if (Array.isArray(value)) {
    const meta = listMeta(kind, path);
    if (meta?.listType === 'set') {
      for (const v of value) out.add([...path, `v:${JSON.stringify(v)}`]);
      return;
    }
    if (meta?.listType === 'map') {
      const elements = value.map((v) => keyElement(v, meta));
      const missing = elements.indexOf(undefined);
      if (missing < 0) {
        value.forEach((item, i) => {
          const el = [...path, elements[i]!];
          out.add(el);
          walk(item, el, kind, strict, out);
        });
        return;
      }
      if (strict) {
        const item = value[missing];
        const omitted = (meta.keys ?? []).find((k) => !isObject(item) || (item[k] === undefined && meta.keyDefaults?.[k] === undefined));
        throw new ApiError('Invalid', `${formatPath(path)}: element ${missing}: associative list with keys has an element that omits key field ${JSON.stringify(omitted)} (and doesn't have default value)`);
      }
    }
  }
  if (path.length > 0) out.add(path);
}

/** The value at `path`, if the object has one. */
export function valueAt(obj: unknown, path: FieldPath, kind: string): { found: boolean; value?: unknown } {
  let cur: unknown = obj;
  for (let i = 0; i < path.length; i++) {
    const e = path[i];
    const found = childIndex(cur, e, path.slice(0, i), kind);
    if (found === undefined) return { found: false };
    cur = (cur as any)[found];
  }
  return { found: true, value: cur };
}

/** The property name or array index that element `e` names inside `container`. */
function childIndex(container: unknown, e: string, parentPath: FieldPath, kind: string): string | number | undefined {
  const body = e.slice(2);
  if (e.startsWith('f:')) return isObject(container) && container[body] !== undefined ? body : undefined;
  if (!Array.isArray(container)) return undefined;
  let i = -1;
  if (e.startsWith('k:')) {
    const meta = listMeta(kind, parentPath);
    if (meta) i = container.findIndex((item) => keyElement(item, meta) === e);
  } else if (e.startsWith('v:')) {
    const want = JSON.parse(body);
    i = container.findIndex((item) => deepEqual(item, want));
  } else if (e.startsWith('i:')) {
    i = Number(body) < container.length ? Number(body) : -1;
  }
  return i >= 0 ? i : undefined;
}

/** Deletes the field or list element at `path`; no-op when it is not there. */
export function removeAt(obj: unknown, path: FieldPath, kind: string): void {
  const parent = valueAt(obj, path.slice(0, -1), kind);
  if (!parent.found) return;
  const idx = childIndex(parent.value, path[path.length - 1], path.slice(0, -1), kind);
  if (idx === undefined) return;
  if (typeof idx === 'number') (parent.value as unknown[]).splice(idx, 1);
  else delete (parent.value as JsonObject)[idx];
}

/** A path as structured-merge-diff prints it: `.spec.ports[port=80,protocol="TCP"].targetPort`. */
export function formatPath(path: FieldPath): string {
  return path.map((e) => {
    const body = e.slice(2);
    if (e.startsWith('f:')) return `.${body}`;
    if (e.startsWith('v:')) return `[=${body}]`;
    if (e.startsWith('i:')) return `[${body}]`;
    const key = JSON.parse(body) as JsonObject;
    return `[${Object.keys(key).map((k) => `${k}=${JSON.stringify(key[k])}`).join(',')}]`;
  }).join('');
}

// ---- FieldsV1 encoding ----

interface Node { member: boolean; children: Map<string, Node> }

const rank: Record<string, number> = { f: 0, k: 1, v: 2, i: 3 };
const byElement = (a: string, b: string) => (rank[a[0]] - rank[b[0]]) || (a < b ? -1 : a > b ? 1 : 0);

/** The order structured-merge-diff iterates a set in (and so lists conflicts in). */
export function comparePaths(a: FieldPath, b: FieldPath): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const c = byElement(a[i], b[i]);
    if (c) return c;
  }
  return a.length - b.length;
}

export function toFieldsV1(set: FieldSet): JsonObject {
  const root: Node = { member: false, children: new Map() };
  for (const p of set) {
    let n = root;
    for (const e of p) {
      let c = n.children.get(e);
      if (!c) n.children.set(e, (c = { member: false, children: new Map() }));
      n = c;
    }
    n.member = true;
  }
  const encode = (n: Node): JsonObject => {
    const o: JsonObject = {};
    if (n.member && n.children.size > 0) o['.'] = {};
    for (const e of [...n.children.keys()].sort(byElement)) o[e] = encode(n.children.get(e)!);
    return o;
  };
  return encode(root);
}

export function fromFieldsV1(fields: unknown): FieldSet {
  const out = new FieldSet();
  const decode = (node: unknown, path: FieldPath) => {
    if (!isObject(node)) return;
    const keys = Object.keys(node);
    if (path.length > 0 && (keys.length === 0 || keys.includes('.'))) out.add(path);
    for (const k of keys) if (k !== '.') decode(node[k], [...path, k]);
  };
  decode(fields, []);
  return out;
}
