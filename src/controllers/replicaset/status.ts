// A ReplicaSet's status, as upstream's calculateStatus and updateReplicaSetStatus
// (pkg/controller/replicaset/replica_set_utils.go, v1.33). terminatingReplicas is left out:
// its feature gate (DeploymentReplicaSetTerminatingReplicas) is alpha and off in 1.33.

import { formatTime, isPodActive, isPodAvailable, isPodReady } from './pods.ts';
import { desiredReplicas } from './manage.ts';

export interface ReplicaSetStatusResult {
  status: any;
  /** False when the stored status already says this: skip the write. */
  changed: boolean;
  /** Sync again then: ready pods will have become available (minReadySeconds). */
  requeueAfterMs?: number;
}

/** What went wrong creating or deleting pods in this sync, if anything. */
export interface ManageError {
  message: string;
}

/**
 * Status from the owned pods (inactive ones ignored). `manageError` is the first error of this
 * sync's creations or deletions: it sets the ReplicaFailure condition (FailedCreate when pods
 * were missing, FailedDelete when there were too many), and a clean sync removes it.
 */
export function replicaSetStatus(rs: any, ownedPods: readonly any[], now: Date, manageError?: ManageError | null): ReplicaSetStatusResult {
  const active = ownedPods.filter(isPodActive);
  const old = rs.status ?? {};
  const templateLabels: Record<string, string> = rs?.spec?.template?.metadata?.labels ?? {};
  const minReady = rs?.spec?.minReadySeconds ?? 0;
  let fullyLabeled = 0;
  let ready = 0;
  let available = 0;
  for (const pod of active) {
    const labels = pod?.metadata?.labels ?? {};
    if (Object.entries(templateLabels).every(([k, v]) => labels[k] === v)) fullyLabeled++;
    if (isPodReady(pod)) {
      ready++;
      if (isPodAvailable(pod, minReady, now)) available++;
    }
  }
  let conditions: any[] = [...(old.conditions ?? [])];
  const failure = conditions.find((c) => c.type === 'ReplicaFailure');
  if (manageError && !failure) {
    const diff = active.length - desiredReplicas(rs);
    const reason = diff < 0 ? 'FailedCreate' : diff > 0 ? 'FailedDelete' : '';
    conditions.push({ type: 'ReplicaFailure', status: 'True', lastTransitionTime: formatTime(now), reason, message: manageError.message });
  } else if (!manageError && failure) {
    conditions = conditions.filter((c) => c.type !== 'ReplicaFailure');
  }
  const generation = rs?.metadata?.generation ?? 0;
  const status: any = {
    ...old,
    replicas: active.length,
    fullyLabeledReplicas: fullyLabeled,
    readyReplicas: ready,
    availableReplicas: available,
    observedGeneration: generation,
  };
  if (conditions.length) status.conditions = conditions;
  else delete status.conditions;
  const changed = (old.replicas ?? 0) !== status.replicas
    || (old.fullyLabeledReplicas ?? 0) !== fullyLabeled
    || (old.readyReplicas ?? 0) !== ready
    || (old.availableReplicas ?? 0) !== available
    || (old.observedGeneration ?? 0) !== generation
    || JSON.stringify(old.conditions ?? []) !== JSON.stringify(conditions);
  const result: ReplicaSetStatusResult = { status, changed };
  const want = desiredReplicas(rs);
  if (!manageError && minReady > 0 && ready === want && available !== want) result.requeueAfterMs = minReady * 1000;
  return result;
}
