// spec.loadBalancerSourceRanges as kube-proxy applies them: only to the LoadBalancer ingress
// addresses (never to NodePorts or externalIPs), for every source (pods and the node too),
// whether or not the Service has endpoints. The ruleset keeps them as elements of an interval
// set, so this file only decides which source ranges each LoadBalancer key admits.

import { cidrContains, formatCidr4, parseCidr4, parseIPv4, type Cidr4 } from '../lib/ip.ts';
import type { ServiceView } from './snapshot.ts';

export interface FirewallSources {
  /** Source ranges the LoadBalancer addresses admit (`a.b.c.d/n`, or a bare address for /32); undefined: no restriction. */
  sources?: string[];
  /** Entries that are not CIDRs: ignored, as kube-proxy ignores them. */
  invalid: string[];
}

/**
 * The sources a Service's LoadBalancer addresses admit. Like kube-proxy: IPv6 ranges belong
 * to the other family; a /0 range (or no IPv4 range at all) means anyone may connect; when a
 * range holds the node's IP, the LoadBalancer addresses themselves are admitted as sources too
 * (a node that holds the VIP locally talks to it from the VIP). Ranges inside another range are
 * dropped: the kernel refuses an interval element that lies inside one already in the set.
 */
export function firewallSources(svc: ServiceView, vips: readonly string[], nodeIP: string | undefined): FirewallSources {
  const invalid: string[] = [];
  const cidrs: Cidr4[] = [];
  for (const r of svc.loadBalancerSourceRanges) {
    if (r.includes(':')) continue; // the ip6 table's business
    try {
      cidrs.push(parseCidr4(r));
    } catch {
      invalid.push(r);
    }
  }
  if (cidrs.length === 0 || cidrs.some((c) => c.prefix === 0)) return { invalid };
  const node = nodeIP === undefined ? undefined : parseIPv4(nodeIP);
  if (node !== undefined && cidrs.some((c) => cidrContains(c, node))) {
    for (const v of vips) cidrs.push(parseCidr4(`${v}/32`));
  }
  return { sources: collapse(cidrs), invalid };
}

/** Widest first: a block whose base lies in a kept (wider or equal) block lies inside it. Sorted by address. */
function collapse(cidrs: Cidr4[]): string[] {
  const kept: Cidr4[] = [];
  for (const c of [...cidrs].sort((a, b) => a.prefix - b.prefix || a.base - b.base)) {
    if (!kept.some((k) => cidrContains(k, c.base))) kept.push(c);
  }
  // nft lists a /32 element as a bare address; writing it that way keeps drift checks quiet.
  return kept.sort((a, b) => a.base - b.base || a.prefix - b.prefix)
    .map((c) => (c.prefix === 32 ? formatCidr4(c).slice(0, -3) : formatCidr4(c)));
}
