// ObjectMeta and other cross-kind checks, after apimachinery's api/validation (objectmeta.go)
// and meta/v1/validation (label selectors). Field paths are strings: `metadata.name`.

import type { FieldError } from '../../lib/field-errors.ts';
import { forbiddenField, invalidValue, required, tooLong } from '../../lib/field-errors.ts';
import type { NameValidator } from './names.ts';
import { each, labelValueErrors, nameIsDNSLabel, qualifiedNameErrors, validateLabelName, validateLabels } from './names.ts';

export const FIELD_IMMUTABLE = 'field is immutable';
export const IS_NEGATIVE = 'must be greater than or equal to 0';
const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

/** Single-segment finalizer names upstream accepts without a domain prefix. */
const STANDARD_FINALIZERS = new Set(['kubernetes', 'orphan', 'foregroundDeletion']);

export const isObject = (v: unknown): v is Record<string, any> => typeof v === 'object' && v !== null && !Array.isArray(v);
export const asArray = <T = any>(v: unknown): T[] => (Array.isArray(v) ? v : []);

/** Structural equality for JSON values (upstream: apiequality.Semantic.DeepEqual). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => deepEqual(x, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}

export function nonNegative(value: unknown, field: string): FieldError[] {
  return typeof value === 'number' && value < 0 ? [invalidValue(field, value, IS_NEGATIVE)] : [];
}

export function immutable(newVal: unknown, oldVal: unknown, field: string): FieldError[] {
  return deepEqual(newVal ?? null, oldVal ?? null) ? [] : [invalidValue(field, newVal ?? null, FIELD_IMMUTABLE)];
}

export function validateAnnotations(annotations: Record<string, string> | undefined, field: string): FieldError[] {
  const errs: FieldError[] = [];
  let size = 0;
  for (const [k, v] of Object.entries(annotations ?? {})) {
    errs.push(...each(field, k, qualifiedNameErrors(k.toLowerCase())));
    size += Buffer.byteLength(k) + Buffer.byteLength(String(v ?? ''));
  }
  if (size > TOTAL_ANNOTATION_SIZE_LIMIT) errs.push(tooLong(field, '', TOTAL_ANNOTATION_SIZE_LIMIT));
  return errs;
}

function validateOwnerReferences(refs: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  let controller = '';
  for (const ref of asArray(refs)) {
    const apiVersion = String(ref?.apiVersion ?? '');
    const version = apiVersion.includes('/') ? apiVersion.split('/')[1] : apiVersion;
    if (!version) errs.push(invalidValue(`${field}.apiVersion`, apiVersion, 'version must not be empty'));
    if (!ref?.kind) errs.push(invalidValue(`${field}.kind`, ref?.kind ?? '', 'kind must not be empty'));
    if (!ref?.name) errs.push(invalidValue(`${field}.name`, ref?.name ?? '', 'name must not be empty'));
    if (!ref?.uid) errs.push(invalidValue(`${field}.uid`, ref?.uid ?? '', 'uid must not be empty'));
    if (apiVersion === 'v1' && ref?.kind === 'Event') errs.push(invalidValue(field, ref, '/v1, Kind=Event is disallowed from being an owner'));
    if (ref?.controller === true) {
      const name = `${ref.kind}/${ref.name}`;
      if (controller) {
        errs.push(invalidValue(field, refs, `Only one reference can have Controller set to true. Found "true" in references for ${controller} and ${name}`));
      } else {
        controller = name;
      }
    }
  }
  return errs;
}

function validateFinalizers(finalizers: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const list = asArray<string>(finalizers);
  list.forEach((f, i) => {
    errs.push(...each(field, f, qualifiedNameErrors(f)));
    if (!f.includes('/') && !STANDARD_FINALIZERS.has(f)) {
      errs.push(invalidValue(`${field}[${i}]`, f, 'name is neither a standard finalizer name nor is it fully qualified'));
    }
  });
  if (list.includes('orphan') && list.includes('foregroundDeletion')) {
    errs.push(invalidValue(field, list, 'finalizer orphan and foregroundDeletion cannot be both set'));
  }
  return errs;
}

/** ValidateObjectMeta on create: names (generated names already filled in), namespace, labels... */
export function validateObjectMeta(meta: any, namespaced: boolean, nameFn: NameValidator, path = 'metadata'): FieldError[] {
  const m = isObject(meta) ? meta : {};
  const errs: FieldError[] = [];
  if (m.generateName) {
    errs.push(...each(`${path}.generateName`, m.generateName, nameFn(String(m.generateName), true)));
  }
  if (!m.name) errs.push(required(`${path}.name`, 'name or generateName is required'));
  else errs.push(...each(`${path}.name`, m.name, nameFn(String(m.name), false)));
  if (namespaced) {
    if (!m.namespace) errs.push(required(`${path}.namespace`));
    else errs.push(...each(`${path}.namespace`, m.namespace, nameIsDNSLabel(String(m.namespace), false)));
  } else if (m.namespace) {
    errs.push(forbiddenField(`${path}.namespace`, 'not allowed on this type'));
  }
  errs.push(...nonNegative(m.generation, `${path}.generation`));
  errs.push(...validateLabels(m.labels, `${path}.labels`));
  errs.push(...validateAnnotations(m.annotations, `${path}.annotations`));
  errs.push(...validateOwnerReferences(m.ownerReferences, `${path}.ownerReferences`));
  errs.push(...validateFinalizers(m.finalizers, `${path}.finalizers`));
  return errs;
}

/** ValidateObjectMetaUpdate: identity fields are immutable; finalizers frozen while deleting. */
export function validateObjectMetaUpdate(meta: any, old: any, path = 'metadata'): FieldError[] {
  const m = isObject(meta) ? meta : {};
  const o = isObject(old) ? old : {};
  const errs: FieldError[] = [];
  if (o.deletionTimestamp) {
    const extra = asArray<string>(m.finalizers).filter((f) => !asArray<string>(o.finalizers).includes(f));
    if (extra.length) {
      const list = [...new Set(extra)].sort().map((f) => JSON.stringify(f)).join(', ');
      errs.push(forbiddenField(`${path}.finalizers`, `no new finalizers can be added if the object is being deleted, found new finalizers []string{${list}}`));
    }
  }
  if (!m.resourceVersion) errs.push(invalidValue(`${path}.resourceVersion`, m.resourceVersion ?? '', 'must be specified for an update'));
  if (typeof m.generation === 'number' && typeof o.generation === 'number' && m.generation < o.generation) {
    errs.push(invalidValue(`${path}.generation`, m.generation, 'must not be decremented'));
  }
  for (const k of ['name', 'namespace', 'uid', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds']) {
    errs.push(...immutable(m[k], o[k], `${path}.${k}`));
  }
  errs.push(...validateLabels(m.labels, `${path}.labels`));
  errs.push(...validateAnnotations(m.annotations, `${path}.annotations`));
  errs.push(...validateOwnerReferences(m.ownerReferences, `${path}.ownerReferences`));
  asArray<string>(m.finalizers).forEach((f, i) => {
    if (!f.includes('/') && !STANDARD_FINALIZERS.has(f)) {
      errs.push(invalidValue(`${path}.finalizers[${i}]`, f, 'name is neither a standard finalizer name nor is it fully qualified'));
    }
  });
  return errs;
}

/** meta/v1 ValidateLabelSelector (strict label values). */
export function validateLabelSelector(sel: any, field: string): FieldError[] {
  if (!isObject(sel)) return [];
  const errs: FieldError[] = [...validateLabels(sel.matchLabels, `${field}.matchLabels`)];
  asArray(sel.matchExpressions).forEach((expr, i) => {
    const p = `${field}.matchExpressions[${i}]`;
    const values = asArray<string>(expr?.values);
    switch (expr?.operator) {
      case 'In': case 'NotIn':
        if (values.length === 0) errs.push(required(`${p}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
        break;
      case 'Exists': case 'DoesNotExist':
        if (values.length > 0) errs.push(forbiddenField(`${p}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
        break;
      default:
        errs.push(invalidValue(`${p}.operator`, expr?.operator ?? '', 'not a valid selector operator'));
    }
    errs.push(...validateLabelName(String(expr?.key ?? ''), `${p}.key`));
    values.forEach((v, j) => errs.push(...each(`${p}.values[${j}]`, v, labelValueErrors(String(v)))));
  });
  return errs;
}

/** Does a LabelSelector (matchLabels + matchExpressions) select these labels? */
export function selectorMatches(sel: any, labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {};
  for (const [k, v] of Object.entries(sel?.matchLabels ?? {})) if (l[k] !== v) return false;
  for (const e of asArray(sel?.matchExpressions)) {
    const has = Object.hasOwn(l, e.key);
    const vals = asArray<string>(e.values);
    if (e.operator === 'In' && !(has && vals.includes(l[e.key]))) return false;
    if (e.operator === 'NotIn' && has && vals.includes(l[e.key])) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}
