// TaintToleration and NodeUnschedulable filters (upstream:
// pkg/scheduler/framework/plugins/tainttoleration, .../nodeunschedulable).
//
// Upstream's scheduler never looks at node conditions: the node lifecycle controller turns
// them into taints (TaintNodesByCondition) and the taint filter does the rest. knet's nodes
// may lack those taints, so `effectiveTaints` adds the ones the lifecycle controller would
// have written; a not-ready node is then rejected with upstream's own message
// ("node(s) had untolerated taint {node.kubernetes.io/not-ready: }") and DaemonSet-style
// tolerations keep working.

export interface Taint {
  key: string;
  value?: string;
  effect: string;
}

export interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
}

export const TAINT_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_UNREACHABLE = 'node.kubernetes.io/unreachable';
export const TAINT_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';
export const ERR_REASON_UNSCHEDULABLE = 'node(s) were unschedulable';

/** Condition -> taint, as the node lifecycle controller maps them (Ready handled apart). */
const CONDITION_TAINTS: ReadonlyArray<{ type: string; status: string; key: string }> = [
  { type: 'MemoryPressure', status: 'True', key: 'node.kubernetes.io/memory-pressure' },
  { type: 'DiskPressure', status: 'True', key: 'node.kubernetes.io/disk-pressure' },
  { type: 'NetworkUnavailable', status: 'True', key: 'node.kubernetes.io/network-unavailable' },
  { type: 'PIDPressure', status: 'True', key: 'node.kubernetes.io/pid-pressure' },
];

/** v1.Toleration.ToleratesTaint: empty effect or key match any; "" operator means Equal. */
export function toleratesTaint(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  switch (t.operator ?? '') {
    case '':
    case 'Equal':
      return (t.value ?? '') === (taint.value ?? '');
    case 'Exists':
      return true;
    default:
      return false;
  }
}

export function tolerated(tolerations: Toleration[] | undefined, taint: Taint): boolean {
  return (tolerations ?? []).some((t) => toleratesTaint(t, taint));
}

/** The node's taints plus those the lifecycle controller would derive from its conditions. */
export function effectiveTaints(node: any): Taint[] {
  const taints: Taint[] = [...(node?.spec?.taints ?? [])];
  const conditions: any[] = node?.status?.conditions ?? [];
  const add = (key: string) => {
    if (!taints.some((t) => t.key === key && t.effect === 'NoSchedule')) taints.push({ key, effect: 'NoSchedule' });
  };
  const ready = conditions.find((c) => c?.type === 'Ready');
  // A missing Ready condition is Unknown to the lifecycle controller.
  if (!ready || ready.status === 'Unknown') add(TAINT_UNREACHABLE);
  else if (ready.status !== 'True') add(TAINT_NOT_READY);
  for (const m of CONDITION_TAINTS) {
    if (conditions.some((c) => c?.type === m.type && c.status === m.status)) add(m.key);
  }
  return taints;
}

/** NodeUnschedulable: spec.unschedulable, unless the pod tolerates the unschedulable taint. */
export function unschedulableReason(pod: any, node: any): string | undefined {
  if (!node?.spec?.unschedulable) return undefined;
  if (tolerated(pod?.spec?.tolerations, { key: TAINT_UNSCHEDULABLE, effect: 'NoSchedule' })) return undefined;
  return ERR_REASON_UNSCHEDULABLE;
}

/** TaintToleration: the first NoSchedule/NoExecute taint the pod does not tolerate. */
export function untoleratedTaintReason(pod: any, node: any): string | undefined {
  for (const taint of effectiveTaints(node)) {
    if (taint.effect !== 'NoSchedule' && taint.effect !== 'NoExecute') continue;
    if (!tolerated(pod?.spec?.tolerations, taint)) {
      return `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`;
    }
  }
  return undefined;
}
