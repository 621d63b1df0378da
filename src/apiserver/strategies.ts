// Per-resource behaviour of the generic registry, as upstream's registry strategies define it:
// which fields a field selector may name, what the status subresource may change, how status is
// initialised on create. Everything not listed here is handled the same way for every resource.

import { ApiError } from '../lib/errors.ts';
import { resourceKey } from '../k8s/resources.ts';
import type { ResourceInfo } from '../k8s/resources.ts';

type FieldGetter = (obj: any) => string;

const meta: Record<string, FieldGetter> = {
  'metadata.name': (o) => o.metadata?.name ?? '',
  'metadata.namespace': (o) => o.metadata?.namespace ?? '',
};

const s = (v: unknown) => (v === undefined || v === null ? '' : String(v));

/** Extra selectable fields per resource key (k/k pkg/registry/<x>/strategy.go *ToSelectableFields). */
const extraFields: Record<string, Record<string, FieldGetter>> = {
  pods: {
    'spec.nodeName': (o) => s(o.spec?.nodeName),
    'spec.restartPolicy': (o) => s(o.spec?.restartPolicy),
    'spec.schedulerName': (o) => s(o.spec?.schedulerName),
    'spec.serviceAccountName': (o) => s(o.spec?.serviceAccountName),
    'spec.hostNetwork': (o) => String(Boolean(o.spec?.hostNetwork)),
    'status.phase': (o) => s(o.status?.phase),
    'status.podIP': (o) => s(o.status?.podIP),
    'status.nominatedNodeName': (o) => s(o.status?.nominatedNodeName),
  },
  events: {
    'involvedObject.kind': (o) => s(o.involvedObject?.kind),
    'involvedObject.namespace': (o) => s(o.involvedObject?.namespace),
    'involvedObject.name': (o) => s(o.involvedObject?.name),
    'involvedObject.uid': (o) => s(o.involvedObject?.uid),
    'involvedObject.apiVersion': (o) => s(o.involvedObject?.apiVersion),
    'involvedObject.resourceVersion': (o) => s(o.involvedObject?.resourceVersion),
    'involvedObject.fieldPath': (o) => s(o.involvedObject?.fieldPath),
    reason: (o) => s(o.reason),
    reportingComponent: (o) => s(o.reportingComponent),
    source: (o) => s(o.source?.component),
    type: (o) => s(o.type),
  },
  secrets: { type: (o) => s(o.type) },
  nodes: { 'spec.unschedulable': (o) => String(Boolean(o.spec?.unschedulable)) },
  namespaces: { 'status.phase': (o) => s(o.status?.phase) },
  'replicasets.apps': { 'status.replicas': (o) => s(o.status?.replicas ?? 0) },
};

/** The values of every selectable field of `obj`; throws 400 for a field the resource lacks. */
export function selectableFields(r: ResourceInfo, obj: any, wanted: string[]): Record<string, string> {
  const getters = { ...meta, ...(extraFields[resourceKey(r)] ?? {}) };
  const out: Record<string, string> = {};
  for (const f of wanted) {
    const g = getters[f];
    if (!g) throw new ApiError('BadRequest', `field label not supported: ${f}`);
    out[f] = g(obj);
  }
  return out;
}

export function checkFieldSelector(r: ResourceInfo, fields: string[]): void {
  selectableFields(r, {}, fields);
}

export function hasStatus(r: ResourceInfo): boolean {
  return r.subresources.some((x) => x.name === 'status');
}

/** Status an object starts with, whatever the client sent (PrepareForCreate). */
export function initialStatus(r: ResourceInfo, obj: any): unknown {
  switch (resourceKey(r)) {
    case 'namespaces':
      return { phase: 'Active' };
    case 'pods':
      return { phase: 'Pending', qosClass: qosClass(obj) };
    case 'nodes':
      return obj.status; // the node agent registers its node with its status
    case 'services':
      return { loadBalancer: {} };
    default:
      return hasStatus(r) ? undefined : obj.status;
  }
}

/** Pod QoS class from requests and limits (k/k pkg/apis/core/helper/qos). */
function qosClass(pod: any): string {
  const containers = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])];
  let any = false;
  let guaranteed = true;
  for (const c of containers) {
    const req = c.resources?.requests ?? {};
    const lim = c.resources?.limits ?? {};
    if (Object.keys(req).length || Object.keys(lim).length) any = true;
    for (const k of ['cpu', 'memory']) {
      if (!lim[k] || (req[k] !== undefined && req[k] !== lim[k])) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

/** Whether a change from `old` to `obj` touches anything but metadata and status. */
export function specChanged(old: any, obj: any): boolean {
  const strip = (o: any) => {
    const { metadata: _m, status: _s, ...rest } = o ?? {};
    return JSON.stringify(rest);
  };
  return strip(old) !== strip(obj);
}
