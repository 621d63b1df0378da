// One Service -> its elements of the proxy ruleset. Each Service port contributes set and map
// elements (and, with ClientIP affinity only, a few chains); nothing here writes rule text.
// A contribution depends on that Service and its slices alone, so a change to one Service is
// recompiled alone (state.ts merges contributions).
// The decisions follow kube-proxy's nftables proxier (syncProxyRules) per Service port:
// which endpoint list serves which traffic, and when traffic is rejected or dropped.

import { parseIPv4 } from '../lib/ip.ts';
import { portEndpoints, type Backend } from './endpoints.ts';
import { firewallSources } from './firewall.ts';
import {
  CLUSTER_IPS, EXTERNAL_IPS, EXTERNAL_IPS_LOCAL, FIREWALL_ALLOW, FIREWALL_IPS, HAIRPIN_ENDPOINTS,
  LOCAL_SERVICE_IPS, LOCAL_SERVICE_NODEPORTS, NODEPORTS, NODEPORTS_LOCAL, NO_ENDPOINT_NODEPORTS,
  NO_ENDPOINT_SERVICES, REJECT_CHAIN, SERVICE_IPS, SERVICE_NODEPORTS,
  affinityChainName, affinityMapName, groupMapName, groupSetName, type DispatchFamily,
} from './names.ts';
import type { ServicePortView, ServiceView, SliceView } from './snapshot.ts';

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

/** One set element (value '') or map element of the ruleset, by set or map name. */
export interface RuleElement {
  container: string;
  key: string;
  value: string;
}

/**
 * What one Service port's address or NodePort brings to the ruleset, if the Service holds it.
 * Two Services may claim the same key (a bad spec, or a race between allocations): the first
 * in name order holds it and the other loses only that key.
 */
export interface ClaimUnit {
  key: string;
  what: 'address' | 'nodePort';
  elements: RuleElement[];
  affinity: AffinityGroup[];
}

/**
 * Everything one Service (with its EndpointSlices) contributes, computed from that Service
 * alone: the unit of incremental compilation. `owner` is `<namespace>/<name>`.
 */
export interface ServiceContribution {
  owner: string;
  /** Elements that do not depend on holding a key (the ClusterIP, hairpin pairs). */
  base: RuleElement[];
  claims: ClaimUnit[];
  problems: string[];
}

const PROTOCOLS: Record<string, string> = { TCP: 'tcp', UDP: 'udp', SCTP: 'sctp' };
const REJECT = `goto ${REJECT_CHAIN}`;

/**
 * The contribution of Service `owner`: `svc` is undefined when only slices exist (they still
 * give hairpin pairs). `slices` are the Service's slices, any order. nodeIP: the node's
 * primary address (kube-proxy's nodeIP), used by loadBalancerSourceRanges; nodeZone: its
 * topology zone label, for zone hints; hairpinSet: give hairpin pairs (hairpinMode 'set').
 */
export function planService(
  owner: string, svc: ServiceView | undefined, slices: readonly SliceView[], nodeName: string, nodeIP?: string, nodeZone?: string,
  hairpinSet = true,
): ServiceContribution {
  const c: ServiceContribution = { owner, base: [], claims: [], problems: [] };
  // IPv4 slices only, in name order (so duplicates resolve the same way each time).
  const own = slices.filter((s) => s.addressType === 'IPv4' && s.serviceName !== '')
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (hairpinSet) for (const slice of own) addHairpin(c, slice, nodeName);
  if (!svc) return c;
  const problem = invalidService(svc);
  if (problem === 'ignored') return c;
  if (problem) {
    c.problems.push(problem);
    return c;
  }
  c.base.push({ container: CLUSTER_IPS, key: svc.clusterIP, value: '' });
  const vips = svc.type === 'LoadBalancer' ? [...new Set(svc.loadBalancerIPs)].filter((ip) => parseIPv4(ip) !== undefined) : [];
  const fw = firewallSources(svc, vips, nodeIP);
  for (const r of fw.invalid) c.problems.push(`loadBalancerSourceRanges entry "${r}" is not a CIDR; ignored`);
  const firewalled = new Set(fw.sources ? vips : []);
  for (const sp of svc.ports) planPort(c, svc, sp, own, nodeName, firewalled, fw.sources ?? [], nodeZone);
  return c;
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
  c: ServiceContribution, svc: ServiceView, sp: ServicePortView, slices: SliceView[], nodeName: string,
  firewalled: Set<string>, sources: string[], nodeZone?: string,
): void {
  const proto = PROTOCOLS[sp.protocol];
  const eps = portEndpoints(sp, slices, nodeName, nodeZone);
  const internal = svc.internalTrafficLocal ? eps.local : eps.cluster;
  const unit = (key: string, what: ClaimUnit['what']): ClaimUnit => {
    const u: ClaimUnit = { key, what, elements: [], affinity: [] };
    c.claims.push(u);
    return u;
  };
  const el = (u: ClaimUnit, container: string, key: string, value = '') => u.elements.push({ container, key, value });
  const route = (u: ClaimUnit, family: DispatchFamily, backends: Backend[], kind: 'cluster' | 'local') => {
    if (backends.length === 0) return;
    if (svc.affinityTimeoutSeconds !== undefined) {
      const chain = affinityChainName(kind, svc.namespace, svc.name, proto, sp.port);
      u.affinity.push({ chain, protocol: proto, timeoutSeconds: svc.affinityTimeoutSeconds, backends });
      el(u, affinityMapName(family), u.key, `goto ${chain}`);
      return;
    }
    const n = backends.length;
    el(u, groupSetName(family, n), u.key);
    backends.forEach((b, slot) => el(u, groupMapName(family, n), `${u.key} . ${slot}`, `${b.address} . ${b.port}`));
  };

  // ClusterIP: internal traffic policy decides the list; with Local and no local endpoint
  // the traffic is dropped (not rejected: endpoints exist, just not here).
  const cu = unit(`${svc.clusterIP} . ${proto} . ${sp.port}`, 'address');
  if (!eps.hasAny) el(cu, NO_ENDPOINT_SERVICES, cu.key, REJECT);
  else if (internal.length === 0) el(cu, NO_ENDPOINT_SERVICES, cu.key, 'drop');
  route(cu, SERVICE_IPS, internal, svc.internalTrafficLocal ? 'local' : 'cluster');

  // Externally reachable addresses. Traffic from pods and from the node itself always
  // uses the cluster list (kube-proxy's short-circuit); with eTP=Local other sources use
  // the local list and keep their source address.
  const external = (u: ClaimUnit, ipFamily: DispatchFamily, localFamily: DispatchFamily, clusterSet: string, localSet: string, noEp: string) => {
    el(u, svc.externalTrafficLocal ? localSet : clusterSet, u.key);
    if (!eps.hasAny) el(u, noEp, u.key, REJECT);
    else if (svc.externalTrafficLocal && eps.local.length === 0) el(u, noEp, u.key, 'drop');
    route(u, ipFamily, eps.cluster, 'cluster');
    if (svc.externalTrafficLocal) route(u, localFamily, eps.local, 'local');
  };
  const ingress = [...svc.externalIPs, ...(svc.type === 'LoadBalancer' ? svc.loadBalancerIPs : [])];
  for (const ip of new Set(ingress)) {
    if (parseIPv4(ip) === undefined) continue; // IPv6 entries belong to the ip6 table
    const u = unit(`${ip} . ${proto} . ${sp.port}`, 'address');
    external(u, SERVICE_IPS, LOCAL_SERVICE_IPS, EXTERNAL_IPS, EXTERNAL_IPS_LOCAL, NO_ENDPOINT_SERVICES);
    // Filtered whatever the endpoints: with none, an admitted client is rejected, others dropped.
    if (firewalled.has(ip)) {
      el(u, FIREWALL_IPS, u.key);
      for (const src of sources) el(u, FIREWALL_ALLOW, `${u.key} . ${src}`);
    }
  }
  if ((svc.type === 'NodePort' || svc.type === 'LoadBalancer') && sp.nodePort > 0) {
    const u = unit(`${proto} . ${sp.nodePort}`, 'nodePort');
    external(u, SERVICE_NODEPORTS, LOCAL_SERVICE_NODEPORTS, NODEPORTS, NODEPORTS_LOCAL, NO_ENDPOINT_NODEPORTS);
  }
}

/** Pods on this node (or endpoints of user slices that name no node) may reach themselves. */
function addHairpin(c: ServiceContribution, slice: SliceView, nodeName: string): void {
  for (const ep of slice.endpoints) {
    if ((ep.nodeName === undefined || ep.nodeName === nodeName) && parseIPv4(ep.address) !== undefined) {
      c.base.push({ container: HAIRPIN_ENDPOINTS, key: `${ep.address} . ${ep.address}`, value: '' });
    }
  }
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
