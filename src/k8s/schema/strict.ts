// Strict decoding: which fields of a request body the schema does not know. kube-apiserver
// finds them while decoding JSON into Go structs (sigs.k8s.io/json, case-sensitive) and
// reports them as dotted paths with list indices: `spec.ports[0].bar`. With
// fieldValidation=Strict they fail the request, with Warn each becomes a Warning header, with
// Ignore they are dropped silently; in every case the stored object never holds them.

import type { ParsedType } from './dsl.ts';
import { fieldsOf, typeOfKind } from './registry.ts';

export interface UnknownFields {
  /** Paths in upstream's format, in document order. */
  unknown: string[];
  /** A copy of the object without the unknown fields. */
  pruned: unknown;
}

/** The unknown fields of `obj` as a `kind` of `apiVersion`; nothing for kinds without a schema. */
export function findUnknownFields(apiVersion: string, kind: string, obj: unknown): UnknownFields {
  const def = typeOfKind(apiVersion, kind);
  if (!def) return { unknown: [], pruned: obj };
  const unknown: string[] = [];
  const pruned = walk({ k: 'ref', name: def.name }, obj, '', unknown);
  return { unknown, pruned };
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

// Values of the wrong JSON type are left alone: they are decode errors ("cannot unmarshal
// string into Go struct field ..."), not unknown fields, and validation reports them.
function walk(type: ParsedType, value: unknown, path: string, unknown: string[]): unknown {
  if (value === null || typeof value !== 'object') return value;
  switch (type.k) {
    case 'scalar':
      return value;
    case 'array':
      if (!Array.isArray(value)) return value;
      return value.map((item, i) => walk(type.items, item, `${path}[${i}]`, unknown));
    case 'map': {
      if (Array.isArray(value)) return value;
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) out[key] = walk(type.values, item, join(path, key), unknown);
      return out;
    }
    case 'ref': {
      if (Array.isArray(value)) return value;
      const fields = fieldsOf(type.name);
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) {
        const fieldType = fields.get(key);
        if (!fieldType) {
          unknown.push(join(path, key));
          continue;
        }
        out[key] = walk(fieldType, item, join(path, key), unknown);
      }
      return out;
    }
  }
}

/** One violation as sigs.k8s.io/json words it: `unknown field "spec.foo"`. */
export function unknownFieldWarning(path: string): string {
  return `unknown field ${JSON.stringify(path)}`;
}

export function duplicateFieldWarning(path: string): string {
  return `duplicate field ${JSON.stringify(path)}`;
}

/** runtime.strictDecodingError text: `strict decoding error: unknown field "a", duplicate field "b"`. */
export function strictDecodingMessage(unknown: readonly string[], duplicates: readonly string[] = []): string {
  return `strict decoding error: ${[...unknown.map(unknownFieldWarning), ...duplicates.map(duplicateFieldWarning)].join(', ')}`;
}

/**
 * The BadRequest message of a create or update whose body failed to decode
 * (apiserver handlers/rest.go transformDecodeError), e.g.
 * `Service in version "v1" cannot be handled as a Service: strict decoding error: ...`.
 * `version` is the version part of the body's apiVersion ('v1' for 'apps/v1').
 */
export function decodeErrorMessage(bodyKind: string, version: string, targetKind: string, cause: string): string {
  return `${bodyKind} in version ${JSON.stringify(version)} cannot be handled as a ${targetKind}: ${cause}`;
}
