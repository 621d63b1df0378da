// The small core kinds: Namespace, Node, ConfigMap, Secret, ServiceAccount, Event.

import type { FieldError } from '../../lib/field-errors.ts';
import { duplicate, forbiddenField, invalidValue, required, tooLong } from '../../lib/field-errors.ts';
import { asArray, deepEqual, immutable, isObject, validateObjectMeta, validateObjectMetaUpdate } from './meta.ts';
import { configMapKeyErrors, each, ipFamilyOf, nameIsDNSLabel, nameIsDNSSubdomain, qualifiedNameErrors, validateCIDR } from './names.ts';

/** MaxSecretSize: the cap on ConfigMap and Secret payloads. */
const MAX_SECRET_SIZE = 1024 * 1024;

export function validateNamespace(ns: any): FieldError[] {
  const errs = validateObjectMeta(ns.metadata, false, nameIsDNSLabel);
  asArray<string>(ns.spec?.finalizers).forEach((f) => {
    errs.push(...each('spec.finalizers', f, qualifiedNameErrors(f)));
    if (!f.includes('/') && !['kubernetes', 'orphan', 'foregroundDeletion'].includes(f)) {
      errs.push(invalidValue('spec.finalizers', f, 'name is neither a standard finalizer name nor is it fully qualified'));
    }
  });
  return errs;
}

export function validateNamespaceStatus(ns: any, old: any): FieldError[] {
  const errs = validateObjectMetaUpdate(ns.metadata, old.metadata);
  const phase = ns.status?.phase;
  if (!ns.metadata?.deletionTimestamp) {
    if (phase !== 'Active') errs.push(invalidValue('status.Phase', phase ?? '', "may only be 'Active' if `deletionTimestamp` is empty"));
  } else if (phase !== 'Terminating') {
    errs.push(invalidValue('status.Phase', phase ?? '', "may only be 'Terminating' if `deletionTimestamp` is not empty"));
  }
  return errs;
}

export function validateNode(node: any, old?: any): FieldError[] {
  const errs = old ? validateObjectMetaUpdate(node.metadata, old.metadata) : validateObjectMeta(node.metadata, false, nameIsDNSSubdomain);
  const cidrs = asArray<string>(node.spec?.podCIDRs);
  if (!old) {
    cidrs.forEach((c, i) => errs.push(...validateCIDR(`spec.podCIDRs[${i}]`, c)));
    if (cidrs.length > 1) {
      const fam = (c: string) => ipFamilyOf(String(c).split('/')[0]);
      if (cidrs.length > 2 || fam(cidrs[0]) === fam(cidrs[1])) errs.push(invalidValue('spec.podCIDRs', cidrs, 'may specify no more than one CIDR for each IP family'));
      const seen = new Set<string>();
      cidrs.forEach((c, i) => { if (seen.has(c)) errs.push(duplicate(`spec.podCIDRs[${i}]`, c)); seen.add(c); });
    }
    return errs;
  }
  const oldCidrs = asArray<string>(old.spec?.podCIDRs);
  if (oldCidrs.length > 0 && !deepEqual(oldCidrs, cidrs)) {
    errs.push(forbiddenField('spec.podCIDRs', 'node updates may not change podCIDR except from "" to valid'));
  }
  if (old.spec?.providerID && old.spec.providerID !== node.spec?.providerID) {
    errs.push(forbiddenField('spec.providerID', 'node updates may not change providerID except from "" to valid'));
  }
  return errs;
}

function dataErrors(data: unknown, field: string, decode: boolean): { errs: FieldError[]; size: number } {
  const errs: FieldError[] = [];
  let size = 0;
  for (const [k, v] of Object.entries(isObject(data) ? data : {})) {
    errs.push(...each(`${field}[${k}]`, k, configMapKeyErrors(k)));
    size += decode ? Buffer.from(String(v ?? ''), 'base64').length : Buffer.byteLength(String(v ?? ''));
  }
  return { errs, size };
}

export function validateConfigMap(cm: any, old?: any): FieldError[] {
  const errs = old ? validateObjectMetaUpdate(cm.metadata, old.metadata) : [];
  if (old?.immutable === true) {
    if (cm.immutable !== true) errs.push(forbiddenField('immutable', 'field is immutable when `immutable` is set'));
    if (!deepEqual(cm.data ?? {}, old.data ?? {})) errs.push(forbiddenField('data', 'field is immutable when `immutable` is set'));
    if (!deepEqual(cm.binaryData ?? {}, old.binaryData ?? {})) errs.push(forbiddenField('binaryData', 'field is immutable when `immutable` is set'));
  }
  errs.push(...validateObjectMeta(cm.metadata, true, nameIsDNSSubdomain));
  const data = dataErrors(cm.data, 'data', false);
  const binary = dataErrors(cm.binaryData, 'binaryData', true);
  errs.push(...data.errs);
  for (const k of Object.keys(isObject(cm.data) ? cm.data : {})) {
    if (isObject(cm.binaryData) && Object.hasOwn(cm.binaryData, k)) errs.push(invalidValue(`data[${k}]`, k, 'duplicate of key present in binaryData'));
  }
  errs.push(...binary.errs);
  if (data.size + binary.size > MAX_SECRET_SIZE) errs.push(tooLong('', '', MAX_SECRET_SIZE));
  return errs;
}

const SECRET_REQUIRED_KEYS: Record<string, string[]> = {
  'kubernetes.io/dockercfg': ['.dockercfg'],
  'kubernetes.io/dockerconfigjson': ['.dockerconfigjson'],
  'kubernetes.io/ssh-auth': ['ssh-privatekey'],
  'kubernetes.io/tls': ['tls.crt', 'tls.key'],
};

export function validateSecret(s: any, old?: any): FieldError[] {
  const errs = old ? validateObjectMetaUpdate(s.metadata, old.metadata) : [];
  if (old) {
    errs.push(...immutable(s.type, old.type, 'type'));
    if (old.immutable === true) {
      if (s.immutable !== true) errs.push(forbiddenField('immutable', 'field is immutable when `immutable` is set'));
      if (!deepEqual(s.data ?? {}, old.data ?? {})) errs.push(forbiddenField('data', 'field is immutable when `immutable` is set'));
    }
  }
  errs.push(...validateObjectMeta(s.metadata, true, nameIsDNSSubdomain));
  const data = dataErrors(s.data, 'data', true);
  errs.push(...data.errs);
  if (data.size > MAX_SECRET_SIZE) errs.push(tooLong('data', '', MAX_SECRET_SIZE));
  const keys = isObject(s.data) ? s.data : {};
  if (s.type === 'kubernetes.io/service-account-token' && !s.metadata?.annotations?.['kubernetes.io/service-account.name']) {
    errs.push(required('metadata.annotations[kubernetes.io/service-account.name]'));
  }
  if (s.type === 'kubernetes.io/basic-auth' && !Object.hasOwn(keys, 'username') && !Object.hasOwn(keys, 'password')) {
    errs.push(required('data[username]'), required('data[password]'));
  }
  for (const k of SECRET_REQUIRED_KEYS[s.type] ?? []) {
    if (!Object.hasOwn(keys, k) || (k === 'ssh-privatekey' && !keys[k])) errs.push(required(`data[${k}]`));
  }
  return errs;
}

export function validateEvent(ev: any): FieldError[] {
  const errs = validateObjectMeta(ev.metadata, true, nameIsDNSSubdomain);
  // Old-style events (no eventTime) must agree with their involved object's namespace.
  const involvedNs = ev.involvedObject?.namespace ?? '';
  const ns = ev.metadata?.namespace ?? '';
  if (!ev.eventTime && ev.involvedObject !== undefined) {
    if (!involvedNs && ns !== '' && ns !== 'default') errs.push(invalidValue('involvedObject.namespace', involvedNs, 'does not match event.namespace'));
    if (involvedNs && ns !== involvedNs) errs.push(invalidValue('involvedObject.namespace', involvedNs, 'does not match event.namespace'));
  }
  return errs;
}
