// The PATCH content types kube-apiserver accepts, as pure functions on plain JSON values.
// The caller (the PATCH handler) parses the body, picks the function by content type, then
// validates, enforces a `metadata.resourceVersion` left in the result as a precondition, and
// stores. Server-side apply and updateManagedFields also maintain metadata.managedFields.

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

const contentTypes: Record<string, PatchType> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
};

/** The patch type of a Content-Type header (parameters such as `; charset=utf-8` ignored). */
export function patchTypeOf(contentType: string): PatchType | undefined {
  return contentTypes[contentType.split(';')[0].trim().toLowerCase()];
}

export { applyJsonPatch } from './json-patch.ts';
export { applyMergePatch } from './merge-patch.ts';
export { applyStrategicMergePatch } from './strategic-merge.ts';
export { serverSideApply, updateManagedFields } from './server-side-apply.ts';
export type { ManagedFieldsEntry } from './server-side-apply.ts';
export type { FieldMeta } from './merge-keys.ts';
export { fieldMeta } from './merge-keys.ts';
