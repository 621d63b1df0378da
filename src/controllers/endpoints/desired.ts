// The v1 Endpoints object the Endpoints controller writes for a selector Service, after
// upstream's Controller.syncService (pkg/controller/endpoint/endpoints_controller.go, v1.33).
// Unlike EndpointSlices, Endpoints are single-family (the Service's first ipFamily),
// omit terminating pods unless publishNotReadyAddresses, and cap at 1000 addresses.

import {
  ANNOTATION_OVER_CAPACITY, ANNOTATION_TRIGGER_TIME, LABEL_HEADLESS, addressTypeOf, findPort,
  isPodReady, isServiceIPSet, selectPods, serviceHasSelector, shouldPodBeInEndpoints, shouldSetHostname,
  type AddressType,
} from '../endpointslice/index.ts';
import { repackSubsets, type EndpointAddress, type EndpointSubset, type EndpointsPort } from './repack.ts';

/** maxCapacity: addresses (ready + not ready) one Endpoints object may carry. */
export const MAX_ENDPOINTS_CAPACITY = 1000;

export interface DesiredEndpointsOptions {
  /** The Endpoints object as it exists now; its other metadata is carried over, as upstream copies it. */
  current?: any;
  /** last-change-trigger-time value (see computeTriggerTime); absent clears the annotation. */
  triggerTime?: string;
}

/** The single family an Endpoints object carries for this Service and pod. */
function familyFor(service: any, pod: any): AddressType {
  const fams: string[] = service?.spec?.ipFamilies ?? [];
  if (fams[0] === 'IPv6' || fams[0] === 'IPv4') return fams[0];
  // Pre-ipFamilies API servers only: ClusterIP family, or the pod's primary IP when headless.
  if (isServiceIPSet(service)) return addressTypeOf(service.spec.clusterIP) ?? 'IPv4';
  return addressTypeOf(pod?.status?.podIP ?? '') ?? 'IPv4';
}

function podAddress(service: any, pod: any): EndpointAddress | undefined {
  const family = familyFor(service, pod);
  const listed: string[] = (pod?.status?.podIPs ?? []).map((p: any) => p?.ip);
  const ips = listed.length > 0 ? listed : [pod?.status?.podIP];
  const ip = ips.find((i) => typeof i === 'string' && addressTypeOf(i) === family);
  if (!ip) return undefined;
  const addr: EndpointAddress = { ip };
  if (shouldSetHostname(pod, service)) addr.hostname = pod.spec.hostname;
  if (pod?.spec?.nodeName) addr.nodeName = pod.spec.nodeName;
  addr.targetRef = { kind: 'Pod', namespace: pod?.metadata?.namespace ?? '', name: pod?.metadata?.name ?? '' };
  if (pod?.metadata?.uid) addr.targetRef.uid = pod.metadata.uid;
  return addr;
}

/** The repacked subsets for `service`, before truncation. */
export function desiredSubsets(service: any, pods: any[]): EndpointSubset[] {
  if (!serviceHasSelector(service)) return [];
  const tolerateUnready = service.spec?.publishNotReadyAddresses === true;
  const servicePorts: any[] = service.spec?.ports ?? [];
  const pieces: EndpointSubset[] = [];
  for (const pod of selectPods(service, pods)) {
    if (!shouldPodBeInEndpoints(pod, tolerateUnready)) continue;
    const addr = podAddress(service, pod);
    if (!addr) continue;
    const ready = tolerateUnready || isPodReady(pod);
    const piece = (ports: EndpointsPort[]): EndpointSubset =>
      ready ? { addresses: [addr], ports } : { notReadyAddresses: [addr], ports };
    if (servicePorts.length === 0) {
      // Only headless Services may have no ports; their addresses go out portless.
      if (service.spec?.clusterIP === 'None') pieces.push(piece([]));
      continue;
    }
    for (const sp of servicePorts) {
      const port = findPort(pod, sp);
      if (port === undefined) continue;
      const ep: EndpointsPort = { name: sp.name ?? '', port, protocol: sp.protocol ?? 'TCP' };
      if (sp.appProtocol != null) ep.appProtocol = sp.appProtocol;
      pieces.push(piece([ep]));
    }
  }
  return repackSubsets(pieces);
}

/**
 * truncateEndpoints: keep at most 1000 addresses, ready ones first. Each subset keeps a
 * share proportional to its size (rounded up, so later subsets may get fewer). Returns
 * whether anything was cut.
 */
export function truncateSubsets(subsets: EndpointSubset[]): boolean {
  let totalReady = 0, totalNotReady = 0;
  for (const s of subsets) {
    totalReady += s.addresses?.length ?? 0;
    totalNotReady += s.notReadyAddresses?.length ?? 0;
  }
  if (totalReady + totalNotReady <= MAX_ENDPOINTS_CAPACITY) return false;
  const cutReady = totalReady > MAX_ENDPOINTS_CAPACITY;
  const budget = cutReady ? MAX_ENDPOINTS_CAPACITY : MAX_ENDPOINTS_CAPACITY - totalReady;
  const total = cutReady ? totalReady : totalNotReady;
  let left = budget;
  for (const s of subsets) {
    const n = (cutReady ? s.addresses?.length : s.notReadyAddresses?.length) ?? 0;
    const share = Math.min(Math.ceil((n / total) * budget), left);
    if (cutReady) {
      if (s.addresses) s.addresses = s.addresses.slice(0, share);
      delete s.notReadyAddresses;
      left -= s.addresses?.length ?? 0;
    } else {
      if (s.notReadyAddresses) s.notReadyAddresses = s.notReadyAddresses.slice(0, share);
      left -= s.notReadyAddresses?.length ?? 0;
    }
    if (s.addresses?.length === 0) delete s.addresses;
    if (s.notReadyAddresses?.length === 0) delete s.notReadyAddresses;
  }
  return true;
}

/**
 * The Endpoints object to write for `service`: named after it, the Service's labels
 * (plus the headless marker for clusterIP None), canonical subsets, trigger-time and
 * over-capacity annotations. Callers skip Services without a selector or of type
 * ExternalName (serviceHasSelector); this returns an empty object for them.
 */
export function desiredEndpointsObject(service: any, pods: any[], opts: DesiredEndpointsOptions = {}): any {
  const cur = opts.current;
  const metadata: any = cur ? structuredClone(cur.metadata ?? {}) : {};
  metadata.name = service?.metadata?.name ?? '';
  metadata.namespace = service?.metadata?.namespace ?? '';
  const labels: Record<string, string> = { ...(service?.metadata?.labels ?? {}) };
  if (isServiceIPSet(service)) delete labels[LABEL_HEADLESS];
  else labels[LABEL_HEADLESS] = '';
  metadata.labels = labels;

  const subsets = desiredSubsets(service, pods);
  const annotations: Record<string, string> = { ...(metadata.annotations ?? {}) };
  if (opts.triggerTime) annotations[ANNOTATION_TRIGGER_TIME] = opts.triggerTime;
  else delete annotations[ANNOTATION_TRIGGER_TIME];
  if (truncateSubsets(subsets)) annotations[ANNOTATION_OVER_CAPACITY] = 'truncated';
  else delete annotations[ANNOTATION_OVER_CAPACITY];
  if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
  else delete metadata.annotations;

  const obj: any = { apiVersion: 'v1', kind: 'Endpoints', metadata };
  if (subsets.length > 0) obj.subsets = subsets;
  return obj;
}
