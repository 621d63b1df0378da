// Pod facts the workload controllers decide on, as k8s.io/kubernetes pkg/api/v1/pod and
// pkg/controller/controller_utils.go define them (v1.33). Times are RFC 3339 strings as the
// API serves them; `now` is a Date so tests can pin it.

import { rfc3339 } from '../../lib/time.ts';

/** Not Succeeded, not Failed, not being deleted: a pod that still counts as a replica. */
export function isPodActive(pod: any): boolean {
  const phase = pod?.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !pod?.metadata?.deletionTimestamp;
}

/** Being deleted but not yet terminal (what upstream's terminatingReplicas would count). */
export function isPodTerminating(pod: any): boolean {
  const phase = pod?.status?.phase;
  return !!pod?.metadata?.deletionTimestamp && phase !== 'Succeeded' && phase !== 'Failed';
}

export function podReadyCondition(pod: any): any | undefined {
  return (pod?.status?.conditions ?? []).find((c: any) => c?.type === 'Ready');
}

export function isPodReady(pod: any): boolean {
  return podReadyCondition(pod)?.status === 'True';
}

/** Milliseconds since the epoch, or undefined for a missing or unparsable time. */
export function parseTime(s: unknown): number | undefined {
  if (typeof s !== 'string' || !s) return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : t;
}

/** metav1.Time's wire form: RFC 3339 at second precision. */
export function formatTime(d: Date): string {
  return rfc3339(d);
}

/**
 * Ready for at least minReadySeconds (podutil.IsPodAvailable). The comparison is strict, as
 * upstream's `lastTransitionTime + minReadySeconds` Before(now).
 */
export function isPodAvailable(pod: any, minReadySeconds: number, now: Date): boolean {
  if (!isPodReady(pod)) return false;
  if (!minReadySeconds) return true;
  const since = parseTime(podReadyCondition(pod)?.lastTransitionTime);
  return since !== undefined && since + minReadySeconds * 1000 < now.getTime();
}

/** The highest restartCount among the pod's containers. */
export function maxContainerRestarts(pod: any): number {
  let max = 0;
  for (const c of pod?.status?.containerStatuses ?? []) max = Math.max(max, Number(c?.restartCount) || 0);
  return max;
}
