// Deployment and ReplicaSet validation (k/k pkg/apis/apps/validation), plus the apps/v1
// registry rule that a selector may not change after creation.

import type { FieldError } from '../../lib/field-errors.ts';
import { forbiddenField, invalidValue, notSupported, required } from '../../lib/field-errors.ts';
import {
  immutable, isObject, nonNegative, selectorMatches, validateLabelSelector, validateObjectMeta, validateObjectMetaUpdate,
} from './meta.ts';
import { each, nameIsDNSSubdomain, percentErrors } from './names.ts';
import { validatePodTemplateSpec } from './pod.ts';

function validateSelectorAndTemplate(spec: any, kind: string): FieldError[] {
  const errs: FieldError[] = [...nonNegative(spec.replicas, 'spec.replicas')];
  const sel = spec.selector;
  if (!isObject(sel)) {
    errs.push(required('spec.selector'));
  } else {
    errs.push(...validateLabelSelector(sel, 'spec.selector'));
    if (Object.keys(sel.matchLabels ?? {}).length + (sel.matchExpressions?.length ?? 0) === 0) {
      // Upstream's ReplicaSet check reuses the Deployment wording.
      errs.push(invalidValue('spec.selector', sel, 'empty selector is invalid for deployment'));
    }
  }
  const template = spec.template;
  if (!isObject(template)) {
    errs.push(required('spec.template'));
    return errs;
  }
  const labels = template.metadata?.labels;
  const selectorEmpty = !isObject(sel) || Object.keys(sel.matchLabels ?? {}).length + (sel.matchExpressions?.length ?? 0) === 0;
  if (!selectorEmpty && !selectorMatches(sel, labels)) {
    errs.push(invalidValue('spec.template.metadata.labels', labels ?? {}, '`selector` does not match template `labels`'));
  }
  errs.push(...validatePodTemplateSpec(template, 'spec.template'));
  if (template.spec?.restartPolicy !== 'Always') {
    errs.push(notSupported('spec.template.spec.restartPolicy', template.spec?.restartPolicy ?? '', ['Always']));
  }
  if (template.spec?.activeDeadlineSeconds != null) {
    errs.push(forbiddenField('spec.template.spec.activeDeadlineSeconds', `activeDeadlineSeconds in ${kind} is not Supported`));
  }
  return errs;
}

function intOrPercent(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && percentErrors(v).length === 0) return Number(v.slice(0, -1));
  return 0;
}

function validatePositiveIntOrPercent(v: unknown, field: string): FieldError[] {
  if (typeof v === 'string') return each(field, v, percentErrors(v));
  if (typeof v === 'number') return nonNegative(v, field);
  return [];
}

function validateStrategy(strategy: any): FieldError[] {
  const s = isObject(strategy) ? strategy : {};
  const p = 'spec.strategy';
  if (s.type === 'Recreate') {
    return s.rollingUpdate != null ? [forbiddenField(`${p}.rollingUpdate`, "may not be specified when strategy `type` is 'Recreate'")] : [];
  }
  if (s.type !== 'RollingUpdate') return [notSupported(p, s, ['Recreate', 'RollingUpdate'])];
  const ru = s.rollingUpdate;
  if (!isObject(ru)) return [required(`${p}.rollingUpdate`, 'this should be defaulted and never be nil')];
  const errs = [
    ...validatePositiveIntOrPercent(ru.maxUnavailable, `${p}.rollingUpdate.maxUnavailable`),
    ...validatePositiveIntOrPercent(ru.maxSurge, `${p}.rollingUpdate.maxSurge`),
  ];
  if (intOrPercent(ru.maxUnavailable) === 0 && intOrPercent(ru.maxSurge) === 0) {
    errs.push(invalidValue(`${p}.rollingUpdate.maxUnavailable`, ru.maxUnavailable ?? 0, 'may not be 0 when `maxSurge` is 0'));
  }
  if (typeof ru.maxUnavailable === 'string' && intOrPercent(ru.maxUnavailable) > 100) {
    errs.push(invalidValue(`${p}.rollingUpdate.maxUnavailable`, ru.maxUnavailable, 'must not be greater than 100%'));
  }
  return errs;
}

export function validateDeployment(d: any): FieldError[] {
  const spec = isObject(d.spec) ? d.spec : {};
  const errs = [...validateObjectMeta(d.metadata, true, nameIsDNSSubdomain), ...validateSelectorAndTemplate(spec, 'ReplicaSet')];
  errs.push(...validateStrategy(spec.strategy));
  errs.push(...nonNegative(spec.minReadySeconds, 'spec.minReadySeconds'));
  errs.push(...nonNegative(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
  if (typeof spec.progressDeadlineSeconds === 'number') {
    errs.push(...nonNegative(spec.progressDeadlineSeconds, 'spec.progressDeadlineSeconds'));
    if (spec.progressDeadlineSeconds <= (spec.minReadySeconds ?? 0)) {
      errs.push(invalidValue('spec.progressDeadlineSeconds', spec.progressDeadlineSeconds, 'must be greater than minReadySeconds'));
    }
  }
  return errs;
}

export function validateReplicaSet(rs: any): FieldError[] {
  const spec = isObject(rs.spec) ? rs.spec : {};
  return [
    ...validateObjectMeta(rs.metadata, true, nameIsDNSSubdomain),
    ...validateSelectorAndTemplate(spec, 'ReplicaSet'),
    ...nonNegative(spec.minReadySeconds, 'spec.minReadySeconds'),
  ];
}

export function validateAppsUpdate(obj: any, old: any, validate: (o: any) => FieldError[]): FieldError[] {
  return [
    ...validateObjectMetaUpdate(obj.metadata, old.metadata),
    ...validate(obj),
    ...immutable(obj.spec?.selector, old.spec?.selector, 'spec.selector'),
  ];
}

/** Deployment/ReplicaSet status subresource. */
export function validateReplicasStatus(obj: any, old: any, deployment: boolean): FieldError[] {
  const st = isObject(obj.status) ? obj.status : {};
  const errs = validateObjectMetaUpdate(obj.metadata, old.metadata);
  const keys = deployment
    ? ['observedGeneration', 'replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas', 'collisionCount']
    : ['replicas', 'fullyLabeledReplicas', 'readyReplicas', 'availableReplicas', 'observedGeneration'];
  for (const k of keys) errs.push(...nonNegative(st[k], `status.${k}`));
  const replicas = st.replicas ?? 0;
  const tooMany = 'cannot be greater than status.replicas';
  for (const k of [deployment ? 'updatedReplicas' : 'fullyLabeledReplicas', 'readyReplicas', 'availableReplicas']) {
    if ((st[k] ?? 0) > replicas) errs.push(invalidValue(`status.${k}`, st[k], tooMany));
  }
  if ((st.availableReplicas ?? 0) > (st.readyReplicas ?? 0)) errs.push(invalidValue('status.availableReplicas', st.availableReplicas, 'cannot be greater than readyReplicas'));
  if (deployment && typeof old.status?.collisionCount === 'number' && (st.collisionCount ?? -1) < old.status.collisionCount) {
    errs.push(invalidValue('status.collisionCount', st.collisionCount ?? 0, 'cannot be decremented'));
  }
  return errs;
}
