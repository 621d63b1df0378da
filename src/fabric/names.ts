// Naming and addressing of a cluster's namespaces. Rule: every namespace of cluster N starts
// with `knet-N-`:
//   fabric  knet-N-fabric
//   node    knet-<node name>, and node names start with `N-` (kind-like: N-control-plane,
//           N-worker, N-worker2...), so a node namespace is knet-N-control-plane etc.
//   pod     knet-N-pod-<first 12 chars of the pod uid> (created by the node agent)
// Cluster names may contain '-', so `knet-a-` also prefixes cluster `a-b`'s namespaces; the
// fabric namespace anchors ownership (see clusterNamespaces in fabric.ts).

import { KnetError } from '../lib/errors.ts';
import { formatIPv4, parseCidr4 } from '../lib/ip.ts';

export const FABRIC_CIDR = '172.18.0.0/16';
export const FABRIC_GATEWAY = '172.18.0.1';
export const FABRIC_PREFIX_LEN = 16;
export const FABRIC_BRIDGE = 'br0';
/** The node's fabric interface (its "physical" NIC). */
export const NODE_UPLINK = 'eth0';

export function clusterPrefix(cluster: string): string {
  return `knet-${cluster}-`;
}

export function fabricNetns(cluster: string): string {
  return `${clusterPrefix(cluster)}fabric`;
}

/** Node names must start with `<cluster>-` and must not collide with the fabric or pod names. */
export function nodeNetns(cluster: string, nodeName: string): string {
  const rest = nodeName.startsWith(`${cluster}-`) ? nodeName.slice(cluster.length + 1) : '';
  if (!rest || rest === 'fabric' || rest.endsWith('-fabric') || rest.startsWith('pod-') || nodeName.includes('/')) {
    throw new KnetError('bad-name', `node name "${nodeName}" does not fit cluster "${cluster}": use "${cluster}-<role>" such as "${cluster}-worker2" (not ending in "-fabric", not "${cluster}-pod-...")`);
  }
  return `knet-${nodeName}`;
}

export function podNetns(cluster: string, podUid: string): string {
  return `${clusterPrefix(cluster)}pod-${podUid.slice(0, 12)}`;
}

/** Node i (0-based) is 172.18.0.(i+2): .1 is the fabric gateway. */
export function nodeIP(index: number): string {
  const c = parseCidr4(FABRIC_CIDR);
  if (!Number.isInteger(index) || index < 0 || index > c.size - 4) {
    throw new KnetError('bad-node-index', `node index ${index} is outside 0..${c.size - 4}`);
  }
  return formatIPv4(c.base + index + 2);
}

/**
 * The node's eth0 MAC, fixed by its IP (0a:6b then the IP bytes; locally administered,
 * unicast): a re-created link keeps its MAC, so peers' ARP caches stay right after a repair.
 * Distinct from the VTEP MACs (0e:6b:...) of plan.ts.
 */
export function nodeMac(index: number): string {
  const ip = nodeIP(index).split('.').map(Number);
  return [0x0a, 0x6b, ...ip].map((b) => b.toString(16).padStart(2, '0')).join(':');
}

/** The node's end of its link, seen from the fabric namespace. */
export function fabricPort(index: number): string {
  return `n${index}`;
}
