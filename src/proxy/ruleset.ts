// The plan's elements -> the complete `ip knet-proxy` table. The rules are a fixed text
// skeleton: their number depends only on which endpoint counts occur (one dispatch rule
// per count and family) and on the ClientIP-affinity Service ports, never on the number of
// Services. Everything per Service lives in set and map elements (see
// shared/research/nftables-scale.md: chains and anonymous sets are what make loads slow).

import type { Chain, NftMap, NftSet, Rule, Table } from '../nft/model.ts';
import {
  BASE_CHAINS, CLUSTER_IPS, CLUSTER_IPS_CHECK, DISPATCH_FAMILIES, EXTERNAL_IPS, EXTERNAL_IPS_LOCAL,
  FILTER_FORWARD, FILTER_INPUT, FILTER_OUTPUT, FILTER_OUTPUT_POST_DNAT, FILTER_PREROUTING, FIREWALL_ALLOW,
  FIREWALL_CHECK, FIREWALL_IPS, HAIRPIN_ENDPOINTS, NODEPORT_IPS,
  LOCAL_SERVICE_IPS, LOCAL_SERVICE_NODEPORTS, MARK_FOR_MASQUERADE, MASQUERADING, NAT_OUTPUT,
  NAT_POSTROUTING, NAT_PREROUTING, NODEPORTS, NODEPORTS_LOCAL, NODEPORT_ENDPOINTS_CHECK,
  NO_ENDPOINT_NODEPORTS, NO_ENDPOINT_SERVICES, PROXY_TABLE, REJECT_CHAIN, SERVICES,
  SERVICE_ENDPOINTS_CHECK, SERVICE_IPS, SERVICE_NODEPORTS, affinityEndpointName, affinityMapName,
  groupChainName, groupMapName, groupSetName, type DispatchFamily,
} from './names.ts';
import { sortByKey, type AffinityGroup } from './plan.ts';
import type { ProxyRuleState, RulesetLayout } from './state.ts';

export interface RulesetOptions {
  /** See ProxyOptions.hairpinMode. */
  hairpinMode?: 'set' | 'route';
  /** The node's addresses: where NodePorts answer. */
  nodeIPs: readonly string[];
  clusterCIDR: string;
  serviceCIDR: string;
  masqueradeMark: string;
}

const ADDR_KEY = 'ip daddr . meta l4proto . th dport';
const PORT_KEY = 'meta l4proto . th dport';
const ADDR_TYPE = 'ipv4_addr . inet_proto . inet_service';
const PORT_TYPE = 'inet_proto . inet_service';
/**
 * NodePorts answer on the node's own addresses only, as kube-proxy's nftables mode does by
 * default (`--nodeport-addresses=primary`): not on loopback, and not on the pod gateway
 * addresses the CNI puts on the node's side of each pod link.
 */
const NODE_LOCAL = `ip daddr @${NODEPORT_IPS}`;

const r = (text: string, comment?: string): Rule => (comment ? { text, comment } : { text });
const isAddrFamily = (f: DispatchFamily) => f === SERVICE_IPS || f === LOCAL_SERVICE_IPS;

/** The whole table: the skeleton for the state's layout, filled with the state's elements (sorted). */
export function buildTable(state: ProxyRuleState, o: RulesetOptions): Table {
  return fillElements(buildSkeleton(state.layout(), o), state);
}

/**
 * Every set and map of `skeleton` given its elements from `state`, in canonical order, or
 * in no particular order with `sorted: false` (nft does not care, and sorting 100,000
 * elements is a good part of a full sync's cost at 10,000 Services).
 */
export function fillElements(skeleton: Table, state: ProxyRuleState, sorted = true): Table {
  const keys = (name: string) => [...state.elementsOf(name)].map(([k]) => k);
  const entries = (name: string) => [...state.elementsOf(name)];
  return {
    ...skeleton,
    sets: skeleton.sets.map((s) => ({ ...s, elements: sorted ? sortByKey(keys(s.name), (x) => x) : keys(s.name) })),
    maps: skeleton.maps.map((m) => ({ ...m, elements: sorted ? sortByKey(entries(m.name), (e) => e[0]) : entries(m.name) })),
  };
}

/**
 * Chains, rules and set and map declarations, without elements: what a change of one
 * Service's endpoints leaves alone (it only moves elements), unless a group appears or
 * vanishes or an affinity Service comes or goes.
 */
export function buildSkeleton(layout: RulesetLayout, o: RulesetOptions): Table {
  const pods = o.clusterCIDR;
  const staticRules: Record<string, Rule[]> = {
    [NAT_PREROUTING]: [r(`jump ${SERVICES}`)],
    [NAT_OUTPUT]: [r(`jump ${SERVICES}`)],
    [NAT_POSTROUTING]: [r(`jump ${MASQUERADING}`)],
    [FILTER_INPUT]: [
      r(`ct state new jump ${NODEPORT_ENDPOINTS_CHECK}`),
      r(`ct state new jump ${SERVICE_ENDPOINTS_CHECK}`),
    ],
    [FILTER_FORWARD]: [
      r(`ct state new jump ${SERVICE_ENDPOINTS_CHECK}`),
      r(`ct state new jump ${CLUSTER_IPS_CHECK}`),
      ...(o.hairpinMode === 'route'
        ? [r(`ct state new ct status dnat iifname "veth*" fib daddr . iif oif != 0 jump ${MARK_FOR_MASQUERADE}`,
          'hairpin: a pod reaching itself through a Service goes back out of its own link')]
        : []),
    ],
    [FILTER_PREROUTING]: [r(`ct state new jump ${FIREWALL_CHECK}`)],
    [FILTER_OUTPUT]: [
      r(`ct state new jump ${SERVICE_ENDPOINTS_CHECK}`),
      r(`ct state new jump ${FIREWALL_CHECK}`),
    ],
    [FILTER_OUTPUT_POST_DNAT]: [r(`ct state new jump ${CLUSTER_IPS_CHECK}`)],
    [SERVICES]: [
      r(`ip saddr != ${pods} fib saddr type != local ${ADDR_KEY} @${EXTERNAL_IPS_LOCAL} goto ${LOCAL_SERVICE_IPS}`,
        'externalTrafficPolicy Local: outside clients reach only local endpoints, source kept'),
      r(`ip saddr != ${pods} fib saddr type != local ${NODE_LOCAL} ${PORT_KEY} @${NODEPORTS_LOCAL} goto ${LOCAL_SERVICE_NODEPORTS}`,
        'externalTrafficPolicy Local NodePorts, the same'),
      r(`ip saddr != ${pods} ip daddr @${CLUSTER_IPS} jump ${MARK_FOR_MASQUERADE}`,
        'ClusterIP traffic from outside the pod network (node, hostNetwork pods)'),
      r(`${ADDR_KEY} @${EXTERNAL_IPS} jump ${MARK_FOR_MASQUERADE}`, 'externalTrafficPolicy Cluster'),
      r(`${NODE_LOCAL} ${PORT_KEY} @${NODEPORTS} jump ${MARK_FOR_MASQUERADE}`, 'externalTrafficPolicy Cluster'),
      r(`fib saddr type local ${ADDR_KEY} @${EXTERNAL_IPS_LOCAL} jump ${MARK_FOR_MASQUERADE}`,
        'externalTrafficPolicy Local from the node itself: masqueraded to cluster endpoints'),
      r(`fib saddr type local ${NODE_LOCAL} ${PORT_KEY} @${NODEPORTS_LOCAL} jump ${MARK_FOR_MASQUERADE}`),
      r(`jump ${SERVICE_IPS}`),
      r(`${NODE_LOCAL} jump ${SERVICE_NODEPORTS}`),
    ],
    [SERVICE_ENDPOINTS_CHECK]: [r(`${ADDR_KEY} vmap @${NO_ENDPOINT_SERVICES}`)],
    [NODEPORT_ENDPOINTS_CHECK]: [r(`${NODE_LOCAL} ${PORT_KEY} vmap @${NO_ENDPOINT_NODEPORTS}`)],
    // One rule for every Service with loadBalancerSourceRanges: the LoadBalancer key, then
    // the key with the source against the admitted ranges (a concatenated interval set).
    [FIREWALL_CHECK]: [
      r(`${ADDR_KEY} @${FIREWALL_IPS} ${ADDR_KEY} . ip saddr != @${FIREWALL_ALLOW} drop`,
        'loadBalancerSourceRanges: a source outside the ranges'),
    ],
    [CLUSTER_IPS_CHECK]: [
      r(`ip daddr @${CLUSTER_IPS} goto ${REJECT_CHAIN}`, 'a live ClusterIP on a port the Service does not have'),
      r(`ip daddr ${o.serviceCIDR} drop`, 'an unallocated Service address'),
    ],
    [REJECT_CHAIN]: [
      r('meta l4proto tcp reject with tcp reset', 'clients fail fast instead of timing out'),
      r('reject'),
    ],
    [MARK_FOR_MASQUERADE]: [r(`meta mark set meta mark | ${o.masqueradeMark}`)],
    [MASQUERADING]: [
      ...(o.hairpinMode === 'route' ? [] : [r(`ct status dnat ip saddr . ip daddr @${HAIRPIN_ENDPOINTS} jump ${MARK_FOR_MASQUERADE}`,
        'hairpin: a pod reaching itself through a Service must see a foreign source')]),
      r(`meta mark & ${o.masqueradeMark} == 0 return`),
      r(`meta mark set meta mark ^ ${o.masqueradeMark}`, 'clear the bit: the mark may be reused downstream'),
      r('masquerade fully-random'),
    ],
  };

  const chains: Chain[] = BASE_CHAINS.map((b) => ({ name: b.name, base: b.spec, rules: staticRules[b.name], comment: b.why }));
  for (const name of [SERVICES, ...DISPATCH_FAMILIES, SERVICE_ENDPOINTS_CHECK, NODEPORT_ENDPOINTS_CHECK,
    FIREWALL_CHECK, CLUSTER_IPS_CHECK, REJECT_CHAIN, MARK_FOR_MASQUERADE, MASQUERADING]) {
    chains.push({ name, rules: staticRules[name] ?? dispatchRules(layout, name as DispatchFamily) });
  }

  const sets: NftSet[] = [
    { name: CLUSTER_IPS, type: 'ipv4_addr', elements: [] },
    { name: EXTERNAL_IPS, type: ADDR_TYPE, elements: [] },
    { name: EXTERNAL_IPS_LOCAL, type: ADDR_TYPE, elements: [] },
    { name: NODEPORTS, type: PORT_TYPE, elements: [] },
    { name: NODEPORTS_LOCAL, type: PORT_TYPE, elements: [] },
    { name: HAIRPIN_ENDPOINTS, type: 'ipv4_addr . ipv4_addr', elements: [] },
    { name: NODEPORT_IPS, type: 'ipv4_addr', elements: [] },
    { name: FIREWALL_IPS, type: ADDR_TYPE, elements: [] },
    { name: FIREWALL_ALLOW, type: `${ADDR_TYPE} . ipv4_addr`, flags: ['interval'], elements: [] },
  ];
  const maps: NftMap[] = [
    { name: NO_ENDPOINT_SERVICES, type: `${ADDR_TYPE} : verdict`, elements: [] },
    { name: NO_ENDPOINT_NODEPORTS, type: `${PORT_TYPE} : verdict`, elements: [] },
  ];
  for (const family of DISPATCH_FAMILIES) {
    const keyType = isAddrFamily(family) ? ADDR_TYPE : PORT_TYPE;
    const keyExpr = isAddrFamily(family) ? ADDR_KEY : PORT_KEY;
    maps.push({ name: affinityMapName(family), type: `${keyType} : verdict`, elements: [] });
    for (const n of layout.groups.get(family) ?? []) {
      sets.push({ name: groupSetName(family, n), type: keyType, elements: [] });
      maps.push({ name: groupMapName(family, n), typeofKey: `${keyExpr} . numgen random mod ${n}`,
        typeofValue: 'ip daddr . th dport', elements: [] });
      // The group's dnat rule lives in a chain of its own, created in the same transaction as
      // its map and never changed afterwards: nft 1.0.6 refuses to add a `dnat to ... map` rule
      // against a map that already exists in the kernel when the map's value mentions `th`
      // ("conflicting protocols specified"), so dispatch chains only jump, and are free to change.
      chains.push({ name: groupChainName(family, n), rules: [r(`dnat to ${keyExpr} . numgen random mod ${n} map @${groupMapName(family, n)}`)] });
    }
  }
  addAffinity(layout.affinity, chains, sets);
  return { family: 'ip', name: PROXY_TABLE, chains, sets, maps, comment: 'knet service proxy' };
}

/** One verdict-map rule for affinity Services, then one rule per endpoint count. */
function dispatchRules(layout: RulesetLayout, family: DispatchFamily): Rule[] {
  const key = isAddrFamily(family) ? ADDR_KEY : PORT_KEY;
  const rules = [r(`${key} vmap @${affinityMapName(family)}`, 'sessionAffinity ClientIP Services')];
  for (const n of layout.groups.get(family) ?? []) {
    rules.push(r(`${key} @${groupSetName(family, n)} goto ${groupChainName(family, n)}`));
  }
  return rules;
}

/**
 * kube-proxy's affinity layout, kept for the rare Services that ask for it: the first
 * packet picks an endpoint at random and records the client in that endpoint's set (with
 * the Service's timeout); later packets from a recorded client go to the same endpoint.
 * Adds 1 + endpoints chains and one set per endpoint for each such Service port and list.
 */
function addAffinity(groups: AffinityGroup[], chains: Chain[], sets: NftSet[]): void {
  for (const g of sortByKey(groups, (x) => x.chain)) {
    const eps = g.backends.map((b) => ({ b, name: affinityEndpointName(g.chain, b.address, b.port) }));
    const rules = eps.map((e) => r(`ip saddr @${e.name} goto ${e.name}`));
    rules.push(r(`numgen random mod ${eps.length} vmap { ${eps.map((e, i) => `${i} : goto ${e.name}`).join(', ')} }`));
    chains.push({ name: g.chain, rules });
    for (const e of eps) {
      chains.push({ name: e.name, rules: [r(`update @${e.name} { ip saddr } meta l4proto ${g.protocol} dnat to ${e.b.address}:${e.b.port}`)] });
      sets.push({ name: e.name, type: 'ipv4_addr', flags: ['dynamic', 'timeout'], timeout: `${g.timeoutSeconds}s`, elements: [] });
    }
  }
}
