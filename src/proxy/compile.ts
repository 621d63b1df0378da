// The proxy's pure compiler: a snapshot of Services, EndpointSlices and Nodes -> the whole
// `ip knet-proxy` table for one node. Same input, same output, byte for byte: the applier
// diffs elements between two results, and tests compare a canonical dump.

import { KnetError } from '../lib/errors.ts';
import { formatCidr4, parseCidr4, parseIPv4 } from '../lib/ip.ts';
import type { Table } from '../nft/model.ts';
import { NODEPORT_IPS } from './names.ts';
import { planService, type ProxyProblem } from './plan.ts';
import { buildTable } from './ruleset.ts';
import { LABEL_TOPOLOGY_ZONE, nodeView, serviceView, sliceView, type ProxySnapshot, type ServiceView, type SliceView } from './snapshot.ts';
import { ProxyRuleState } from './state.ts';

export interface ProxyOptions {
  /** This node's name: endpoints with this nodeName are local (traffic policies Local). */
  nodeName: string;
  /**
   * This node's addresses; the first is the node IP in kube-proxy's sense: a
   * loadBalancerSourceRanges range holding it also admits the LoadBalancer addresses as
   * sources. NodePorts match any local address (fib), not these.
   */
  nodeIPs: string[];
  /** Pod network: sources inside it are pods (never masqueraded on the way to a ClusterIP). */
  clusterCIDR: string;
  /** Service network: an address in it that no Service holds is dropped. */
  serviceCIDR: string;
  /** The packet mark bit that asks nat-postrouting to masquerade. */
  masqueradeMark: string;
  /**
   * How a pod reaching itself through a Service is found, for masquerade:
   * - 'set' (default): a set of (endpoint . endpoint) pairs, one element per local endpoint,
   *   as kube-proxy's per-endpoint rule; right whatever the CNI;
   * - 'route': the forward hook's `fib daddr . iif oif`: the DNATed destination is routed
   *   back out of the link the packet came in on. Right only where every pod has a link of
   *   its own (the ptp CNI, knet's default; not a bridge), and it costs no elements.
   */
  hairpinMode?: 'set' | 'route';
}

export const DEFAULT_PROXY_OPTIONS: Omit<ProxyOptions, 'nodeName' | 'nodeIPs'> = Object.freeze({
  clusterCIDR: '10.244.0.0/16',
  serviceCIDR: '10.96.0.0/12',
  masqueradeMark: '0x4000',
});

export interface ProxyCompileResult {
  table: Table;
  /** Services (or some of their addresses) left out, with the reason; other Services are unaffected. */
  problems: ProxyProblem[];
}

export function compileProxyRules(snapshot: ProxySnapshot, opts: ProxyOptions): Table {
  return compileProxyRulesWithReport(snapshot, opts).table;
}

export function compileProxyRulesWithReport(snapshot: ProxySnapshot, opts: ProxyOptions): ProxyCompileResult {
  const o = checkOptions(opts);
  const state = newProxyState(o);
  const byOwner = new Map<string, { svc?: ServiceView; slices: SliceView[] }>();
  const entry = (owner: string) => {
    let e = byOwner.get(owner);
    if (!e) byOwner.set(owner, (e = { slices: [] }));
    return e;
  };
  for (const svc of snapshot.services) entry(`${svc.namespace}/${svc.name}`).svc = svc;
  for (const sl of snapshot.slices) if (sl.serviceName !== '') entry(`${sl.namespace}/${sl.serviceName}`).slices.push(sl);
  const zone = snapshot.nodes?.find((n) => n.name === o.nodeName)?.labels[LABEL_TOPOLOGY_ZONE] || undefined;
  for (const [owner, e] of byOwner) state.set(owner, planService(owner, e.svc, e.slices, o.nodeName, o.nodeIPs[0], zone, o.hairpinMode !== 'route'));
  return { table: buildTable(state, o), problems: state.problems() };
}

/** An empty state for these (checked) options: only the node's own addresses. */
export function newProxyState(o: ProxyOptions): ProxyRuleState {
  return new ProxyRuleState(o.nodeIPs.map((ip) => ({ container: NODEPORT_IPS, key: ip, value: '' })));
}

/** The same from whole API objects (informer caches): views are taken here. */
export function compileProxyObjects(services: readonly any[], slices: readonly any[], nodes: readonly any[], opts: ProxyOptions): ProxyCompileResult {
  return compileProxyRulesWithReport({
    services: services.map(serviceView), slices: slices.map(sliceView), nodes: nodes.map(nodeView),
  }, opts);
}

/** Options come from flags: a bad one is a configuration error, reported before any rule is built. */
export function checkOptions(opts: ProxyOptions): ProxyOptions {
  // parseCidr4 throws a KnetError naming the bad value; rules carry the canonical form.
  const clusterCIDR = formatCidr4(parseCidr4(opts.clusterCIDR));
  const serviceCIDR = formatCidr4(parseCidr4(opts.serviceCIDR));
  const mark = Number(opts.masqueradeMark);
  if (!/^0x[0-9a-f]{1,8}$/i.test(opts.masqueradeMark) || mark === 0 || (mark & (mark - 1)) !== 0) {
    throw new KnetError('bad-proxy-option', `masqueradeMark "${opts.masqueradeMark}" must be one bit in hex, such as 0x4000`);
  }
  if (opts.nodeName === '') throw new KnetError('bad-proxy-option', 'nodeName is required');
  for (const ip of opts.nodeIPs) {
    if (parseIPv4(ip) === undefined) throw new KnetError('bad-proxy-option', `node IP "${ip}" is not an IPv4 address`);
  }
  if (opts.hairpinMode !== undefined && opts.hairpinMode !== 'set' && opts.hairpinMode !== 'route') {
    throw new KnetError('bad-proxy-option', `hairpinMode "${opts.hairpinMode}" must be "set" or "route"`);
  }
  return { ...opts, clusterCIDR, serviceCIDR, masqueradeMark: opts.masqueradeMark.toLowerCase() };
}
