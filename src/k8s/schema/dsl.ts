// knet's own schema language for the API types it serves. One definition feeds both the
// OpenAPI v3 documents (kubectl explain, kubectl's fieldValidation probe) and strict decoding
// (unknown-field detection), so the two can never disagree about which fields exist.
//
// A type expression is a string:
//   scalar            'string' 'int32' 'int64' 'boolean' 'number' 'byte' 'intOrString'
//                     'quantity' 'date-time' 'micro-time' 'free'
//   named type        'core.v1.ServicePort' (short for io.k8s.api.core.v1.ServicePort),
//                     'meta.v1.ObjectMeta' (short for io.k8s.apimachinery.pkg.apis.meta.v1.…)
//   array             '[]T'
//   map from string   '{}T'
// 'free' is a free-form object (x-kubernetes-preserve-unknown-fields): strict decoding never
// looks inside it. It stands in for deep, rarely used subtrees (see README.md).

export const SCALARS = [
  'string', 'int32', 'int64', 'boolean', 'number', 'byte', 'intOrString', 'quantity',
  'date-time', 'micro-time', 'free',
] as const;
export type Scalar = typeof SCALARS[number];

export interface FieldOpts {
  /** Listed in the schema's `required`. */
  req?: boolean;
  enum?: readonly string[];
  /** x-kubernetes-list-type. */
  list?: 'atomic' | 'set' | 'map';
  /** x-kubernetes-list-map-keys (with list: 'map'). */
  keys?: readonly string[];
  /** x-kubernetes-patch-strategy, as strategic merge patch reads it. */
  patch?: 'merge' | 'retainKeys' | 'merge,retainKeys';
  /** x-kubernetes-patch-merge-key. */
  mergeKey?: string;
  /** x-kubernetes-map-type on a map field. */
  mapType?: 'atomic' | 'granular';
}

export interface FieldDef extends FieldOpts {
  type: string;
  doc: string;
}

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

export interface TypeDef {
  /** Full upstream name, e.g. io.k8s.api.core.v1.ServiceSpec. */
  name: string;
  doc: string;
  fields: Readonly<Record<string, FieldDef>>;
  /** Set on the top-level kinds (x-kubernetes-group-version-kind). */
  gvk?: GroupVersionKind;
  /** x-kubernetes-map-type: atomic on the struct (e.g. LabelSelector): replaced as a whole. */
  atomic?: boolean;
}

export type ParsedType =
  | { k: 'scalar'; scalar: Scalar }
  | { k: 'ref'; name: string }
  | { k: 'array'; items: ParsedType }
  | { k: 'map'; values: ParsedType };

const scalarSet = new Set<string>(SCALARS);

/** 'core.v1.Pod' -> 'io.k8s.api.core.v1.Pod'; 'meta.v1.Time' -> apimachinery; full names pass. */
export function fullName(name: string): string {
  if (name.startsWith('io.k8s.')) return name;
  if (name.startsWith('meta.v1.')) return `io.k8s.apimachinery.pkg.apis.${name}`;
  return `io.k8s.api.${name}`;
}

export function parseType(expr: string): ParsedType {
  if (expr.startsWith('[]')) return { k: 'array', items: parseType(expr.slice(2)) };
  if (expr.startsWith('{}')) return { k: 'map', values: parseType(expr.slice(2)) };
  if (scalarSet.has(expr)) return { k: 'scalar', scalar: expr as Scalar };
  if (!expr.includes('.')) throw new Error(`schema: unknown scalar type ${JSON.stringify(expr)}`);
  return { k: 'ref', name: fullName(expr) };
}

/** A field: `f('int32', 'Port the Service listens on.', { req: true })`. */
export function f(type: string, doc: string, opts: FieldOpts = {}): FieldDef {
  return { type, doc, ...opts };
}

/** A named struct type. */
export function t(name: string, doc: string, fields: Record<string, FieldDef>, opts: { atomic?: boolean } = {}): TypeDef {
  return { name: fullName(name), doc, fields, ...opts };
}

const typeMetaFields = {
  apiVersion: f('string', 'Versioned schema of this representation of the object (group/version).'),
  kind: f('string', 'REST resource type this object represents, in CamelCase.'),
};

/** A top-level kind: apiVersion, kind and metadata come first, as on every API object. */
export function kind(name: string, gvk: GroupVersionKind, doc: string, fields: Record<string, FieldDef>): TypeDef {
  const def = t(name, doc, {
    ...typeMetaFields,
    metadata: f('meta.v1.ObjectMeta', "The object's metadata: name, namespace, labels, annotations and so on."),
    ...fields,
  });
  return { ...def, gvk };
}

/** The list kind that goes with a kind: XList {apiVersion, kind, metadata: ListMeta, items: []X}. */
export function listKind(of: TypeDef): TypeDef {
  if (!of.gvk) throw new Error(`schema: ${of.name} is not a kind`);
  return {
    name: `${of.name}List`,
    doc: `A list of ${of.gvk.kind} objects.`,
    gvk: { ...of.gvk, kind: `${of.gvk.kind}List` },
    fields: {
      ...typeMetaFields,
      metadata: f('meta.v1.ListMeta', "The list's metadata: resourceVersion and continue token."),
      items: f(`[]${of.name}`, `The ${of.gvk.kind} objects.`, { req: true }),
    },
  };
}

export const core = (kindName: string): GroupVersionKind => ({ group: '', version: 'v1', kind: kindName });
