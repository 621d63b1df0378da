// Every named type knet knows, by full name and by kind. Checked once at load: each
// reference resolves and each served kind (src/k8s/resources.ts) has a schema, so a typo in
// a definition fails every test instead of silently turning a subtree free-form.

import { RESOURCES } from '../resources.ts';
import { appsTypes } from './apps-types.ts';
import { containerTypes } from './container-types.ts';
import { coordinationEventsTypes } from './coordination-events-types.ts';
import { coreTypes } from './core-types.ts';
import type { ParsedType, TypeDef } from './dsl.ts';
import { listKind, parseType } from './dsl.ts';
import { metaTypes } from './meta-types.ts';
import { networkingTypes } from './networking-types.ts';
import { podTypes } from './pod-types.ts';

const defined = [
  ...metaTypes, ...containerTypes, ...podTypes, ...coreTypes, ...appsTypes, ...networkingTypes,
  ...coordinationEventsTypes,
];
const withLists = [...defined, ...defined.filter((d) => d.gvk && d.gvk.kind !== 'Scale').map(listKind)];

export const TYPES: ReadonlyMap<string, TypeDef> = new Map(withLists.map((d) => [d.name, d]));
if (TYPES.size !== withLists.length) throw new Error('schema: a type is defined twice');

const parsed = new Map<string, Map<string, ParsedType>>();
for (const def of withLists) {
  const fields = new Map<string, ParsedType>();
  for (const [name, field] of Object.entries(def.fields)) fields.set(name, parseType(field.type));
  parsed.set(def.name, fields);
}

/** The parsed field types of a named type. */
export function fieldsOf(typeName: string): ReadonlyMap<string, ParsedType> {
  const fields = parsed.get(typeName);
  if (!fields) throw new Error(`schema: unknown type ${typeName}`);
  return fields;
}

const byGvk = new Map<string, TypeDef>();
for (const def of withLists) {
  if (!def.gvk) continue;
  const { group, version, kind } = def.gvk;
  byGvk.set(`${group ? `${group}/${version}` : version}:${kind}`, def);
}

/** The schema of a kind by apiVersion ('v1', 'apps/v1') and kind. */
export function typeOfKind(apiVersion: string, kind: string): TypeDef | undefined {
  return byGvk.get(`${apiVersion}:${kind}`);
}

/** Named types a parsed type refers to directly. */
export function refsOf(p: ParsedType): string[] {
  switch (p.k) {
    case 'ref': return [p.name];
    case 'array': return refsOf(p.items);
    case 'map': return refsOf(p.values);
    default: return [];
  }
}

for (const [typeName, fields] of parsed) {
  for (const [field, p] of fields) {
    for (const ref of refsOf(p)) {
      if (!TYPES.has(ref)) throw new Error(`schema: ${typeName}.${field} refers to undefined type ${ref}`);
    }
  }
}
for (const r of RESOURCES) {
  const apiVersion = r.group ? `${r.group}/${r.version}` : r.version;
  if (!typeOfKind(apiVersion, r.kind)) throw new Error(`schema: served kind ${apiVersion} ${r.kind} has no schema`);
}
