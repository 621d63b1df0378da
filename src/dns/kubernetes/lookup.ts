// What exists at a name below `svc.<zone>` or `pod.<zone>`, and what points back at an IP.
// Follows CoreDNS's parseRequest/findServices/findPods (plugin/kubernetes/parse.go and
// kubernetes.go): a name resolves to a list of entries (an address and a port, or an
// ExternalName target), an empty list for a name that exists without records (an empty
// non-terminal), or undefined for a name that does not exist (NXDOMAIN).

import { canonicalIP, dashedIP, ipFromDashedLabel } from './addresses.ts';
import type { ResolvedOptions } from './options.ts';
import type { ClusterView, EndpointAddress, PortView, ServiceView } from './view.ts';

export interface Entry {
  /** Canonical address served at the name (A or AAAA by family). */
  ip?: string;
  /** ExternalName target: the name is a CNAME. */
  cname?: string;
  /** -1 when no port is declared: such entries give address records but no SRV. */
  port: number;
  /** Name an SRV answer points at: the Service, or the endpoint below it. */
  target: string;
}

/** Labels of a name below its zone, lower-cased, leftmost first; the last is `svc` or `pod`. */
export function lookupTree(view: ClusterView, o: ResolvedOptions, rel: string[], zone: string): Entry[] | undefined {
  const kind = rel[rel.length - 1];
  const segs = rel.slice(0, -1);
  if (kind === 'svc') return lookupService(view, o, segs, zone);
  if (kind === 'pod') return lookupPod(view, o, segs, zone);
  return undefined;
}

export function namespaceExposed(view: ClusterView, o: ResolvedOptions, namespace: string): boolean {
  return (o.namespaces.size === 0 || o.namespaces.has(namespace)) && view.hasNamespace(namespace);
}

/** Endpoints answer for a Service when ready, or always when it publishes not-ready addresses. */
export function servesEndpoint(svc: ServiceView, a: EndpointAddress): boolean {
  return a.ready || svc.publishNotReadyAddresses;
}

/** The endpoint's label under its Service: hostname, else pod name (option), else dashed IP. */
export function endpointHostname(a: EndpointAddress, o: ResolvedOptions): string {
  if (a.hostname) return a.hostname;
  if (o.endpointPodNames && a.podName) return a.podName;
  return dashedIP(a.ip);
}

const stripUnderscore = (s: string) => (s.startsWith('_') ? s.slice(1) : s);

function portMatches(p: PortView, port: string, protocol: string): boolean {
  return (port === '' || p.name.toLowerCase() === port) && (protocol === '' || p.protocol.toLowerCase() === protocol);
}

function lookupService(view: ClusterView, o: ResolvedOptions, segs: string[], zone: string): Entry[] | undefined {
  if (segs.length === 0) return []; // svc.<zone>
  const namespace = segs[segs.length - 1];
  if (!namespaceExposed(view, o, namespace)) return undefined;
  if (segs.length === 1) return []; // <ns>.svc.<zone>
  const svc = view.service(namespace, segs[segs.length - 2]);
  if (!svc) return undefined;
  // Two labels more are `_port._proto`, one is an endpoint; deeper names do not exist
  // (CoreDNS 1.9+ has no wildcards, so `*` is just a label that matches nothing).
  let endpoint = '';
  let port = '';
  let protocol = '';
  if (segs.length === 3) endpoint = segs[0];
  else if (segs.length === 4) {
    port = stripUnderscore(segs[0]);
    protocol = stripUnderscore(segs[1]);
  } else if (segs.length > 4) return undefined;

  const svcName = `${svc.name}.${svc.namespace}.svc.${zone}`;
  if (svc.type === 'ExternalName') {
    if (endpoint || port || protocol) return undefined;
    // An ExternalName that is an IP is not a name to alias: CoreDNS serves nothing for it.
    if (!svc.externalName || canonicalIP(svc.externalName) !== undefined) return undefined;
    return [{ cname: svc.externalName, port: -1, target: svcName }];
  }

  if (o.ignoreEmptyService && !svc.headless) {
    const ready = view.subsets(svc.namespace, svc.name).some((s) => s.addresses.some((a) => servesEndpoint(svc, a)));
    if (!ready) return undefined;
  }

  const entries: Entry[] = [];
  if (svc.headless || endpoint) {
    for (const subset of view.subsets(svc.namespace, svc.name)) {
      for (const a of subset.addresses) {
        if (!servesEndpoint(svc, a)) continue;
        const host = endpointHostname(a, o);
        if (endpoint && host.toLowerCase() !== endpoint) continue;
        for (const p of subset.ports) {
          if (portMatches(p, port, protocol)) entries.push({ ip: a.ip, port: p.port, target: `${host}.${svcName}` });
        }
      }
    }
  } else {
    for (const p of svc.ports) {
      if (!portMatches(p, port, protocol)) continue;
      for (const ip of svc.clusterIPs) entries.push({ ip, port: p.port, target: svcName });
    }
  }
  return entries.length > 0 ? entries : undefined;
}

function lookupPod(view: ClusterView, o: ResolvedOptions, segs: string[], zone: string): Entry[] | undefined {
  if (segs.length === 0) return []; // pod.<zone>
  if (o.pods === 'disabled') return undefined;
  const namespace = segs[segs.length - 1];
  if (!namespaceExposed(view, o, namespace)) return undefined;
  if (segs.length === 1) return []; // <ns>.pod.<zone>
  // CoreDNS ignores labels left of the pod label; knet treats such names as absent.
  if (segs.length > 2) return undefined;
  const label = segs[0];
  const ip = ipFromDashedLabel(label);
  if (ip === undefined) return undefined;
  if (o.pods === 'verified' && !view.podsByIP(ip).some((p) => p.namespace === namespace)) return undefined;
  return [{ ip, port: -1, target: `${label}.${namespace}.pod.${zone}` }];
}

/**
 * PTR targets for an address, under the primary zone: the Service owning it as a ClusterIP,
 * else every Service endpoint holding it (one name per Service selecting the pod).
 */
export function reverseTargets(view: ClusterView, o: ResolvedOptions, ip: string): string[] {
  for (const svc of view.servicesByIP(ip)) {
    if (!namespaceExposed(view, o, svc.namespace)) continue;
    return [`${svc.name}.${svc.namespace}.svc.${o.primaryZone}`];
  }
  const out = new Set<string>();
  for (const ep of view.endpointsByIP(ip)) {
    if (!namespaceExposed(view, o, ep.namespace)) continue;
    // Only addresses the forward name also serves, so that PTR and A agree.
    const svc = view.service(ep.namespace, ep.service);
    if (!svc || svc.type === 'ExternalName' || !servesEndpoint(svc, ep.address)) continue;
    out.add(`${endpointHostname(ep.address, o)}.${svc.name}.${svc.namespace}.svc.${o.primaryZone}`);
  }
  return [...out];
}
