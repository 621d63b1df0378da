// Services -> the elements of the proxy ruleset. Each Service port contributes set and map
// elements (and, with ClientIP affinity only, a few chains); nothing here writes rule text.
// The decisions follow kube-proxy's nftables proxier (syncProxyRules) per Service port:
// which endpoint list serves which traffic, and when traffic is rejected or dropped.

import { parseIPv4 } from '../lib/ip.ts';
import { portEndpoints, slicesByService, type Backend } from './endpoints.ts';
import { firewallSources } from './firewall.ts';
import {
  LOCAL_SERVICE_IPS, LOCAL_SERVICE_NODEPORTS, REJECT_CHAIN, SERVICE_IPS, SERVICE_NODEPORTS,
  affinityChainName, type DispatchFamily,
} from './names.ts';
import type { ServicePortView, ServiceView, SliceView, ProxySnapshot } from './snapshot.ts';

/** A ClientIP-affinity endpoint list: one chain, plus one chain and one set per endpoint. */
export interface AffinityGroup {
  chain: string;
  protocol: string;
  timeoutSeconds: number;
  backends: Backend[];
}

/** A Service the compiler could not (fully) program, for events and logs. */
export interface ProxyProblem {
  namespace: string;
  name: string;
  message: string;
}

export interface ProxyPlan {
  clusterIPs: Set<string>;
  externalIPs: Set<string>;
  externalIPsLocal: Set<string>;
  nodePorts: Set<string>;
  nodePortsLocal: Set<string>;
  hairpin: Set<string>;
  /** LoadBalancer keys subject to loadBalancerSourceRanges, and their (key . source range) pairs. */
  firewallIPs: Set<string>;
  firewallAllow: Set<string>;
  /** key -> 'goto reject-chain' | 'drop' */
  noEndpointServices: Map<string, string>;
  noEndpointNodePorts: Map<string, string>;
  /** family -> n -> key -> the n backends in slot order. */
  groups: Map<DispatchFamily, Map<number, Map<string, Backend[]>>>;
  /** family -> key -> affinity chain name. */
  affinityKeys: Map<DispatchFamily, Map<string, string>>;
  affinityGroups: Map<string, AffinityGroup>;
  problems: ProxyProblem[];
}

const PROTOCOLS: Record<string, string> = { TCP: 'tcp', UDP: 'udp', SCTP: 'sctp' };
const REJECT = `goto ${REJECT_CHAIN}`;

/** nodeIP: the node's primary address (kube-proxy's nodeIP), used by loadBalancerSourceRanges. */
export function planServices(snapshot: ProxySnapshot, nodeName: string, nodeIP?: string): ProxyPlan {
  const plan: ProxyPlan = {
    clusterIPs: new Set(), externalIPs: new Set(), externalIPsLocal: new Set(), nodePorts: new Set(),
    nodePortsLocal: new Set(), hairpin: new Set(), firewallIPs: new Set(), firewallAllow: new Set(), noEndpointServices: new Map(), noEndpointNodePorts: new Map(),
    groups: new Map(), affinityKeys: new Map(), affinityGroups: new Map(), problems: [],
  };
  const slices = slicesByService(snapshot.slices);
  for (const s of slices.values()) for (const slice of s) addHairpin(plan, slice, nodeName);
  // Sorted, so that when two Services claim the same address and port, the same one wins each time.
  const services = [...snapshot.services].sort((a, b) => compareKeys(`${a.namespace}/${a.name}`, `${b.namespace}/${b.name}`));
  const claimed = new Map<string, string>();
  for (const svc of services) {
    const problem = invalidService(svc);
    if (problem === 'ignored') continue;
    if (problem) {
      plan.problems.push({ namespace: svc.namespace, name: svc.name, message: problem });
      continue;
    }
    const own = slices.get(`${svc.namespace}/${svc.name}`) ?? [];
    plan.clusterIPs.add(svc.clusterIP);
    const vips = svc.type === 'LoadBalancer' ? [...new Set(svc.loadBalancerIPs)].filter((ip) => parseIPv4(ip) !== undefined) : [];
    const fw = firewallSources(svc, vips, nodeIP);
    for (const r of fw.invalid) {
      plan.problems.push({ namespace: svc.namespace, name: svc.name, message: `loadBalancerSourceRanges entry "${r}" is not a CIDR; ignored` });
    }
    const firewalled = new Set(fw.sources ? vips : []);
    for (const sp of svc.ports) planPort(plan, svc, sp, own, nodeName, claimed, firewalled, fw.sources ?? []);
  }
  return plan;
}

/** Why a Service cannot be programmed, 'ignored' for Services the proxy never handles. */
function invalidService(svc: ServiceView): string | undefined {
  // ExternalName is answered by DNS alone; headless Services have no virtual IP.
  if (svc.type === 'ExternalName' || svc.clusterIP === 'None' || svc.clusterIP === '') return 'ignored';
  // An IPv6 ClusterIP belongs to the ip6 table (not built yet), so it is not an error here.
  if (svc.clusterIP.includes(':')) return 'ignored';
  if (parseIPv4(svc.clusterIP) === undefined) return `clusterIP "${svc.clusterIP}" is not an IPv4 address`;
  if (svc.ports.length === 0) return 'the Service has no ports';
  const seen = new Set<string>();
  for (const p of svc.ports) {
    if (!PROTOCOLS[p.protocol]) return `port ${p.port}: protocol "${p.protocol}" is not TCP, UDP or SCTP`;
    if (p.port < 1 || p.port > 65535) return `port ${p.port} is out of range 1-65535`;
    if (p.nodePort < 0 || p.nodePort > 65535) return `nodePort ${p.nodePort} is out of range`;
    const k = `${p.protocol}/${p.port}`;
    if (seen.has(k)) return `port ${p.port}/${p.protocol} is listed twice`;
    seen.add(k);
  }
  if (svc.affinityTimeoutSeconds !== undefined && !(svc.affinityTimeoutSeconds >= 1 && svc.affinityTimeoutSeconds <= 86400)) {
    return `sessionAffinityConfig.clientIP.timeoutSeconds ${svc.affinityTimeoutSeconds} is outside 1-86400`;
  }
  return undefined;
}

function planPort(
  plan: ProxyPlan, svc: ServiceView, sp: ServicePortView, slices: SliceView[], nodeName: string, claimed: Map<string, string>,
  firewalled: Set<string>, sources: string[],
): void {
  const proto = PROTOCOLS[sp.protocol];
  const eps = portEndpoints(sp, slices, nodeName);
  const internal = svc.internalTrafficLocal ? eps.local : eps.cluster;
  const owner = `${svc.namespace}/${svc.name}`;
  const claim = (key: string, what: string): boolean => {
    const holder = claimed.get(key);
    if (holder === undefined) {
      claimed.set(key, owner);
      return true;
    }
    plan.problems.push({ namespace: svc.namespace, name: svc.name, message: `${what} ${key} is already used by Service ${holder}` });
    return false;
  };
  const route = (family: DispatchFamily, key: string, backends: Backend[], kind: 'cluster' | 'local') => {
    if (backends.length === 0) return;
    if (svc.affinityTimeoutSeconds !== undefined) {
      const chain = affinityChainName(kind, svc.namespace, svc.name, proto, sp.port);
      plan.affinityGroups.set(chain, { chain, protocol: proto, timeoutSeconds: svc.affinityTimeoutSeconds, backends });
      getMap(plan.affinityKeys, family).set(key, chain);
      return;
    }
    const byN = getMap(plan.groups, family);
    getMap(byN, backends.length).set(key, backends);
  };

  // ClusterIP: internal traffic policy decides the list; with Local and no local endpoint
  // the traffic is dropped (not rejected: endpoints exist, just not here).
  const clusterKey = `${svc.clusterIP} . ${proto} . ${sp.port}`;
  if (claim(clusterKey, 'address')) {
    if (!eps.hasAny) plan.noEndpointServices.set(clusterKey, REJECT);
    else if (internal.length === 0) plan.noEndpointServices.set(clusterKey, 'drop');
    route(SERVICE_IPS, clusterKey, internal, svc.internalTrafficLocal ? 'local' : 'cluster');
  }

  // Externally reachable addresses. Traffic from pods and from the node itself always
  // uses the cluster list (kube-proxy's short-circuit); with eTP=Local other sources use
  // the local list and keep their source address.
  const external = (key: string, ipFamily: DispatchFamily, localFamily: DispatchFamily, clusterSet: Set<string>, localSet: Set<string>, noEp: Map<string, string>) => {
    (svc.externalTrafficLocal ? localSet : clusterSet).add(key);
    if (!eps.hasAny) noEp.set(key, REJECT);
    else if (svc.externalTrafficLocal && eps.local.length === 0) noEp.set(key, 'drop');
    route(ipFamily, key, eps.cluster, 'cluster');
    if (svc.externalTrafficLocal) route(localFamily, key, eps.local, 'local');
  };
  const ingress = [...svc.externalIPs, ...(svc.type === 'LoadBalancer' ? svc.loadBalancerIPs : [])];
  for (const ip of new Set(ingress)) {
    if (parseIPv4(ip) === undefined) continue; // IPv6 entries belong to the ip6 table
    const key = `${ip} . ${proto} . ${sp.port}`;
    if (!claim(key, 'address')) continue;
    external(key, SERVICE_IPS, LOCAL_SERVICE_IPS, plan.externalIPs, plan.externalIPsLocal, plan.noEndpointServices);
    // Filtered whatever the endpoints: with none, an admitted client is rejected, others dropped.
    if (firewalled.has(ip)) {
      plan.firewallIPs.add(key);
      for (const src of sources) plan.firewallAllow.add(`${key} . ${src}`);
    }
  }
  if ((svc.type === 'NodePort' || svc.type === 'LoadBalancer') && sp.nodePort > 0) {
    const key = `${proto} . ${sp.nodePort}`;
    if (claim(key, 'nodePort')) external(key, SERVICE_NODEPORTS, LOCAL_SERVICE_NODEPORTS, plan.nodePorts, plan.nodePortsLocal, plan.noEndpointNodePorts);
  }
}

/** Pods on this node (or endpoints of user slices that name no node) may reach themselves. */
function addHairpin(plan: ProxyPlan, slice: SliceView, nodeName: string): void {
  for (const ep of slice.endpoints) {
    if ((ep.nodeName === undefined || ep.nodeName === nodeName) && parseIPv4(ep.address) !== undefined) {
      plan.hairpin.add(`${ep.address} . ${ep.address}`);
    }
  }
}

function getMap<K, K2, V>(m: Map<K, Map<K2, V>>, k: K): Map<K2, V> {
  let v = m.get(k);
  if (!v) m.set(k, (v = new Map()));
  return v;
}

/** Natural order: digit runs compare as numbers, so 10.96.0.9 sorts before 10.96.0.10. */
export function compareKeys(a: string, b: string): number {
  return compareTokens(naturalTokens(a), naturalTokens(b));
}

/** A key cut into text and number runs, numbers as numbers: `10.96.0.10 . tcp . 80`. */
type Tokens = (string | number)[];

function naturalTokens(s: string): Tokens {
  return (s.match(/\d+|\D+/g) ?? []).map((t) => (t.charCodeAt(0) >= 48 && t.charCodeAt(0) <= 57 ? Number(t) : t));
}

function compareTokens(ta: Tokens, tb: Tokens): number {
  for (let i = 0; i < Math.min(ta.length, tb.length); i++) {
    const x = ta[i], y = tb[i];
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    return String(x) < String(y) ? -1 : 1;
  }
  return ta.length - tb.length;
}

/**
 * Sorts by compareKeys' order, cutting each key into tokens once rather than on every
 * comparison (at 10,000 Services the compiler sorts about 100,000 keys per sync).
 */
export function sortByKey<T>(items: T[], key: (item: T) => string): T[] {
  return items.map((item) => ({ item, t: naturalTokens(key(item)) }))
    .sort((a, b) => compareTokens(a.t, b.t))
    .map((d) => d.item);
}
