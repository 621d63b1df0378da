// The endpoints.kubernetes.io/last-change-trigger-time value, as upstream's
// TriggerTimeTracker (k8s.io/endpointslice util/trigger_time_tracker.go) computes it:
// the earliest trigger among pods/Service that changed since the previous sync. A pod's
// trigger is its Ready condition's lastTransitionTime; the Service's is its
// creationTimestamp. Upstream keeps the previous observation inside the tracker; here
// it is a value the caller keeps per Service and hands back next time.

import { selectPods } from './desired.ts';

export interface TriggerState {
  /** Service trigger time (ms since epoch) seen last sync; 0 when unknown. */
  serviceTime: number;
  /** Pod name -> Ready lastTransitionTime (ms) seen last sync. */
  podTimes: Record<string, number>;
}

function ms(t: unknown): number {
  if (typeof t !== 'string' || t === '') return 0;
  const v = Date.parse(t);
  return Number.isNaN(v) ? 0 : v;
}

/** Go's time.RFC3339Nano in UTC: fractional seconds without trailing zeros. */
export function formatRFC3339Nano(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.(\d*?)0*Z$/, (_m, f: string) => (f ? `.${f}Z` : 'Z'));
}

/**
 * Trigger time for this sync plus the state to keep for the next one. Without a
 * previous state (first sync of the Service) the answer is the Service's
 * creationTimestamp; with one, the earliest changed trigger, or undefined when nothing
 * changed (writers then drop the annotation from objects they rewrite).
 */
export function computeTriggerTime(service: any, pods: any[], previous?: TriggerState): { triggerTime?: string; state: TriggerState } {
  let earliest = 0;
  const podTimes: Record<string, number> = {};
  for (const pod of selectPods(service, pods)) {
    const ready = (pod?.status?.conditions ?? []).find((c: any) => c?.type === 'Ready');
    const t = ms(ready?.lastTransitionTime);
    if (t === 0) continue;
    const name = pod.metadata?.name ?? '';
    podTimes[name] = t;
    if (t > (previous?.podTimes[name] ?? 0) && (earliest === 0 || t < earliest)) earliest = t;
  }
  const serviceTime = ms(service?.metadata?.creationTimestamp);
  if (serviceTime > (previous?.serviceTime ?? 0) && (earliest === 0 || serviceTime < earliest)) earliest = serviceTime;
  const state: TriggerState = { serviceTime, podTimes };
  if (!previous) return { triggerTime: serviceTime ? formatRFC3339Nano(serviceTime) : undefined, state };
  return { triggerTime: earliest ? formatRFC3339Nano(earliest) : undefined, state };
}
