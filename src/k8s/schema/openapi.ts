// OpenAPI v3 documents derived from the type schema: /openapi/v3 lists one document per
// served group-version, and each document holds the component schemas of its kinds (with
// x-kubernetes-group-version-kind, which `kubectl explain` looks up) and a path item per
// resource. kubectl's query_param_verifier_v3 accepts `--validate=strict` only when the first
// PATCH operation carrying the object's GVK lists a `fieldValidation` query parameter, so
// every patch operation here has one (see research/apiserver.md §1.5).

import { createHash } from 'node:crypto';
import type { ResourceInfo } from '../resources.ts';
import { RESOURCES } from '../resources.ts';
import type { FieldDef, GroupVersionKind, ParsedType, TypeDef } from './dsl.ts';
import { parseType } from './dsl.ts';
import { refsOf, TYPES, typeOfKind } from './registry.ts';
import { gvkExtension, resourcePaths } from './openapi-paths.ts';

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1.';
/** Named schemas of the scalars that are strings on the wire but have their own names upstream. */
const NAMED_SCALARS: Record<string, { name: string; schema: object }> = {
  intOrString: {
    name: 'io.k8s.apimachinery.pkg.util.intstr.IntOrString',
    // No `type`: a oneOf, as kube-openapi writes it for v3, so that kubectl explain names it.
    schema: {
      description: 'An integer or a string (a port number or name, a count or a percentage).',
      format: 'int-or-string', oneOf: [{ type: 'integer' }, { type: 'string' }],
    },
  },
  quantity: {
    name: 'io.k8s.apimachinery.pkg.api.resource.Quantity',
    schema: {
      description: 'A decimal amount with an optional SI or binary suffix: 100m, 1.5, 64Mi, 2Gi.',
      oneOf: [{ type: 'string' }, { type: 'number' }],
    },
  },
  'date-time': {
    name: `${META}Time`,
    schema: { description: 'An RFC 3339 timestamp with seconds precision.', type: 'string', format: 'date-time' },
  },
  'micro-time': {
    name: `${META}MicroTime`,
    schema: { description: 'An RFC 3339 timestamp with microseconds precision.', type: 'string', format: 'date-time' },
  },
};
const PATCH_SCHEMA = { description: 'A patch body; its format is given by the Content-Type.', type: 'object' };
const FREE_FORM = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

function typeSchema(p: ParsedType): Record<string, unknown> {
  switch (p.k) {
    case 'ref': return ref(p.name);
    case 'array': return { type: 'array', items: typeSchema(p.items) };
    case 'map': return { type: 'object', additionalProperties: typeSchema(p.values) };
    case 'scalar':
      switch (p.scalar) {
        case 'string': return { type: 'string' };
        case 'int32': return { type: 'integer', format: 'int32' };
        case 'int64': return { type: 'integer', format: 'int64' };
        case 'boolean': return { type: 'boolean' };
        case 'number': return { type: 'number', format: 'double' };
        case 'byte': return { type: 'string', format: 'byte' };
        case 'free': return { ...FREE_FORM };
        default: return ref(NAMED_SCALARS[p.scalar].name);
      }
  }
}

function fieldSchema(field: FieldDef): Record<string, unknown> {
  const inner = typeSchema(parseType(field.type));
  // A $ref cannot carry siblings in OpenAPI 3.0; upstream wraps it in allOf to add the description.
  const s: Record<string, unknown> = '$ref' in inner ? { allOf: [inner] } : inner;
  s.description = field.doc;
  if (field.enum) s.enum = [...field.enum];
  if (field.list) s['x-kubernetes-list-type'] = field.list;
  if (field.keys) s['x-kubernetes-list-map-keys'] = [...field.keys];
  if (field.mapType) s['x-kubernetes-map-type'] = field.mapType;
  if (field.mergeKey) s['x-kubernetes-patch-merge-key'] = field.mergeKey;
  if (field.patch) s['x-kubernetes-patch-strategy'] = field.patch;
  return s;
}

function componentSchema(def: TypeDef): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  const required: string[] = [];
  for (const [name, field] of Object.entries(def.fields)) {
    properties[name] = fieldSchema(field);
    if (field.req) required.push(name);
  }
  const s: Record<string, unknown> = { description: def.doc, type: 'object', properties };
  if (required.length) s.required = required;
  if (def.atomic) s['x-kubernetes-map-type'] = 'atomic';
  if (def.gvk) s['x-kubernetes-group-version-kind'] = [gvkExtension(def.gvk)];
  return s;
}

/** Every schema reachable from `roots`, named scalars included, sorted by name. */
function schemaClosure(roots: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const seen = new Set<string>();
  const queue = [...roots];
  const visitType = (p: ParsedType): void => {
    if (p.k === 'array') return visitType(p.items);
    if (p.k === 'map') return visitType(p.values);
    if (p.k === 'scalar' && NAMED_SCALARS[p.scalar]) {
      const named = NAMED_SCALARS[p.scalar];
      out[named.name] = named.schema;
    }
    for (const r of refsOf(p)) queue.push(r);
  };
  while (queue.length) {
    const name = queue.shift()!;
    if (seen.has(name)) continue;
    seen.add(name);
    const def = TYPES.get(name)!;
    out[name] = componentSchema(def);
    for (const field of Object.values(def.fields)) visitType(parseType(field.type));
  }
  out[`${META}Patch`] = PATCH_SCHEMA;
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** 'api/v1', 'apis/apps/v1'. */
export function gvPath(r: Pick<ResourceInfo, 'group' | 'version'>): string {
  return r.group ? `apis/${r.group}/${r.version}` : `api/${r.version}`;
}

function kindDef(gvk: GroupVersionKind): TypeDef {
  const def = typeOfKind(gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version, gvk.kind);
  if (!def) throw new Error(`schema: no schema for ${gvk.group}/${gvk.version} ${gvk.kind}`);
  return def;
}

function buildDocument(resources: readonly ResourceInfo[]): object {
  const roots = new Set<string>([`${META}Status`, `${META}DeleteOptions`]);
  const paths: Record<string, unknown> = {};
  for (const r of resources) {
    const gvk = { group: r.group, version: r.version, kind: r.kind };
    roots.add(kindDef(gvk).name);
    roots.add(kindDef({ ...gvk, kind: r.listKind }).name);
    for (const sub of r.subresources) {
      if (sub.name === 'scale') roots.add(kindDef({ group: sub.group ?? r.group, version: sub.version ?? r.version, kind: sub.kind }).name);
    }
    Object.assign(paths, resourcePaths(r, (g) => kindDef(g).name));
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'v1.33.0' },
    paths,
    components: { schemas: schemaClosure([...roots]) },
  };
}

interface BuiltDocument { document: object; hash: string }
let built: Map<string, BuiltDocument> | undefined;

function documents(): Map<string, BuiltDocument> {
  if (built) return built;
  const byGv = new Map<string, ResourceInfo[]>();
  for (const r of RESOURCES) {
    const key = gvPath(r);
    byGv.set(key, [...(byGv.get(key) ?? []), r]);
  }
  built = new Map();
  for (const [path, resources] of byGv) {
    const document = buildDocument(resources);
    // Upstream hashes the serialized document (sha512, upper-case hex); clients only compare it.
    const hash = createHash('sha512').update(JSON.stringify(document)).digest('hex').toUpperCase();
    built.set(path, { document, hash });
  }
  return built;
}

/** GET /openapi/v3: one entry per served group-version, in the order of RESOURCES. */
export function openapiRoot(): object {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const [path, { hash }] of documents()) paths[path] = { serverRelativeURL: `/openapi/v3/${path}?hash=${hash}` };
  return { paths };
}

/** GET /openapi/v3/<gvPath>: the document and its hash, or undefined for an unknown group-version. */
export function openapiDocument(path: string): BuiltDocument | undefined {
  return documents().get(path.replace(/^\/+|\/+$/g, ''));
}
