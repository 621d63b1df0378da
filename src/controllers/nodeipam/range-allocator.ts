// Pod CIDRs for nodes, as upstream's range allocator hands them out
// (pkg/controller/nodeipam/ipam/range_allocator.go, cidrset/cidr_set.go), recomputed from
// the nodes themselves on every call so nothing has to survive a restart:
//   - a node that already has spec.podCIDRs keeps them; the blocks they cover are marked
//     used. Two nodes claiming one block both keep it (upstream's Occupy does not refuse a
//     block already marked), and nothing is reported.
//   - a podCIDR outside the cluster CIDR, or unparsable, is an error for that node (upstream
//     logs it; at controller start-up it even stops the controller); the node keeps it.
//   - nodes without pod CIDRs get the lowest free block, oldest node first. Upstream's
//     in-memory set hands out the block after the last one it allocated and wraps around;
//     lowest-free is what it does right after a restart, and is stable here.
//   - when no block is left: upstream's CIDRNotAvailable node event and error text.
// The Service CIDR, when given and overlapping, is never handed out (filterOutServiceRange).

import { KnetError } from '../../lib/errors.ts';
import { formatCidr4, formatIPv4, parseCidr4 } from '../../lib/ip.ts';
import type { Cidr4 } from '../../lib/ip.ts';

export interface PodCidrOptions {
  clusterCIDR: string;
  nodeMaskSize: number;
  serviceCIDR?: string;
}

export interface NodeRef {
  apiVersion: 'v1';
  kind: 'Node';
  metadata: { name: string; uid?: string };
}

export interface PlannedEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
  object: NodeRef;
}

export interface PodCidrPlan {
  /** Patch each node with spec.podCIDR = podCIDR and spec.podCIDRs = podCIDRs. */
  assign: { node: string; podCIDR: string; podCIDRs: string[] }[];
  errors: { node: string; reason: string; message: string }[];
  events: PlannedEvent[];
}

/** Event reason upstream records (RecordNodeStatusChange) when the range is exhausted. */
export const REASON_CIDR_NOT_AVAILABLE = 'CIDRNotAvailable';
/** knet's reason for an existing podCIDR it cannot account for (upstream only logs). */
export const REASON_INVALID_POD_CIDR = 'InvalidPodCIDR';
const NO_CIDRS_REMAINING = 'CIDR allocation failed; there are no remaining CIDRs left to allocate in the accepted range';

interface BlockSet {
  cluster: Cidr4;
  nodeMaskSize: number;
  max: number;
  used: Set<number>;
}

function newBlockSet(opts: PodCidrOptions): BlockSet {
  const cluster = parseCidr4(opts.clusterCIDR);
  const m = opts.nodeMaskSize;
  if (!Number.isInteger(m) || m < cluster.prefix || m > 32) {
    throw new KnetError('bad-node-mask', `node CIDR mask size ${m} must be between the cluster CIDR's /${cluster.prefix} and /32`);
  }
  if (m - cluster.prefix > 24) {
    throw new KnetError('bad-node-mask', `node CIDR mask size /${m} would cut ${opts.clusterCIDR} into more than 2^24 blocks`);
  }
  return { cluster, nodeMaskSize: m, max: 2 ** (m - cluster.prefix), used: new Set() };
}

function blockCidr(s: BlockSet, index: number): string {
  return `${formatIPv4(s.cluster.base + index * 2 ** (32 - s.nodeMaskSize))}/${s.nodeMaskSize}`;
}

/** Marks every block `c` overlaps; undefined when it overlaps none (upstream: out of range). */
function occupy(s: BlockSet, c: Cidr4): true | undefined {
  const start = Math.max(s.cluster.base, c.base);
  const end = Math.min(s.cluster.base + s.cluster.size, c.base + c.size) - 1;
  if (start > end) return undefined;
  const blockSize = 2 ** (32 - s.nodeMaskSize);
  for (let i = Math.floor((start - s.cluster.base) / blockSize); i <= Math.floor((end - s.cluster.base) / blockSize); i++) s.used.add(i);
  return true;
}

function podCidrsOf(node: any): string[] {
  const list = node?.spec?.podCIDRs;
  if (Array.isArray(list) && list.length > 0) return list;
  return node?.spec?.podCIDR ? [node.spec.podCIDR] : [];
}

function nodeRef(node: any): NodeRef {
  const ref: NodeRef = { apiVersion: 'v1', kind: 'Node', metadata: { name: node.metadata.name } };
  if (node.metadata.uid) ref.metadata.uid = node.metadata.uid;
  return ref;
}

function occupyError(s: BlockSet, node: any, cidrs: string[]): string | undefined {
  const name = node.metadata.name;
  for (const [idx, cidr] of cidrs.entries()) {
    // knet has one (IPv4) cluster CIDR: a second entry, typically IPv6, has no set to go in.
    if (idx >= 1) return `node:${name} has an allocated cidr: ${cidr} at index:${idx} that does not exist in cluster cidrs configuration`;
    let parsed: Cidr4;
    try {
      parsed = parseCidr4(cidr);
    } catch {
      return `failed to parse node ${name}, CIDR ${cidr}`;
    }
    if (!occupy(s, parsed)) {
      const c = formatCidr4(parsed);
      return `failed to mark cidr[${c}] at idx [0] as occupied for node: ${name}: cidr ${c} is out the range of cluster cidr ${formatCidr4(s.cluster)}`;
    }
  }
  return undefined;
}

function byAge(a: any, b: any): number {
  const ta = a.metadata.creationTimestamp ?? '';
  const tb = b.metadata.creationTimestamp ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0;
}

/** Decides spec.podCIDR(s) for every node that lacks them. Throws KnetError on bad options. */
export function planPodCIDRs(nodes: any[], opts: PodCidrOptions): PodCidrPlan {
  const set = newBlockSet(opts);
  if (opts.serviceCIDR) occupy(set, parseCidr4(opts.serviceCIDR));
  const plan: PodCidrPlan = { assign: [], errors: [], events: [] };
  const sorted = [...nodes].filter((n) => n?.metadata?.name).sort(byAge);

  for (const node of sorted) {
    const cidrs = podCidrsOf(node);
    if (cidrs.length === 0) continue;
    const message = occupyError(set, node, cidrs);
    if (message) plan.errors.push({ node: node.metadata.name, reason: REASON_INVALID_POD_CIDR, message });
  }

  let next = 0;
  for (const node of sorted) {
    if (podCidrsOf(node).length > 0) continue;
    while (next < set.max && set.used.has(next)) next++;
    const name = node.metadata.name;
    if (next >= set.max) {
      plan.errors.push({ node: name, reason: REASON_CIDR_NOT_AVAILABLE, message: `failed to allocate cidr from cluster cidr at idx:0: ${NO_CIDRS_REMAINING}` });
      plan.events.push({ type: 'Normal', reason: REASON_CIDR_NOT_AVAILABLE, message: `Node ${name} status is now: ${REASON_CIDR_NOT_AVAILABLE}`, object: nodeRef(node) });
      continue;
    }
    set.used.add(next);
    const podCIDR = blockCidr(set, next);
    plan.assign.push({ node: name, podCIDR, podCIDRs: [podCIDR] });
  }
  return plan;
}

/** The merge patch upstream's PatchNodeCIDRs sends. */
export function podCidrPatch(a: { podCIDR: string; podCIDRs: string[] }): any {
  return { spec: { podCIDR: a.podCIDR, podCIDRs: a.podCIDRs } };
}
