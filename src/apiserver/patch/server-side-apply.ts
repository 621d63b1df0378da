// Server-side apply (`application/apply-patch+yaml`) and the managedFields bookkeeping of
// ordinary writes. A reasonable subset of structured-merge-diff: the applied configuration is
// merged into the live object by the schema in merge-keys.ts (maps recursively, list-maps by
// key, sets as unions, everything else replaced); ownership is tracked per leaf and per list
// element; an apply that changes a leaf another manager owns conflicts unless forced (forcing
// takes the field from that manager); fields the applier owned before and no longer applies
// are removed when no other manager owns them.

import { ApiError, badRequest } from '../../lib/errors.ts';
import type { FieldPath } from './field-set.ts';
import { collectFields, comparePaths, FieldSet, formatPath, fromFieldsV1, keyElement, removeAt, toFieldsV1, valueAt } from './field-set.ts';
import { fieldMeta } from './merge-keys.ts';
import type { JsonObject } from './json-value.ts';
import { clone, deepEqual, isObject } from './json-value.ts';

export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion?: string;
  time?: string;
  fieldsType?: 'FieldsV1';
  fieldsV1?: JsonObject;
  subresource?: string;
}

interface Owner { entry: ManagedFieldsEntry; set: FieldSet }

// Fields the API server sets itself: never owned by anyone (the fieldmanager's stripMeta).
const unowned = new Set([
  'f:apiVersion', 'f:kind',
  ...['name', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'selfLink',
    'managedFields', 'deletionTimestamp', 'deletionGracePeriodSeconds'].map((f) => `f:metadata/f:${f}`),
]);

/**
 * Keeps the paths a write to `subresource` can own: the status subresource owns status only,
 * and writes to the main resource never own status (it is reset by the registry).
 */
function ownable(set: FieldSet, subresource: string | undefined): FieldSet {
  const out = new FieldSet();
  for (const p of set) {
    if (unowned.has(p.slice(0, 2).join('/')) || unowned.has(p[0])) continue;
    if ((p[0] === 'f:status') !== (subresource === 'status')) continue;
    out.add(p);
  }
  return out;
}

function readOwners(obj: unknown): Owner[] {
  const list = isObject(obj) && isObject(obj.metadata) ? obj.metadata.managedFields : undefined;
  if (!Array.isArray(list)) return [];
  return list.filter(isObject).map((e) => ({ entry: { ...(e as unknown as ManagedFieldsEntry) }, set: fromFieldsV1(e.fieldsV1) }));
}

/** kube-apiserver's order: by operation, then time (seconds), manager, apiVersion, subresource. */
function writeOwners(obj: JsonObject, owners: Owner[]): void {
  const seconds = (t?: string) => (t ? Math.floor(Date.parse(t) / 1000) : 0);
  const cmp = (a?: string, b?: string) => ((a ?? '') < (b ?? '') ? -1 : (a ?? '') > (b ?? '') ? 1 : 0);
  const entries = owners.filter((o) => o.set.size > 0).map((o) => {
    const e: ManagedFieldsEntry = { ...o.entry, fieldsType: 'FieldsV1', fieldsV1: toFieldsV1(o.set) };
    return e;
  }).sort((p, q) => cmp(p.operation, q.operation) || seconds(p.time) - seconds(q.time) ||
    cmp(p.manager, q.manager) || cmp(p.apiVersion, q.apiVersion) || cmp(p.subresource, q.subresource));
  const meta = isObject(obj.metadata) ? obj.metadata : (obj.metadata = {});
  if (entries.length) meta.managedFields = entries.map(ordered);
  else delete meta.managedFields;
}

/** Entry fields in the order kube-apiserver serialises them. */
function ordered(e: ManagedFieldsEntry): ManagedFieldsEntry {
  const out: ManagedFieldsEntry = { manager: e.manager, operation: e.operation };
  if (e.apiVersion !== undefined) out.apiVersion = e.apiVersion;
  if (e.time !== undefined) out.time = e.time;
  out.fieldsType = 'FieldsV1';
  out.fieldsV1 = e.fieldsV1;
  if (e.subresource) out.subresource = e.subresource;
  return out;
}

const isElement = (p: FieldPath) => /^[kv]:/.test(p[p.length - 1]);

/** A key field of a list-map item (`k:{"port":80}` / `f:port`): it goes only with its item. */
function isKeyField(p: FieldPath): boolean {
  const parent = p[p.length - 2];
  return p.length > 1 && parent.startsWith('k:') && p[p.length - 1].slice(2) in JSON.parse(parent.slice(2));
}

/** How a manager is named in conflict messages (`"kubectl"`, `"x" using v1`). */
function describeManager(e: ManagedFieldsEntry): string {
  let s = JSON.stringify(e.manager);
  if (e.subresource) s += ` with subresource ${JSON.stringify(e.subresource)}`;
  if (e.operation === 'Update') s += ` using ${e.apiVersion}`;
  return s;
}

function conflictError(conflicts: { owner: Owner; path: FieldPath }[]): ApiError {
  const causes = conflicts.map((c) => ({
    reason: 'FieldManagerConflict',
    message: `conflict with ${describeManager(c.owner.entry)}`,
    field: formatPath(c.path),
  }));
  let message: string;
  if (conflicts.length === 1) {
    message = `Apply failed with 1 conflict: ${causes[0].message}: ${causes[0].field}`;
  } else {
    const byManager = new Map<string, string[]>();
    for (const c of conflicts) {
      const m = describeManager(c.owner.entry);
      byManager.set(m, [...(byManager.get(m) ?? []), formatPath(c.path)]);
    }
    const sortKey = (m: string) => conflicts.find((c) => describeManager(c.owner.entry) === m)!.owner.entry.manager;
    const lines = [...byManager.keys()].sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : 1))
      .flatMap((m) => [`conflicts with ${m}:`, ...byManager.get(m)!.map((p) => `- ${p}`)]);
    message = `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
  }
  return new ApiError('Conflict', message, { causes });
}

/** Merges an applied configuration into the live value by the kind's schema. */
function mergeApplied(live: unknown, config: unknown, kind: string, path: string[]): unknown {
  if (isObject(config)) {
    if (!isObject(live) || fieldMeta(kind, path)?.atomic) return stripNulls(config);
    const out: JsonObject = { ...live };
    for (const [k, v] of Object.entries(config)) {
      if (v === null) delete out[k];
      else out[k] = mergeApplied(live[k], v, kind, [...path, k]);
    }
    return out;
  }
  if (Array.isArray(config) && Array.isArray(live)) {
    const meta = fieldMeta(kind, path);
    if (meta?.listType === 'set') return [...live, ...config.filter((v) => !live.some((l) => deepEqual(l, v)))];
    if (meta?.listType === 'map') {
      const out = [...live];
      for (const item of config) {
        const key = keyElement(item, meta);
        const i = key === undefined ? -1 : out.findIndex((l) => keyElement(l, meta) === key);
        if (i >= 0) out[i] = mergeApplied(out[i], item, kind, path);
        else out.push(stripNulls(item));
      }
      return out;
    }
  }
  return stripNulls(config);
}

function stripNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stripNulls);
  if (!isObject(v)) return v;
  const out: JsonObject = {};
  for (const [k, x] of Object.entries(v)) if (x !== null) out[k] = stripNulls(x);
  return out;
}

export function serverSideApply(
  live: any | undefined,
  applied: any,
  opts: { manager: string; force: boolean; kind: string; apiVersion: string; now: string },
): any {
  if (!isObject(applied)) throw badRequest('error decoding YAML: the applied configuration must be an object');
  if (isObject(applied.metadata) && applied.metadata.managedFields !== undefined) {
    throw badRequest('metadata.managedFields must be nil');
  }
  const { kind, manager } = opts;
  const config = clone(applied);
  const appliedSet = ownable(collectFields(config, kind, true), undefined);
  const owners = live ? readOwners(live) : [];
  const self = owners.find((o) => o.entry.manager === manager && o.entry.operation === 'Apply' && !o.entry.subresource);
  const others = owners.filter((o) => o !== self);

  const conflicts: { owner: Owner; path: FieldPath }[] = [];
  for (const path of appliedSet) {
    if (isElement(path) && path[path.length - 1].startsWith('k:')) continue;
    const now = valueAt(live, path, kind);
    if (now.found && deepEqual(now.value, valueAt(config, path, kind).value)) continue;
    for (const owner of others) if (owner.set.has(path)) conflicts.push({ owner, path });
  }
  conflicts.sort((a, b) => (a.owner.entry.manager < b.owner.entry.manager ? -1 : a.owner.entry.manager > b.owner.entry.manager ? 1 : 0) || comparePaths(a.path, b.path));
  if (conflicts.length && !opts.force) throw conflictError(conflicts);
  for (const c of conflicts) c.owner.set.delete(c.path);

  const result = mergeApplied(clone(live) ?? {}, config, kind, []) as JsonObject;
  if (self) {
    // Shortest paths first: an element goes as a whole before its fields are looked at.
    const dropped = [...self.set].filter((p) => !appliedSet.has(p) && !isKeyField(p) && !others.some((o) => o.set.hasWithin(p)))
      .sort((a, b) => a.length - b.length);
    for (const p of dropped) removeAt(result, p, kind);
  }
  const entry: ManagedFieldsEntry = { manager, operation: 'Apply', apiVersion: opts.apiVersion, time: opts.now };
  writeOwners(result, [...others, { entry, set: appliedSet }]);
  return result;
}

export function updateManagedFields(
  oldObj: any | undefined,
  newObj: any,
  opts: { manager: string; operation: 'Update'; apiVersion: string; now: string; subresource?: string },
): void {
  if (!isObject(newObj)) return;
  const kind = typeof newObj.kind === 'string' ? newObj.kind : '';
  const sub = opts.subresource || undefined;
  const newSet = ownable(collectFields(newObj, kind, false), sub);
  const oldSet = oldObj ? ownable(collectFields(oldObj, kind, false), sub) : new FieldSet();
  const changed = [...newSet].filter((p) => {
    const before = valueAt(oldObj, p, kind);
    return !before.found || (!isElement(p) && !deepEqual(before.value, valueAt(newObj, p, kind).value));
  });
  const removed = [...oldSet].filter((p) => !newSet.has(p));

  const owners = readOwners(oldObj ?? newObj);
  let self = owners.find((o) => o.entry.manager === opts.manager && o.entry.operation === 'Update' && (o.entry.subresource || undefined) === sub);
  for (const o of owners) {
    if (o === self) continue;
    for (const p of changed) o.set.delete(p);
    for (const p of removed) o.set.deleteWithin(p);
  }
  if (self) for (const p of removed) self.set.deleteWithin(p);
  if (changed.length) {
    if (!self) owners.push((self = { entry: { manager: opts.manager, operation: 'Update' }, set: new FieldSet() }));
    for (const p of changed) self.set.add(p);
    self.entry = { ...self.entry, apiVersion: opts.apiVersion, time: opts.now, subresource: sub };
  }
  writeOwners(newObj, owners);
}
