// JSON merge patch, RFC 7396 (`application/merge-patch+json`): kubectl label, annotate, scale.

import { badRequest } from '../../lib/errors.ts';
import { clone, goJsonType, isObject } from './json-value.ts';

export function applyMergePatch(doc: any, patch: unknown): any {
  // kube-apiserver decodes the patch into a map first, so a patch that is not an object is a
  // 400 rather than RFC 7396's "replace the whole target".
  if (!isObject(patch)) {
    if (patch === null) return clone(doc);
    throw badRequest(`error decoding patch: json: cannot unmarshal ${goJsonType(patch)} into Go value of type map[string]interface {}`);
  }
  return mergeValue(clone(doc), patch);
}

function mergeValue(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const out: Record<string, unknown> = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergeValue(out[k], v);
  }
  return out;
}
