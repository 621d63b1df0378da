// Identity and metadata of EndpointSlices: the keys the reconciler groups and matches
// on, the labels a slice must carry, ownership, and new-slice construction.
// Mirrors k8s.io/endpointslice utils.go, util/endpointset.go, util/controller_utils.go (v1.33).

import {
  ANNOTATION_TRIGGER_TIME, LABEL_HEADLESS, LABEL_MANAGED_BY, LABEL_SERVICE_NAME,
} from './constants.ts';
import type { AddressType } from './ip-family.ts';
import { isServiceIPSet, sortPorts, type Endpoint, type EndpointPort } from './pod-endpoint.ts';

/** Ports as the API may return them (name/protocol defaulted), in canonical order. */
export function normalizePorts(ports: any[] | undefined | null): EndpointPort[] {
  return sortPorts((ports ?? []).map((p: any) => {
    const out: EndpointPort = { name: p?.name ?? '', protocol: p?.protocol ?? 'TCP', port: p?.port };
    if (p?.appProtocol != null) out.appProtocol = p.appProtocol;
    return out;
  }));
}

/** Port-set identity: order-insensitive, nil and empty equal (upstream NewPortMapKey). */
export function portSetKey(ports: any[] | undefined | null): string {
  return JSON.stringify(normalizePorts(ports).map((p) => [p.name, p.protocol, p.port ?? null, p.appProtocol ?? null]));
}

/**
 * Endpoint identity (upstream hashEndpoint): addresses, hostname and the target's
 * namespace/name. Everything else (conditions, node, zone, uid) can change in place.
 */
export function endpointKey(ep: any): string {
  const addrs = [...(ep?.addresses ?? [])].sort();
  return JSON.stringify([addrs, ep?.hostname ?? '', ep?.targetRef?.namespace ?? '', ep?.targetRef?.name ?? '']);
}

function optChanged(a: unknown, b: unknown): boolean {
  return (a == null) !== (b == null) || (a != null && a !== b);
}

const REF_FIELDS = ['kind', 'namespace', 'name', 'uid', 'apiVersion', 'fieldPath'] as const;

/** EndpointsEqualBeyondHash: the non-identity fields, ignoring targetRef.resourceVersion. */
export function endpointsEqualBeyondKey(a: any, b: any): boolean {
  if (optChanged(a?.nodeName, b?.nodeName) || optChanged(a?.zone, b?.zone)) return false;
  for (const c of ['ready', 'serving', 'terminating'] as const) {
    if (optChanged(a?.conditions?.[c], b?.conditions?.[c])) return false;
  }
  const ra = a?.targetRef, rb = b?.targetRef;
  if ((ra == null) !== (rb == null)) return false;
  if (ra != null) for (const f of REF_FIELDS) if ((ra[f] ?? '') !== (rb[f] ?? '')) return false;
  return true;
}

function isReservedLabel(key: string): boolean {
  return key === LABEL_SERVICE_NAME || key === LABEL_MANAGED_BY || key === LABEL_HEADLESS;
}

function sameMap(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a), kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && a[k] === b[k]);
}

/**
 * setEndpointSliceLabels: the Service's own labels (reserved keys skipped), the headless
 * marker for clusterIP None, and the service-name / managed-by pair. `changed` reports
 * only a difference in the copied Service labels: a headless flip alone does not
 * trigger an update, as upstream.
 */
export function sliceLabels(slice: any, service: any, controllerName: string): { labels: Record<string, string>; changed: boolean } {
  const sliceOwn: Record<string, string> = {};
  for (const [k, v] of Object.entries<string>(slice?.metadata?.labels ?? {})) if (!isReservedLabel(k)) sliceOwn[k] = v;
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries<string>(service?.metadata?.labels ?? {})) if (!isReservedLabel(k)) labels[k] = v;
  const changed = !sameMap(sliceOwn, labels);
  if (!isServiceIPSet(service)) labels[LABEL_HEADLESS] = '';
  labels[LABEL_SERVICE_NAME] = service?.metadata?.name ?? '';
  labels[LABEL_MANAGED_BY] = controllerName;
  return { labels, changed };
}

/** generateName prefix: "<service>-", or the bare name if the dash would make it invalid. */
export function slicePrefix(serviceName: string): string {
  // A Service name is a DNS label (<= 63), so the dashed prefix always fits in a DNS
  // subdomain; the API server's name generator trims the base to 58 characters.
  return serviceName.length + 1 <= 253 ? `${serviceName}-` : serviceName;
}

export function serviceOwnerRef(service: any): any {
  return {
    apiVersion: 'v1', kind: 'Service', name: service?.metadata?.name ?? '', uid: service?.metadata?.uid ?? '',
    controller: true, blockOwnerDeletion: true,
  };
}

/** ownedBy: a v1 Service owner reference carrying this Service's UID. */
export function ownedBy(slice: any, service: any): boolean {
  const uid = service?.metadata?.uid;
  return (slice?.metadata?.ownerReferences ?? []).some((o: any) => o?.uid === uid && o?.kind === 'Service' && o?.apiVersion === 'v1');
}

export function isManagedBy(slice: any, service: any, controllerName: string): boolean {
  const l = slice?.metadata?.labels ?? {};
  return l[LABEL_MANAGED_BY] === controllerName && l[LABEL_SERVICE_NAME] === service?.metadata?.name &&
    (slice?.metadata?.namespace ?? '') === (service?.metadata?.namespace ?? '');
}

export function newEndpointSlice(service: any, addressType: AddressType, ports: EndpointPort[], controllerName: string): any {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      generateName: slicePrefix(service?.metadata?.name ?? ''),
      namespace: service?.metadata?.namespace ?? '',
      labels: sliceLabels(undefined, service, controllerName).labels,
      ownerReferences: [serviceOwnerRef(service)],
    },
    addressType,
    endpoints: [] as Endpoint[],
    ports: ports.map((p) => ({ ...p })),
  };
}

/**
 * placeholderSliceCompare: an existing empty slice equals the placeholder we would
 * create when namespace, labels, owner references, address type, ports and endpoints
 * all match (nil and empty lists equal).
 */
export function placeholderEquals(existing: any, placeholder: any): boolean {
  const em = existing?.metadata ?? {}, pm = placeholder.metadata;
  if ((em.namespace ?? '') !== pm.namespace) return false;
  if (!sameMap(em.labels ?? {}, pm.labels)) return false;
  const refKey = (o: any) => JSON.stringify([o?.apiVersion ?? '', o?.kind ?? '', o?.name ?? '', o?.uid ?? '', o?.controller ?? null, o?.blockOwnerDeletion ?? null]);
  const eo = (em.ownerReferences ?? []).map(refKey), po = pm.ownerReferences.map(refKey);
  if (eo.length !== po.length || eo.some((k: string, i: number) => k !== po[i])) return false;
  return existing.addressType === placeholder.addressType &&
    (existing.endpoints ?? []).length === 0 && portSetKey(existing.ports) === portSetKey(placeholder.ports);
}

/** Set (or clear, when no trigger time is known) the last-change-trigger-time annotation. */
export function setTriggerTime(slice: any, triggerTime: string | undefined): void {
  const ann = { ...(slice.metadata.annotations ?? {}) };
  if (triggerTime) ann[ANNOTATION_TRIGGER_TIME] = triggerTime;
  else delete ann[ANNOTATION_TRIGGER_TIME];
  if (Object.keys(ann).length > 0) slice.metadata.annotations = ann;
  else delete slice.metadata.annotations;
}
