// Pod and PodSpec validation (k/k ValidatePodSpec, validatePodMetadataAndSpec, ValidatePodUpdate,
// ValidatePodStatusUpdate, ValidatePodTemplateSpec). Resources, affinity, security contexts
// beyond user IDs, and volume source internals are not checked (see README of this folder).

import type { FieldError } from '../../lib/field-errors.ts';
import { duplicate, forbiddenField, invalidValue, notSupported, required } from '../../lib/field-errors.ts';
import { validateContainers } from './containers.ts';
import {
  asArray, deepEqual, isObject, validateAnnotations, validateObjectMeta, validateObjectMetaUpdate,
} from './meta.ts';
import {
  dns1123LabelErrors, dns1123SubdomainErrors, each, inclusiveRangeError, ipFamilyOf, labelValueErrors, nameIsDNSSubdomain,
  qualifiedNameErrors, validateIP, validateLabelName, validateLabels,
} from './names.ts';

const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
const MAX_INT32 = 2147483647;

function validateVolumes(volumes: unknown, field: string): { names: Set<string>; errs: FieldError[] } {
  const names = new Set<string>();
  const errs: FieldError[] = [];
  asArray(volumes).forEach((v, i) => {
    const p = `${field}[${i}]`;
    const el: FieldError[] = [];
    const sources = Object.keys(isObject(v) ? v : {}).filter((k) => k !== 'name' && v[k] != null);
    sources.slice(1).forEach((k) => el.push(forbiddenField(`${p}.${k}`, 'may not specify more than 1 volume type')));
    if (sources.length === 0) el.push(required(p, 'must specify a volume type'));
    if (!v?.name) el.push(required(`${p}.name`));
    else el.push(...each(`${p}.name`, v.name, dns1123LabelErrors(String(v.name))));
    if (v?.name && names.has(v.name)) el.push(duplicate(`${p}.name`, v.name));
    if (el.length === 0) names.add(v.name);
    errs.push(...el);
  });
  return { names, errs };
}

function validateDNSConfig(spec: any, field: string): FieldError[] {
  const cfg = spec.dnsConfig;
  if (spec.dnsPolicy === 'None') {
    if (!isObject(cfg)) return [required(field, 'must provide `dnsConfig` when `dnsPolicy` is None')];
    if (asArray(cfg.nameservers).length === 0) return [required(`${field}.nameservers`, 'must provide at least one DNS nameserver when `dnsPolicy` is None')];
  }
  if (!isObject(cfg)) return [];
  const errs: FieldError[] = [];
  const ns = asArray<string>(cfg.nameservers);
  if (ns.length > 3) errs.push(invalidValue(`${field}.nameservers`, ns, 'must not have more than 3 nameservers'));
  ns.forEach((ip, i) => errs.push(...validateIP(`${field}.nameservers[${i}]`, ip)));
  const searches = asArray<string>(cfg.searches);
  if (searches.length > 32) errs.push(invalidValue(`${field}.searches`, searches, 'must not have more than 32 search paths'));
  if (searches.join(' ').length > 2048) errs.push(invalidValue(`${field}.searches`, searches, 'must not have more than 2048 characters (including spaces) in the search list'));
  searches.forEach((s, i) => {
    // RelaxedDNSSearchValidation (beta, on in 1.33): '.' alone and underscores are allowed.
    if (s === '.') return;
    const name = String(s).replace(/\.$/, '');
    if (!/^_?[a-z0-9]([-_a-z0-9]*[a-z0-9])?(\._?[a-z0-9]([-_a-z0-9]*[a-z0-9])?)*$/.test(name) || name.length > 253) {
      errs.push(...each(`${field}.searches[${i}]`, name, dns1123SubdomainErrors(name).map((m) => m.replace("'-' or '.'", "'_', '-' or '.'"))));
    }
  });
  asArray(cfg.options).forEach((o, i) => { if (!o?.name) errs.push(required(`${field}.options[${i}]`, 'must not be empty')); });
  return errs;
}

function validateTolerations(tolerations: unknown, field: string): FieldError[] {
  const errs: FieldError[] = [];
  asArray(tolerations).forEach((t, i) => {
    const p = `${field}[${i}]`;
    if (t?.key) errs.push(...validateLabelName(String(t.key), `${p}.key`));
    if (!t?.key && t?.operator !== 'Exists') {
      errs.push(invalidValue(`${p}.operator`, t?.operator ?? '', 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    }
    if (t?.tolerationSeconds != null && t?.effect !== 'NoExecute') {
      errs.push(invalidValue(`${p}.effect`, t?.effect ?? '', "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    }
    const op = t?.operator ?? '';
    if (op === 'Equal' || op === '') {
      const msgs = labelValueErrors(String(t?.value ?? ''));
      if (msgs.length) errs.push(invalidValue(`${p}.operator`, t?.value ?? '', msgs.join(';')));
    } else if (op === 'Exists') {
      if (t?.value) errs.push(invalidValue(`${p}.operator`, t.value, "value must be empty when `operator` is 'Exists'"));
    } else {
      errs.push(notSupported(`${p}.operator`, op, ['Equal', 'Exists']));
    }
    if (t?.effect && !['NoSchedule', 'PreferNoSchedule', 'NoExecute'].includes(t.effect)) {
      errs.push(notSupported(`${p}.effect`, t.effect, ['NoSchedule', 'PreferNoSchedule', 'NoExecute']));
    }
  });
  return errs;
}

/** ValidatePodSpec; `isPod` adds the checks upstream runs only for Pods (not templates). */
export function validatePodSpec(spec: any, field: string, isPod: boolean): FieldError[] {
  const s = isObject(spec) ? spec : {};
  const errs: FieldError[] = [];
  if (s.terminationGracePeriodSeconds == null) errs.push(required(`${field}.terminationGracePeriodSeconds`));
  const vols = validateVolumes(s.volumes, `${field}.volumes`);
  errs.push(...vols.errs);
  errs.push(...validateContainers(s, vols.names, field));
  if (s.hostNetwork === true) {
    asArray(s.containers).forEach((c, i) => asArray(c?.ports).forEach((p, j) => {
      const hp = p?.hostPort ?? 0;
      if ((isPod || hp !== 0) && hp !== p?.containerPort) {
        errs.push(invalidValue(`${field}.containers[${i}].ports[${j}].hostPort`, hp, 'must match `containerPort` when `hostNetwork` is true'));
      }
    }));
  }
  if (!s.restartPolicy) errs.push(required(`${field}.restartPolicy`));
  else if (!RESTART_POLICIES.includes(s.restartPolicy)) errs.push(notSupported(`${field}.restartPolicy`, s.restartPolicy, RESTART_POLICIES));
  if (!s.dnsPolicy) errs.push(required(`${field}.dnsPolicy`));
  else if (!DNS_POLICIES.includes(s.dnsPolicy)) errs.push(notSupported(`${field}.dnsPolicy`, s.dnsPolicy, DNS_POLICIES));
  errs.push(...validateLabels(s.nodeSelector, `${field}.nodeSelector`));
  errs.push(...validateDNSConfig(s, `${field}.dnsConfig`));
  asArray(s.readinessGates).forEach((g, i) => errs.push(...each(`${field}.readinessGates[${i}].conditionType`, g?.conditionType ?? '', qualifiedNameErrors(String(g?.conditionType ?? '')))));
  if (s.serviceAccountName) errs.push(...each(`${field}.serviceAccountName`, s.serviceAccountName, nameIsDNSSubdomain(String(s.serviceAccountName), false)));
  if (s.nodeName) errs.push(...each(`${field}.nodeName`, s.nodeName, nameIsDNSSubdomain(String(s.nodeName), false)));
  if (s.activeDeadlineSeconds != null && (s.activeDeadlineSeconds < 1 || s.activeDeadlineSeconds > MAX_INT32)) {
    errs.push(invalidValue(`${field}.activeDeadlineSeconds`, s.activeDeadlineSeconds, inclusiveRangeError(1, MAX_INT32)));
  }
  if (s.hostname) errs.push(...each(`${field}.hostname`, s.hostname, dns1123LabelErrors(String(s.hostname))));
  if (s.subdomain) errs.push(...each(`${field}.subdomain`, s.subdomain, dns1123LabelErrors(String(s.subdomain))));
  errs.push(...validateTolerations(s.tolerations, `${field}.tolerations`));
  asArray(s.hostAliases).forEach((h, i) => {
    errs.push(...validateIP(`${field}.hostAliases[${i}].ip`, h?.ip ?? ''));
    asArray<string>(h?.hostnames).forEach((n, j) => errs.push(...each(`${field}.hostAliases[${i}].hostnames[${j}]`, n, dns1123SubdomainErrors(n))));
  });
  if (s.priorityClassName) errs.push(...each(`${field}.priorityClassName`, s.priorityClassName, nameIsDNSSubdomain(String(s.priorityClassName), false)));
  if (isObject(s.os)) {
    if (!s.os.name) errs.push(required(`${field}.os.name`, 'cannot be empty'));
    else if (!['linux', 'windows'].includes(s.os.name)) errs.push(notSupported(`${field}.os`, s.os.name, ['linux', 'windows']));
  }
  return errs;
}

export function validatePodTemplateSpec(template: any, field: string): FieldError[] {
  const t = isObject(template) ? template : {};
  const errs = [
    ...validateLabels(t.metadata?.labels, `${field}.labels`),
    ...validateAnnotations(t.metadata?.annotations, `${field}.annotations`),
    ...validatePodSpec(t.spec, `${field}.spec`, false),
  ];
  if (asArray(t.spec?.ephemeralContainers).length) errs.push(forbiddenField(`${field}.spec.ephemeralContainers`, 'ephemeral containers not allowed in pod template'));
  return errs;
}

function podOnlyChecks(pod: any): FieldError[] {
  const errs: FieldError[] = [];
  for (const list of ['containers', 'initContainers']) {
    asArray(pod.spec?.[list]).forEach((c, i) => {
      if (typeof c?.image === 'string' && c.image !== c.image.trim()) {
        errs.push(invalidValue(`spec.${list}[${i}].image`, c.image, 'must not have leading or trailing whitespace'));
      }
    });
  }
  return errs;
}

export function validatePod(pod: any): FieldError[] {
  return [...validateObjectMeta(pod.metadata, true, nameIsDNSSubdomain), ...validatePodSpec(pod.spec, 'spec', true), ...podOnlyChecks(pod)];
}

const UPDATABLE_POD_SPEC_FIELDS = [
  '`spec.containers[*].image`',
  '`spec.initContainers[*].image`',
  '`spec.activeDeadlineSeconds`',
  '`spec.tolerations` (only additions to existing tolerations)',
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
];

/** Leaf paths where two JSON values differ, for the "pod updates may not change" diff. */
function diffPaths(a: unknown, b: unknown, path: string, out: string[]): void {
  if (deepEqual(a, b)) return;
  if (isObject(a) && isObject(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) diffPaths(a[k], b[k], path ? `${path}.${k}` : k, out);
  } else if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    a.forEach((x, i) => diffPaths(x, b[i], `${path}[${i}]`, out));
  } else {
    out.push(`- ${path}: ${JSON.stringify(a ?? null)}\n+ ${path}: ${JSON.stringify(b ?? null)}`);
  }
}

export function validatePodUpdate(pod: any, old: any): FieldError[] {
  const errs = [...validateObjectMetaUpdate(pod.metadata, old.metadata), ...validatePod(pod)];
  const spec = isObject(pod.spec) ? pod.spec : {};
  const oldSpec = isObject(old.spec) ? old.spec : {};
  for (const list of ['containers', 'initContainers']) {
    const n = asArray(spec[list]);
    if (n.length !== asArray(oldSpec[list]).length) {
      errs.push(forbiddenField(`spec.${list}`, 'pod updates may not add or remove containers'));
      return errs;
    }
  }
  const ads = spec.activeDeadlineSeconds;
  if (ads != null) {
    if (ads < 0 || ads > MAX_INT32) return [...errs, invalidValue('spec.activeDeadlineSeconds', ads, inclusiveRangeError(0, MAX_INT32))];
    if (oldSpec.activeDeadlineSeconds != null && oldSpec.activeDeadlineSeconds < ads) {
      return [...errs, invalidValue('spec.activeDeadlineSeconds', ads, 'must be less than or equal to previous value')];
    }
  } else if (oldSpec.activeDeadlineSeconds != null) {
    errs.push(invalidValue('spec.activeDeadlineSeconds', null, 'must not update from a positive integer to nil value'));
  }
  // Tolerations may only be added (tolerationSeconds of existing ones may change).
  const newTols = asArray(spec.tolerations);
  for (const t of asArray(oldSpec.tolerations)) {
    const found = newTols.some((n) => deepEqual({ ...t, tolerationSeconds: n?.tolerationSeconds }, n));
    if (!found) { errs.push(forbiddenField('spec.tolerations', 'existing toleration can not be modified except its tolerationSeconds')); break; }
  }
  if (deepEqual(spec, oldSpec)) return errs;
  const munged = structuredClone(spec);
  for (const list of ['containers', 'initContainers']) {
    asArray(munged[list]).forEach((c, i) => { if (isObject(c)) c.image = oldSpec[list][i]?.image; });
  }
  munged.activeDeadlineSeconds = oldSpec.activeDeadlineSeconds;
  munged.tolerations = oldSpec.tolerations;
  munged.schedulingGates = oldSpec.schedulingGates;
  if (typeof oldSpec.terminationGracePeriodSeconds === 'number' && oldSpec.terminationGracePeriodSeconds < 0 && munged.terminationGracePeriodSeconds === 1) {
    munged.terminationGracePeriodSeconds = oldSpec.terminationGracePeriodSeconds;
  }
  if (!deepEqual(munged, oldSpec)) {
    const diff: string[] = [];
    diffPaths(oldSpec, munged, 'spec', diff);
    errs.push(forbiddenField('spec', `pod updates may not change fields other than ${UPDATABLE_POD_SPEC_FIELDS.join(',')}\n${diff.join('\n')}`));
  }
  return errs;
}

export function validatePodStatus(pod: any, old: any): FieldError[] {
  const errs = validateObjectMetaUpdate(pod.metadata, old.metadata);
  const system = new Set(['PodScheduled', 'Ready', 'Initialized']);
  asArray(pod.status?.conditions).forEach((c, i) => {
    if (!system.has(c?.type)) errs.push(...each(`metadata.conditions[${i}].Type`, c?.type ?? '', qualifiedNameErrors(String(c?.type ?? ''))));
  });
  if ((pod.spec?.nodeName ?? '') !== (old.spec?.nodeName ?? '')) errs.push(forbiddenField('status.nodeName', 'may not be changed directly'));
  if ((pod.status?.qosClass ?? '') !== (old.status?.qosClass ?? '') && old.status?.qosClass) {
    errs.push(invalidValue('status.qosClass', pod.status?.qosClass ?? '', 'field is immutable'));
  }
  for (const [key, label] of [['podIPs', 'podIPs'], ['hostIPs', 'hostIPs']] as const) {
    const list = asArray(pod.status?.[key]);
    list.forEach((x, i) => errs.push(...validateIP(`status.${label}[${i}]`, x?.ip ?? '')));
    if (list.length > 1) {
      const fams = list.map((x) => ipFamilyOf(x?.ip ?? ''));
      if (list.length > 2 || fams[0] === fams[1]) errs.push(invalidValue(`status.${label}`, list, 'may specify no more than one IP for each IP family'));
      const seen = new Set<string>();
      list.forEach((x, i) => { if (seen.has(x?.ip)) errs.push(duplicate(`status.${label}[${i}]`, x)); seen.add(x?.ip); });
    }
  }
  const hostIPs = asArray(pod.status?.hostIPs);
  if (hostIPs.length && (pod.status?.hostIP ?? '') !== hostIPs[0]?.ip) {
    errs.push(invalidValue('status.hostIPs[0].ip', hostIPs[0]?.ip ?? '', 'must be equal to `hostIP`'));
  }
  return errs;
}
