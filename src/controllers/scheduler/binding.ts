// What the scheduler writes once it has decided (upstream: pkg/scheduler/schedule_one.go,
// DefaultBinder, handleSchedulingFailure): the Binding posted to pods/<name>/binding, the
// PodScheduled=False condition of an unschedulable pod, and the two Events.

import { rfc3339 } from '../../lib/time.ts';

export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';
/** core/v1 Event notes are capped at 1024 bytes (validation.NoteLengthLimit). */
const NOTE_LENGTH_LIMIT = 1024;

export interface ObjectRef {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; uid?: string };
}

export interface PlannedEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
  object: ObjectRef;
  /** events.k8s.io/v1 action, as the scheduler reports it. */
  action?: string;
}

export interface PodCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  lastProbeTime: string | null;
  lastTransitionTime: string;
  reason?: string;
  message?: string;
}

/** metav1.Time serializes to whole seconds in UTC. */
export function formatTime(now: Date): string {
  return rfc3339(now);
}

export function podRef(pod: any): ObjectRef {
  const m = pod?.metadata ?? {};
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: m.name, namespace: m.namespace, uid: m.uid } };
}

/** Pods this scheduler should place: unbound, alive, asking for it, not gated. */
export function needsScheduling(pod: any, schedulerName = DEFAULT_SCHEDULER_NAME): boolean {
  const spec = pod?.spec ?? {};
  if (spec.nodeName || pod?.metadata?.deletionTimestamp) return false;
  const phase = pod?.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  if ((spec.schedulingGates ?? []).length > 0) return false;
  return (spec.schedulerName || DEFAULT_SCHEDULER_NAME) === schedulerName;
}

/** The v1 Binding body for POST /api/v1/namespaces/<ns>/pods/<name>/binding. */
export function bindingFor(pod: any, nodeName: string): any {
  const m = pod?.metadata ?? {};
  const metadata: Record<string, string> = { name: m.name, namespace: m.namespace };
  if (m.uid) metadata.uid = m.uid; // the server refuses the binding if the pod was replaced
  return { apiVersion: 'v1', kind: 'Binding', metadata, target: { kind: 'Node', name: nodeName } };
}

function condition(reason: string, message: string, now: Date, previous?: any): PodCondition {
  // podutil.UpdatePodCondition keeps lastTransitionTime while the status stays the same.
  const same = previous?.type === 'PodScheduled' && previous?.status === 'False' && previous?.lastTransitionTime;
  return {
    type: 'PodScheduled',
    status: 'False',
    lastProbeTime: null,
    lastTransitionTime: same ? previous.lastTransitionTime : formatTime(now),
    reason,
    message,
  };
}

/**
 * PodScheduled=False, reason Unschedulable, with the FailedScheduling message (untruncated,
 * as upstream writes it). Pass the pod's current PodScheduled condition as `previous` to keep
 * its lastTransitionTime when it was already False.
 */
export function unschedulableCondition(message: string, now: Date, previous?: any): PodCondition {
  return condition('Unschedulable', message, now, previous);
}

/** The condition the scheduling queue writes for a pod held back by spec.schedulingGates. */
export function schedulingGatedCondition(now: Date, previous?: any): PodCondition {
  return condition('SchedulingGated', 'Scheduling is blocked due to non-empty scheduling gates', now, previous);
}

export function scheduledEvent(pod: any, nodeName: string): PlannedEvent {
  const m = pod?.metadata ?? {};
  return {
    type: 'Normal',
    reason: 'Scheduled',
    action: 'Binding',
    message: `Successfully assigned ${m.namespace}/${m.name} to ${nodeName}`,
    object: podRef(pod),
  };
}

export function failedSchedulingEvent(pod: any, message: string): PlannedEvent {
  const suffix = ' ...';
  const note = message.length <= NOTE_LENGTH_LIMIT ? message : message.slice(0, NOTE_LENGTH_LIMIT - suffix.length) + suffix;
  return { type: 'Warning', reason: 'FailedScheduling', action: 'Scheduling', message: note, object: podRef(pod) };
}
