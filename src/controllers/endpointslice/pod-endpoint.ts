// How one Pod becomes one endpoint of a Service: membership, conditions, addresses and
// the per-pod port resolution. Mirrors k8s.io/endpointslice utils.go + util/controller_utils.go
// (v1.33). The Endpoints controller shares the pod-level rules (readiness, terminal
// phases, hostname, named-port lookup), as upstream does.

import { addressTypeOf, canonicalIP, type AddressType } from './ip-family.ts';
import { LABEL_TOPOLOGY_ZONE } from './constants.ts';

export interface EndpointPort {
  name: string;
  protocol: string;
  port: number;
  appProtocol?: string;
}

export interface EndpointConditions {
  ready: boolean;
  serving: boolean;
  terminating: boolean;
}

export interface PodRef {
  kind: 'Pod';
  namespace: string;
  name: string;
  uid?: string;
}

/** discovery/v1 Endpoint as this controller writes it (field order as upstream serialises). */
export interface Endpoint {
  addresses: string[];
  conditions: EndpointConditions;
  hostname?: string;
  targetRef: PodRef;
  nodeName?: string;
  zone?: string;
}

/** PodReady condition is True. */
export function isPodReady(pod: any): boolean {
  const cond = (pod?.status?.conditions ?? []).find((c: any) => c?.type === 'Ready');
  return cond?.status === 'True';
}

/** Succeeded and Failed pods never come back, so they are never endpoints. */
export function isPodTerminal(pod: any): boolean {
  const phase = pod?.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

export function isPodTerminating(pod: any): boolean {
  return pod?.metadata?.deletionTimestamp != null;
}

/** ShouldPodBeInEndpoints: not terminal, has an IP, and (optionally) not terminating. */
export function shouldPodBeInEndpoints(pod: any, includeTerminating: boolean): boolean {
  if (isPodTerminal(pod)) return false;
  if (!pod?.status?.podIP && !(pod?.status?.podIPs?.length > 0)) return false;
  if (!includeTerminating && isPodTerminating(pod)) return false;
  return true;
}

/** Hostname is published only for pods that put themselves under this Service's subdomain. */
export function shouldSetHostname(pod: any, service: any): boolean {
  const hostname = pod?.spec?.hostname;
  return typeof hostname === 'string' && hostname.length > 0 &&
    pod?.spec?.subdomain === service?.metadata?.name &&
    (pod?.metadata?.namespace ?? '') === (service?.metadata?.namespace ?? '');
}

export function isServiceIPSet(service: any): boolean {
  const ip = service?.spec?.clusterIP;
  return typeof ip === 'string' && ip !== '' && ip !== 'None';
}

function protocolOf(p: any): string {
  return p?.protocol ?? 'TCP';
}

/**
 * FindPort: the container port a Service port targets on this pod. A named targetPort
 * is looked up (same name and protocol) in the regular containers, then in sidecars
 * (init containers with restartPolicy Always); undefined when the pod lacks it.
 */
export function findPort(pod: any, servicePort: any): number | undefined {
  const target = servicePort?.targetPort ?? servicePort?.port;
  if (typeof target === 'number') return target;
  if (typeof target !== 'string') return undefined;
  const proto = protocolOf(servicePort);
  const sidecars = (pod?.spec?.initContainers ?? []).filter((c: any) => c?.restartPolicy === 'Always');
  for (const c of [...(pod?.spec?.containers ?? []), ...sidecars]) {
    for (const p of c?.ports ?? []) {
      if (p?.name === target && protocolOf(p) === proto) return p.containerPort;
    }
  }
  return undefined;
}

/**
 * The slice ports this pod offers for the Service. Ports the pod cannot resolve are
 * left out, so such a pod lands in a slice with a smaller port set (upstream does the
 * same; it does not drop the pod). Headless Services may have no ports at all.
 */
export function endpointPortsFor(service: any, pod: any): EndpointPort[] {
  const out: EndpointPort[] = [];
  for (const sp of service?.spec?.ports ?? []) {
    const port = findPort(pod, sp);
    if (port === undefined) continue;
    const ep: EndpointPort = { name: sp.name ?? '', protocol: protocolOf(sp), port };
    if (sp.appProtocol !== undefined) ep.appProtocol = sp.appProtocol;
    out.push(ep);
  }
  return sortPorts(out);
}

/** A stable port order; upstream orders by an internal hash, so any fixed order is as good. */
export function sortPorts(ports: EndpointPort[]): EndpointPort[] {
  return [...ports].sort((a, b) =>
    cmp(a.name, b.name) || cmp(a.protocol, b.protocol) || a.port - b.port || cmp(a.appProtocol ?? '', b.appProtocol ?? ''));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Pod IPs of one family, canonicalised. status.podIPs first; podIP when podIPs is absent. */
export function podAddresses(pod: any, addressType: AddressType): string[] {
  const listed: string[] = (pod?.status?.podIPs ?? []).map((p: any) => p?.ip).filter((ip: any) => typeof ip === 'string');
  const ips = listed.length > 0 ? listed : (pod?.status?.podIP ? [pod.status.podIP] : []);
  return ips.filter((ip) => addressTypeOf(ip) === addressType).map(canonicalIP);
}

/** The address types (slice families) a Service wants, from spec.ipFamilies. */
export function addressTypesForService(service: any): AddressType[] {
  const fams: string[] = service?.spec?.ipFamilies ?? [];
  const out = new Set<AddressType>();
  for (const f of fams) if (f === 'IPv4' || f === 'IPv6') out.add(f);
  if (out.size > 0) return [...out].sort();
  // Only Services from an API server that predates ipFamilies get here (upstream keeps this
  // fallback): family of the ClusterIP, or both families when headless.
  if (isServiceIPSet(service)) return [addressTypeOf(service.spec.clusterIP) ?? 'IPv4'];
  return ['IPv4', 'IPv6'];
}

function podRef(pod: any): PodRef {
  const ref: PodRef = { kind: 'Pod', namespace: pod?.metadata?.namespace ?? '', name: pod?.metadata?.name ?? '' };
  if (pod?.metadata?.uid) ref.uid = pod.metadata.uid;
  return ref;
}

/**
 * podToEndpoint: serving is the pod's readiness; terminating is "deletion started";
 * ready = serving && !terminating, forced true by publishNotReadyAddresses.
 */
export function podToEndpoint(pod: any, node: any, service: any, addressType: AddressType): Endpoint {
  const serving = isPodReady(pod);
  const terminating = isPodTerminating(pod);
  const ready = service?.spec?.publishNotReadyAddresses === true || (serving && !terminating);
  const ep: Endpoint = { addresses: podAddresses(pod, addressType), conditions: { ready, serving, terminating } } as Endpoint;
  if (shouldSetHostname(pod, service)) ep.hostname = pod.spec.hostname;
  ep.targetRef = podRef(pod);
  if (pod?.spec?.nodeName) ep.nodeName = pod.spec.nodeName;
  const zone = node?.metadata?.labels?.[LABEL_TOPOLOGY_ZONE];
  if (typeof zone === 'string' && zone !== '') ep.zone = zone;
  return ep;
}
