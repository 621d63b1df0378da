// Validation and defaulting of API objects as kube-apiserver 1.33 does them, keyed by
// resourceKey() ('services', 'deployments.apps', ...). Kinds without their own rules fall back
// to ObjectMeta checks. Messages follow k8s.io/apimachinery's field errors so kubectl prints
// the text users know.

import type { FieldError } from '../../lib/field-errors.ts';
import { RESOURCES, resourceKey } from '../../k8s/resources.ts';
import { validateAppsUpdate, validateDeployment, validateReplicaSet, validateReplicasStatus } from './apps.ts';
import {
  validateConfigMap, validateEvent, validateNamespace, validateNamespaceStatus, validateNode, validateSecret,
} from './core-misc.ts';
import { validateEndpointSlice, validateEndpoints } from './endpoints.ts';
import { isObject, validateObjectMeta, validateObjectMetaUpdate } from './meta.ts';
import type { NameValidator } from './names.ts';
import { nameIsDNSSubdomain } from './names.ts';
import {
  validateIngress, validateIngressClass, validateIngressClassUpdate, validateIngressCreate, validateIngressStatus,
  validateNetworkPolicy,
} from './networking.ts';
import { validatePod, validatePodStatus, validatePodUpdate } from './pod.ts';
import { validateService, validateServiceStatus, validateServiceUpdate } from './service.ts';

export { applyDefaults, imageTag } from './defaults.ts';
export { prepareServiceUpdate } from './service.ts';
export {
  cidrContains, dns1035LabelErrors, dns1123LabelErrors, dns1123SubdomainErrors, ipFamilyOf, isDNS1035Label,
  isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidCIDR, isValidIP, labelValueErrors, portNameErrors,
  qualifiedNameErrors, validateLabels,
} from './names.ts';
export { selectorMatches, validateLabelSelector } from './meta.ts';

interface KindRules {
  create: (o: any) => FieldError[];
  update?: (o: any, old: any) => FieldError[];
  status?: (o: any, old: any) => FieldError[];
}

const metaOnly = (namespaced: boolean, nameFn: NameValidator = nameIsDNSSubdomain): KindRules => ({
  create: (o) => validateObjectMeta(o.metadata, namespaced, nameFn),
});

/** Upstream ValidateXUpdate = ValidateObjectMetaUpdate + ValidateX (+ kind-specific rules). */
const withMetaUpdate = (create: (o: any) => FieldError[]) => (o: any, old: any) => [...validateObjectMetaUpdate(o.metadata, old.metadata), ...create(o)];

const RULES: Record<string, KindRules> = {
  namespaces: { create: validateNamespace, update: (o, old) => validateObjectMetaUpdate(o.metadata, old.metadata), status: validateNamespaceStatus },
  nodes: { create: (o) => validateNode(o), update: (o, old) => validateNode(o, old) },
  pods: { create: validatePod, update: validatePodUpdate, status: validatePodStatus },
  services: { create: validateService, update: validateServiceUpdate, status: validateServiceStatus },
  endpoints: { create: (o) => validateEndpoints(o), update: (o, old) => validateEndpoints(o, old) },
  configmaps: { create: (o) => validateConfigMap(o), update: (o, old) => validateConfigMap(o, old) },
  secrets: { create: (o) => validateSecret(o), update: (o, old) => validateSecret(o, old) },
  events: { create: validateEvent },
  'deployments.apps': {
    create: validateDeployment,
    update: (o, old) => validateAppsUpdate(o, old, validateDeployment),
    status: (o, old) => validateReplicasStatus(o, old, true),
  },
  'replicasets.apps': {
    create: validateReplicaSet,
    update: (o, old) => validateAppsUpdate(o, old, validateReplicaSet),
    status: (o, old) => validateReplicasStatus(o, old, false),
  },
  'endpointslices.discovery.k8s.io': { create: (o) => validateEndpointSlice(o), update: (o, old) => validateEndpointSlice(o, old) },
  'ingresses.networking.k8s.io': { create: validateIngressCreate, update: withMetaUpdate(validateIngress), status: validateIngressStatus },
  'ingressclasses.networking.k8s.io': { create: validateIngressClass, update: validateIngressClassUpdate },
  'networkpolicies.networking.k8s.io': { create: validateNetworkPolicy, update: withMetaUpdate(validateNetworkPolicy) },
};

const NAMESPACED = new Map(RESOURCES.map((r) => [resourceKey(r), r.namespaced]));

function rulesFor(key: string, obj: any): KindRules {
  const known = RULES[key];
  if (known) return known;
  // Unknown kinds are judged namespaced by the table, or by the object when not in it.
  return metaOnly(NAMESPACED.get(key) ?? Boolean(obj?.metadata?.namespace));
}

/** Upstream aggregates identical errors into one line; so do we. */
function unique(errs: FieldError[]): FieldError[] {
  const seen = new Set<string>();
  return errs.filter((e) => {
    const k = `${e.type}|${e.field}|${e.detail ?? ''}|${JSON.stringify(e.value ?? null)}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Validate a whole object on create (old undefined) or update (old = stored object). */
export function validateObject(key: string, obj: any, old?: any): FieldError[] {
  const o = isObject(obj) ? obj : {};
  const rules = rulesFor(key, o);
  if (old === undefined) return unique(rules.create(o));
  const update = rules.update ?? withMetaUpdate(rules.create);
  return unique(update(o, isObject(old) ? old : {}));
}

/** Validate a status-subresource update; kinds without status rules check ObjectMeta only. */
export function validateStatus(key: string, obj: any, old: any): FieldError[] {
  const o = isObject(obj) ? obj : {};
  const prev = isObject(old) ? old : {};
  const rules = rulesFor(key, o);
  return unique(rules.status ? rules.status(o, prev) : validateObjectMetaUpdate(o.metadata, prev.metadata));
}
