// One scheduling cycle for one pod, as kube-scheduler's default profile runs it:
// PreFilter (NodeAffinity's metadata.name narrowing), Filter in upstream's plugin order —
// NodeUnschedulable, TaintToleration, NodeAffinity, NodePorts — stopping at a node's first
// failure, then Score, then (on failure) the message FitError.Error() builds, including
// DefaultPreemption's PostFilter verdict. knet never preempts: a node whose only problem is
// a host port gets the verdict upstream gives when no lower-priority pod can be evicted.
//
// Scoring is knet's own, simpler than upstream's weighted plugin sum: fewest pods of the
// same controller (ownerReference uid) first — which spreads replicas as upstream's default
// PodTopologySpread constraint does — then fewest pods, then the node name (deterministic,
// where upstream picks randomly among equal scores).

import { ERR_REASON_PORTS, hostPortsConflict, hostPortsOf } from './host-ports.ts';
import { ERR_REASON_AFFINITY, ERR_REASON_AFFINITY_CONFLICT, affinityNodeNames, matchesNodeAffinity } from './node-affinity.ts';
import { unschedulableReason, untoleratedTaintReason } from './taints.ts';

export type ScheduleResult =
  | { nodeName: string; unschedulable?: undefined; reason?: undefined; message?: undefined }
  | { unschedulable: true; reason: 'Unschedulable'; message: string; nodeName?: undefined };

/** UnschedulableAndUnresolvable statuses tell preemption it cannot help on that node. */
type Code = 'Unschedulable' | 'UnschedulableAndUnresolvable';

interface NodeStatus {
  code: Code;
  reason: string;
}

export const ERR_NO_NODES = 'no nodes available to schedule pods';
const MSG_NOT_HELPFUL = 'Preemption is not helpful for scheduling';
const MSG_NO_VICTIMS = 'No preemption victims found for incoming pod';
const MSG_PREEMPT_NEVER = 'not eligible due to preemptionPolicy=Never.';
const ABSENT_AFFINITY = "node(s) didn't satisfy plugin(s) [NodeAffinity]";

function isTerminal(p: any): boolean {
  const phase = p?.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

/** The scheduler's cache holds assigned pods that have not finished. */
function podsOn(podsOnNodes: Map<string, any[]>, nodeName: string, self: any): any[] {
  const uid = self?.metadata?.uid;
  return (podsOnNodes.get(nodeName) ?? []).filter((p) => !isTerminal(p) && !(uid && p?.metadata?.uid === uid));
}

function filterNode(pod: any, node: any, pods: any[]): NodeStatus | undefined {
  const unschedulable = unschedulableReason(pod, node);
  if (unschedulable) return { code: 'UnschedulableAndUnresolvable', reason: unschedulable };
  const taint = untoleratedTaintReason(pod, node);
  if (taint) return { code: 'UnschedulableAndUnresolvable', reason: taint };
  if (!matchesNodeAffinity(pod, node)) return { code: 'UnschedulableAndUnresolvable', reason: ERR_REASON_AFFINITY };
  if (hostPortsConflict(hostPortsOf(pod), pods)) return { code: 'Unschedulable', reason: ERR_REASON_PORTS };
  return undefined;
}

/** FitError.Error(): "0/N nodes are available: <count reason, ...sorted as strings>." */
function nodesAvailableMessage(total: number, reasons: Iterable<string>, preFilterMsg?: string): string {
  let msg = `0/${total} nodes are available:`;
  if (preFilterMsg) return `${msg} ${preFilterMsg}.`;
  const counts = new Map<string, number>();
  for (const r of reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  const parts = [...counts].map(([r, n]) => `${n} ${r}`).sort();
  if (parts.length > 0) msg += ` ${parts.join(', ')}.`;
  return msg;
}

function priorityOf(p: any): number {
  return typeof p?.spec?.priority === 'number' ? p.spec.priority : 0;
}

/** DefaultPreemption's PostFilter message, for a preemptor that finds no candidate. */
function preemptionMessage(pod: any, nodes: any[], statuses: Map<string, NodeStatus>, podsOnNodes: Map<string, any[]>): string {
  if (pod?.spec?.preemptionPolicy === 'Never') return `preemption: ${MSG_PREEMPT_NEVER}`;
  const reasons: string[] = [];
  for (const node of nodes) {
    const name = node.metadata.name;
    const status = statuses.get(name);
    if (!status || status.code === 'UnschedulableAndUnresolvable') {
      reasons.push(MSG_NOT_HELPFUL);
      continue;
    }
    // Only host ports can fail with a resolvable status here: see whether evicting every
    // lower-priority pod would free them (upstream's SelectVictimsOnNode first step).
    const pods = podsOn(podsOnNodes, name, pod);
    const keep = pods.filter((p) => priorityOf(p) >= priorityOf(pod));
    if (keep.length === pods.length) reasons.push(MSG_NO_VICTIMS);
    else if (hostPortsConflict(hostPortsOf(pod), keep)) reasons.push(status.reason);
    else reasons.push(MSG_NO_VICTIMS); // upstream would evict here; knet does not preempt
  }
  return `preemption: ${nodesAvailableMessage(nodes.length, reasons)}`;
}

function controllerUid(p: any): string | undefined {
  return (p?.metadata?.ownerReferences ?? []).find((r: any) => r?.controller === true)?.uid;
}

function pickNode(pod: any, feasible: any[], podsOnNodes: Map<string, any[]>): string {
  const owner = controllerUid(pod);
  const ns = pod?.metadata?.namespace;
  const scored = feasible.map((node) => {
    const pods = podsOn(podsOnNodes, node.metadata.name, pod);
    const siblings = owner ? pods.filter((p) => p?.metadata?.namespace === ns && controllerUid(p) === owner).length : 0;
    return { name: node.metadata.name as string, siblings, pods: pods.length };
  });
  scored.sort((a, b) => a.siblings - b.siblings || a.pods - b.pods || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return scored[0].name;
}

/**
 * Chooses a node for `pod` among `nodes`, given the pods already assigned to each node
 * (keyed by node name; terminal pods are ignored). Returns the node, or upstream's
 * FailedScheduling message.
 */
export function schedulePod(pod: any, nodes: any[], podsOnNodes: Map<string, any[]>): ScheduleResult {
  const fail = (message: string): ScheduleResult => ({ unschedulable: true, reason: 'Unschedulable', message });
  if (nodes.length === 0) return fail(ERR_NO_NODES);
  const total = nodes.length;
  const statuses = new Map<string, NodeStatus>();

  const names = affinityNodeNames(pod);
  if (names && names.size === 0) {
    for (const n of nodes) statuses.set(n.metadata.name, { code: 'UnschedulableAndUnresolvable', reason: ERR_REASON_AFFINITY_CONFLICT });
    return fail(`${nodesAvailableMessage(total, [], ERR_REASON_AFFINITY_CONFLICT)} ${preemptionMessage(pod, nodes, statuses, podsOnNodes)}`);
  }

  const feasible: any[] = [];
  for (const node of nodes) {
    const name = node.metadata.name;
    const status = names && !names.has(name)
      ? { code: 'UnschedulableAndUnresolvable' as const, reason: ABSENT_AFFINITY }
      : filterNode(pod, node, podsOn(podsOnNodes, name, pod));
    if (status) statuses.set(name, status);
    else feasible.push(node);
  }
  if (feasible.length > 0) return { nodeName: pickNode(pod, feasible, podsOnNodes) };

  const fit = nodesAvailableMessage(total, [...statuses.values()].map((s) => s.reason));
  return fail(`${fit} ${preemptionMessage(pod, nodes, statuses, podsOnNodes)}`);
}
