// Every table, chain, set and map name of knet's proxy ruleset, and the base chains with
// their hooks and priorities: ordering as data, in one place. The tracer and the applier
// find chains by these names; change a name here and nowhere else.

import type { BaseChainSpec } from '../nft/model.ts';

export const PROXY_TABLE = 'knet-proxy';

// ---- base chains ---------------------------------------------------------------------------

export const FILTER_PREROUTING = 'filter-prerouting';
export const FILTER_INPUT = 'filter-input';
export const FILTER_FORWARD = 'filter-forward';
export const FILTER_OUTPUT = 'filter-output';
export const FILTER_OUTPUT_POST_DNAT = 'filter-output-post-dnat';
export const NAT_PREROUTING = 'nat-prerouting';
export const NAT_OUTPUT = 'nat-output';
export const NAT_POSTROUTING = 'nat-postrouting';

export interface BaseChainDef {
  name: string;
  spec: BaseChainSpec;
  /** Why this hook and priority (kept as the chain's comment). */
  why: string;
}

/**
 * The base chains in netfilter order. Priorities are kube-proxy's (dstnat = -100): filter
 * chains at dstnat - 10 see the destination before DNAT at output, and right after the
 * prerouting DNAT at input/forward; filter-output-post-dnat at dstnat + 10 sees it after.
 * nft 1.0.6 accepts the name `dstnat` only at prerouting, hence plain numbers elsewhere.
 */
export const BASE_CHAINS: readonly BaseChainDef[] = [
  { name: FILTER_PREROUTING, spec: { type: 'filter', hook: 'prerouting', priority: -110, policy: 'accept' },
    why: 'loadBalancerSourceRanges: sees the LoadBalancer address before nat-prerouting rewrites it' },
  { name: NAT_PREROUTING, spec: { type: 'nat', hook: 'prerouting', priority: 'dstnat', policy: 'accept' },
    why: 'DNAT of traffic from pods and the fabric to Service addresses' },
  { name: FILTER_INPUT, spec: { type: 'filter', hook: 'input', priority: -110, policy: 'accept' },
    why: 'reject/drop NodePort and Service traffic without endpoints (reject is not allowed in prerouting)' },
  { name: FILTER_FORWARD, spec: { type: 'filter', hook: 'forward', priority: -110, policy: 'accept' },
    why: 'reject/drop forwarded Service traffic without endpoints, bad ports, unallocated Service IPs' },
  { name: FILTER_OUTPUT, spec: { type: 'filter', hook: 'output', priority: -110, policy: 'accept' },
    why: 'before nat-output: host traffic to a Service without endpoints is rejected pre-DNAT' },
  { name: NAT_OUTPUT, spec: { type: 'nat', hook: 'output', priority: -100, policy: 'accept' },
    why: 'DNAT of traffic the node itself (and hostNetwork pods) sends to Service addresses' },
  { name: FILTER_OUTPUT_POST_DNAT, spec: { type: 'filter', hook: 'output', priority: -90, policy: 'accept' },
    why: 'after nat-output: a host packet still addressed to a Service IP matched no Service port' },
  { name: NAT_POSTROUTING, spec: { type: 'nat', hook: 'postrouting', priority: 'srcnat', policy: 'accept' },
    why: 'masquerade packets marked on the way in (and hairpin traffic)' },
];

// ---- regular chains ------------------------------------------------------------------------

export const SERVICES = 'services';
export const SERVICE_IPS = 'service-ips';
export const SERVICE_NODEPORTS = 'service-nodeports';
export const LOCAL_SERVICE_IPS = 'local-service-ips';
export const LOCAL_SERVICE_NODEPORTS = 'local-service-nodeports';
export const SERVICE_ENDPOINTS_CHECK = 'service-endpoints-check';
export const NODEPORT_ENDPOINTS_CHECK = 'nodeport-endpoints-check';
export const CLUSTER_IPS_CHECK = 'cluster-ips-check';
export const FIREWALL_CHECK = 'firewall-check';
export const REJECT_CHAIN = 'reject-chain';
export const MARK_FOR_MASQUERADE = 'mark-for-masquerade';
export const MASQUERADING = 'masquerading';

// ---- sets and maps -------------------------------------------------------------------------

/** Live ClusterIPs: off-cluster sources are masqueraded to them; unknown ports rejected. */
export const CLUSTER_IPS = 'cluster-ips';
/** LoadBalancer/externalIP keys (addr . proto . port) with externalTrafficPolicy Cluster. */
export const EXTERNAL_IPS = 'external-ips';
/** The same with externalTrafficPolicy Local. */
export const EXTERNAL_IPS_LOCAL = 'external-ips-local';
/** NodePort keys (proto . port) with externalTrafficPolicy Cluster / Local. */
export const NODEPORTS = 'nodeports';
export const NODEPORTS_LOCAL = 'nodeports-local';
/** (endpoint . endpoint) pairs of this node's endpoints: a pod reaching itself is masqueraded. */
export const HAIRPIN_ENDPOINTS = 'hairpin-endpoints';
/** The node's own addresses, where NodePorts answer (kube-proxy's nodeport-ips). */
export const NODEPORT_IPS = 'nodeport-ips';
/** LoadBalancer keys (addr . proto . port) of Services with loadBalancerSourceRanges. */
export const FIREWALL_IPS = 'firewall-ips';
/** Interval set (addr . proto . port . source range) of the sources those keys admit. */
export const FIREWALL_ALLOW = 'firewall-allow';
export const NO_ENDPOINT_SERVICES = 'no-endpoint-services';
export const NO_ENDPOINT_NODEPORTS = 'no-endpoint-nodeports';

/** The four dispatch families; each has a chain of the same name and its own sets and maps. */
export const DISPATCH_FAMILIES = [SERVICE_IPS, SERVICE_NODEPORTS, LOCAL_SERVICE_IPS, LOCAL_SERVICE_NODEPORTS] as const;
export type DispatchFamily = (typeof DISPATCH_FAMILIES)[number];

/** Set of the keys of a family whose Services have n usable endpoints. */
export function groupSetName(family: DispatchFamily, n: number): string {
  return `${family}-${n}`;
}

/** The chain holding a group's one dnat rule (created with its map, never changed). */
export function groupChainName(family: DispatchFamily, n: number): string {
  return `${family}-${n}-pick`;
}

/** Map (key . slot) -> (endpoint addr . endpoint port) of the same group. */
export function groupMapName(family: DispatchFamily, n: number): string {
  return `${family}-${n}-dnat`;
}

/** Verdict map key -> goto the affinity chain of a ClientIP-affinity Service port. */
export function affinityMapName(family: DispatchFamily): string {
  return `${family}-affinity`;
}

// ---- per-Service-port names (sessionAffinity only) -----------------------------------------

/**
 * Chain choosing among a ClientIP-affinity Service port's endpoints. `kind` is the endpoint
 * list: cluster (all usable endpoints) or local (this node's). Names are readable and unique
 * (namespace and name are DNS labels, (protocol, port) is unique within a Service).
 */
export function affinityChainName(kind: 'cluster' | 'local', namespace: string, service: string, protocol: string, port: number): string {
  return `affinity-${kind}-${namespace}/${service}/${protocol}/${port}`;
}

/** Endpoint chain and its dynamic set of client addresses (sets and chains have separate namespaces). */
export function affinityEndpointName(chain: string, addr: string, port: number): string {
  return `${chain}__${addr}/${port}`;
}
