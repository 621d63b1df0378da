// Which pods a ReplicaSet deletes first when it scales down: upstream's getPodsToDelete with
// ActivePodsWithRanks (pkg/controller/controller_utils.go, v1.33, PodDeletionCost and
// LogarithmicScaleDown on, as by default). Each rule applies only when the ones before tie:
//   1. not on a node before on a node
//   2. Pending before Unknown before Running
//   3. not ready before ready
//   4. lower controller.kubernetes.io/pod-deletion-cost before higher
//   5. more related pods on the same node (doubled up) before fewer
//   6. both ready: ready more recently before ready longer (log2 buckets of age)
//   7. more container restarts before fewer
//   8. created more recently before older (log2 buckets of age)
// Upstream leaves full ties to sort order (and ties within a bucket to UID); we end on UID
// then name so the choice never depends on input order.

import { cmp } from './controller-ref.ts';
import { isPodActive, isPodReady, maxContainerRestarts, parseTime, podReadyCondition } from './pods.ts';

export const POD_DELETION_COST_ANNOTATION = 'controller.kubernetes.io/pod-deletion-cost';

const PHASE_ORDINAL: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

/** The pod-deletion-cost annotation as an int32; anything unparsable counts as 0. */
export function podDeletionCost(pod: any): number {
  const v = pod?.metadata?.annotations?.[POD_DELETION_COST_ANNOTATION];
  if (typeof v !== 'string' || !/^[+-]?\d+$/.test(v.trim())) return 0;
  const n = Number(v.trim());
  return n >= -2147483648 && n <= 2147483647 ? n : 0;
}

/** floor(log2(age in ns)), -1 for no positive age: upstream's logarithmic bucket. */
function logBucket(t: number, now: number): number {
  const ageNs = (now - t) * 1e6;
  return ageNs > 0 ? Math.floor(Math.log2(ageNs)) : -1;
}

/** Negative when `a` should be deleted before `b`. */
function compareByTime(a: number | undefined, b: number | undefined, now: number, pa: any, pb: any): number {
  if (a === undefined || b === undefined) {
    // A missing time sorts first (upstream's afterOrZero).
    if (a === undefined && b === undefined) return 0;
    return a === undefined ? -1 : 1;
  }
  const diff = logBucket(a, now) - logBucket(b, now);
  if (diff !== 0) return diff;
  return cmp(pa?.metadata?.uid, pb?.metadata?.uid);
}

function readyTime(pod: any): number | undefined {
  return isPodReady(pod) ? parseTime(podReadyCondition(pod)?.lastTransitionTime) : undefined;
}

/**
 * Compares two pods for deletion; negative means `a` goes first. `rank` is the number of
 * active related pods on the pod's node.
 */
export function compareForDeletion(a: any, b: any, rankA: number, rankB: number, now: Date): number {
  const nodeA = a?.spec?.nodeName ?? '';
  const nodeB = b?.spec?.nodeName ?? '';
  if (nodeA !== nodeB && (!nodeA || !nodeB)) return !nodeA ? -1 : 1;
  const phA = PHASE_ORDINAL[a?.status?.phase] ?? 0;
  const phB = PHASE_ORDINAL[b?.status?.phase] ?? 0;
  if (phA !== phB) return phA - phB;
  const rdA = isPodReady(a);
  const rdB = isPodReady(b);
  if (rdA !== rdB) return rdA ? 1 : -1;
  const costA = podDeletionCost(a);
  const costB = podDeletionCost(b);
  if (costA !== costB) return costA - costB;
  if (rankA !== rankB) return rankB - rankA;
  const t = now.getTime();
  if (rdA && rdB) {
    const ra = readyTime(a);
    const rb = readyTime(b);
    if (ra !== rb) {
      const c = compareByTime(ra, rb, t, a, b);
      if (c !== 0) return c;
    }
  }
  const rsA = maxContainerRestarts(a);
  const rsB = maxContainerRestarts(b);
  if (rsA !== rsB) return rsB - rsA;
  const ca = parseTime(a?.metadata?.creationTimestamp);
  const cb = parseTime(b?.metadata?.creationTimestamp);
  if (ca !== cb) {
    const c = compareByTime(ca, cb, t, a, b);
    if (c !== 0) return c;
  }
  return cmp(a?.metadata?.uid, b?.metadata?.uid) || cmp(a?.metadata?.name, b?.metadata?.name);
}

/**
 * `pods` ordered most-deletable first. `relatedPods` (upstream: the pods of every ReplicaSet
 * of the same Deployment; defaults to `pods`) decides how doubled up each node is.
 */
export function rankPodsForDeletion(pods: readonly any[], now: Date, relatedPods: readonly any[] = pods): any[] {
  const onNode = new Map<string, number>();
  for (const p of relatedPods) {
    if (!isPodActive(p)) continue;
    const n = p?.spec?.nodeName ?? '';
    onNode.set(n, (onNode.get(n) ?? 0) + 1);
  }
  const ranked = pods.map((pod) => ({ pod, rank: onNode.get(pod?.spec?.nodeName ?? '') ?? 0 }));
  ranked.sort((x, y) => compareForDeletion(x.pod, y.pod, x.rank, y.rank, now));
  return ranked.map((r) => r.pod);
}
