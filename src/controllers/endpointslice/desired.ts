// The endpoints a Service wants, grouped the way the reconciler slices them: one group
// per (address type, port set). Mirrors the first half of upstream's
// reconcileByAddressType (k8s.io/endpointslice reconciler.go, v1.33).

import { fromMap, matchesLabels } from '../../k8s/selectors.ts';
import type { AddressType } from './ip-family.ts';
import {
  addressTypesForService, endpointPortsFor, podToEndpoint, shouldPodBeInEndpoints,
  type Endpoint, type EndpointPort,
} from './pod-endpoint.ts';
import { endpointKey, portSetKey } from './slice-meta.ts';

export interface EndpointGroup {
  addressType: AddressType;
  ports: EndpointPort[];
  /** Sorted by pod namespace/name, so output does not depend on input order. */
  endpoints: Endpoint[];
}

/** A pod left out because its Node is unknown; upstream retries the Service later. */
export interface SkippedPod {
  namespace: string;
  name: string;
  nodeName: string;
  message: string;
}

export interface DesiredEndpoints {
  /** Families the Service serves; slices of any other family are deleted. */
  addressTypes: AddressType[];
  groups: EndpointGroup[];
  skipped: SkippedPod[];
}

/** Services the controller manages at all: a selector is set and the type is not ExternalName. */
export function serviceHasSelector(service: any): boolean {
  return service?.spec?.selector != null && service?.spec?.type !== 'ExternalName';
}

/** Pods the Service's selector picks, in its namespace. A nil selector matches nothing. */
export function selectPods(service: any, pods: any[]): any[] {
  if (!serviceHasSelector(service)) return [];
  const sel = fromMap(service.spec.selector);
  const ns = service.metadata?.namespace ?? '';
  return pods.filter((p) => (p?.metadata?.namespace ?? '') === ns && matchesLabels(sel, p?.metadata?.labels));
}

/**
 * The endpoints `service` wants. `pods` may be all pods: only those in the Service's
 * namespace matching its selector count. Terminating pods stay in (ready=false,
 * serving=<pod Ready>, terminating=true); terminal pods and pods without an IP do not.
 * When `nodesByName` is given, a pod on an unknown Node is skipped unless the Service
 * publishes not-ready addresses, and the zone comes from the Node's topology label.
 */
export function desiredEndpoints(service: any, pods: any[], nodesByName?: Map<string, any>): DesiredEndpoints {
  if (!serviceHasSelector(service)) return { addressTypes: [], groups: [], skipped: [] };
  const addressTypes = addressTypesForService(service);
  const groups = new Map<string, EndpointGroup>();
  const skipped: SkippedPod[] = [];
  const svcName = service.metadata?.name ?? '';
  const svcNs = service.metadata?.namespace ?? '';
  const selected = selectPods(service, pods).filter((p) => shouldPodBeInEndpoints(p, true));

  for (const pod of selected) {
    const nodeName: string = pod.spec?.nodeName ?? '';
    const node = nodesByName?.get(nodeName);
    if (nodesByName && !node && service.spec?.publishNotReadyAddresses !== true) {
      const podName = pod.metadata?.name ?? '';
      if (!skipped.some((s) => s.name === podName)) {
        skipped.push({ namespace: svcNs, name: podName, nodeName,
          message: `skipping Pod ${podName} for Service ${svcNs}/${svcName}: Node ${nodeName} Not Found` });
      }
      continue;
    }
    const ports = endpointPortsFor(service, pod);
    for (const addressType of addressTypes) {
      const ep = podToEndpoint(pod, node, service, addressType);
      if (ep.addresses.length === 0) continue;
      const key = `${addressType}|${portSetKey(ports)}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { addressType, ports, endpoints: [] }));
      g.endpoints.push(ep);
    }
  }

  const sorted = [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, g]) => g);
  for (const g of sorted) {
    // A set keyed by endpoint identity, as upstream's EndpointSet: a pod listed twice
    // (e.g. a stale cache entry) yields one endpoint.
    const byKey = new Map<string, Endpoint>();
    for (const ep of g.endpoints) byKey.set(endpointKey(ep), ep);
    g.endpoints = [...byKey.values()].sort(compareEndpoints);
  }
  return { addressTypes, groups: sorted, skipped };
}

export function compareEndpoints(a: Endpoint, b: Endpoint): number {
  const ka = `${a.targetRef?.namespace ?? ''}/${a.targetRef?.name ?? ''}/${a.addresses.join(',')}`;
  const kb = `${b.targetRef?.namespace ?? ''}/${b.targetRef?.name ?? ''}/${b.addresses.join(',')}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}
