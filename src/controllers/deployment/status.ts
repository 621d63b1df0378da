// A Deployment's status and conditions: upstream's calculateStatus, syncRolloutStatus and
// checkPausedConditions (pkg/controller/deployment/sync.go, progress.go, v1.33). Counts come
// from the ReplicaSets' own status, which the ReplicaSet controller keeps from the pods.
// terminatingReplicas is left out (its feature gate is off in 1.33).

import { formatTime, parseTime } from '../replicaset/index.ts';
import { availableReplicas, readyReplicas, specReplicas, statusReplicas, sum } from './replica-sets.ts';
import { maxUnavailable, progressDeadlineSeconds, replicasOf } from './strategy.ts';

export const REASON = {
  NewReplicaSetCreated: 'NewReplicaSetCreated',
  FoundNewReplicaSet: 'FoundNewReplicaSet',
  ReplicaSetUpdated: 'ReplicaSetUpdated',
  NewReplicaSetAvailable: 'NewReplicaSetAvailable',
  ProgressDeadlineExceeded: 'ProgressDeadlineExceeded',
  ReplicaSetCreateError: 'ReplicaSetCreateError',
  DeploymentPaused: 'DeploymentPaused',
  DeploymentResumed: 'DeploymentResumed',
  MinimumReplicasAvailable: 'MinimumReplicasAvailable',
  MinimumReplicasUnavailable: 'MinimumReplicasUnavailable',
} as const;

export interface DeploymentCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  lastUpdateTime?: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export function getCondition(status: any, type: string): DeploymentCondition | undefined {
  return (status?.conditions ?? []).find((c: any) => c?.type === type);
}

export function newCondition(type: string, status: DeploymentCondition['status'], reason: string, message: string, now: Date): DeploymentCondition {
  const t = formatTime(now);
  return { type, status, lastUpdateTime: t, lastTransitionTime: t, reason, message };
}

/**
 * SetDeploymentCondition: a condition with the same status and reason is left as it is; the
 * same status keeps its lastTransitionTime; the new condition moves to the end of the list.
 */
export function setCondition(status: any, cond: DeploymentCondition): void {
  const cur = getCondition(status, cond.type);
  if (cur && cur.status === cond.status && cur.reason === cond.reason) return;
  const c = { ...cond };
  if (cur && cur.status === c.status) c.lastTransitionTime = cur.lastTransitionTime;
  status.conditions = [...(status.conditions ?? []).filter((x: any) => x.type !== c.type), c];
}

export function removeCondition(status: any, type: string): void {
  const rest = (status.conditions ?? []).filter((x: any) => x.type !== type);
  if (rest.length) status.conditions = rest;
  else delete status.conditions;
}

/** calculateStatus: counts plus the Available condition, other conditions carried over. */
export function calculateStatus(d: any, allRss: readonly any[], newRs: any | undefined, now: Date): any {
  const available = sum(allRss, availableReplicas);
  const unavailable = Math.max(0, sum(allRss, specReplicas) - available);
  const status: any = {
    observedGeneration: d?.metadata?.generation ?? 0,
    replicas: sum(allRss, statusReplicas),
    updatedReplicas: newRs ? statusReplicas(newRs) : 0,
    readyReplicas: sum(allRss, readyReplicas),
    availableReplicas: available,
    unavailableReplicas: unavailable,
  };
  if (d?.status?.collisionCount !== undefined && d?.status?.collisionCount !== null) status.collisionCount = d.status.collisionCount;
  if (d?.status?.conditions?.length) status.conditions = d.status.conditions.map((c: any) => ({ ...c }));
  if (available >= replicasOf(d) - maxUnavailable(d)) {
    setCondition(status, newCondition('Available', 'True', REASON.MinimumReplicasAvailable, 'Deployment has minimum availability.', now));
  } else {
    setCondition(status, newCondition('Available', 'False', REASON.MinimumReplicasUnavailable, 'Deployment does not have minimum availability.', now));
  }
  return status;
}

/** DeploymentComplete: every replica updated and available, and the latest spec observed. */
export function deploymentComplete(d: any, status: any): boolean {
  const want = replicasOf(d);
  return status.updatedReplicas === want && status.replicas === want && status.availableReplicas === want
    && (status.observedGeneration ?? 0) >= (d?.metadata?.generation ?? 0);
}

/** DeploymentProgressing: more updated, fewer old, more ready or more available than before. */
export function deploymentProgressing(d: any, status: any): boolean {
  const old = d?.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = status.replicas - status.updatedReplicas;
  return status.updatedReplicas > (old.updatedReplicas ?? 0) || newOld < oldOld
    || status.readyReplicas > (old.readyReplicas ?? 0) || status.availableReplicas > (old.availableReplicas ?? 0);
}

/** DeploymentTimedOut: no progress reported for progressDeadlineSeconds. */
export function deploymentTimedOut(d: any, status: any, now: Date): boolean {
  const deadline = progressDeadlineSeconds(d);
  if (deadline === undefined) return false;
  const cond = getCondition(status, 'Progressing');
  if (!cond) return false;
  if (cond.reason === REASON.NewReplicaSetAvailable) return false;
  if (cond.reason === REASON.ProgressDeadlineExceeded) return true;
  const from = parseTime(cond.lastUpdateTime);
  return from !== undefined && from + deadline * 1000 < now.getTime();
}

/** ReplicaFailure carried up from the new ReplicaSet, else from any old one. */
function replicaFailure(allRss: readonly any[], newRs: any): DeploymentCondition | undefined {
  const fromRs = (rs: any) => (rs?.status?.conditions ?? []).find((c: any) => c.type === 'ReplicaFailure');
  const c = (newRs && fromRs(newRs)) ?? allRss.map(fromRs).find(Boolean);
  if (!c) return undefined;
  return { type: 'ReplicaFailure', status: c.status, lastUpdateTime: c.lastTransitionTime, lastTransitionTime: c.lastTransitionTime, reason: c.reason, message: c.message };
}

export interface RolloutStatus {
  status: any;
  /** Sync again after this long to notice a missed progress deadline (requeueStuckDeployment). */
  requeueAfterMs?: number;
}

/** syncRolloutStatus: calculateStatus plus the Progressing and ReplicaFailure conditions. */
export function rolloutStatus(d: any, allRss: readonly any[], newRs: any | undefined, now: Date): RolloutStatus {
  const status = calculateStatus(d, allRss, newRs, now);
  const deadline = progressDeadlineSeconds(d);
  if (deadline === undefined) removeCondition(status, 'Progressing');
  const current = getCondition(d?.status, 'Progressing');
  const complete = status.replicas === status.updatedReplicas && current?.reason === REASON.NewReplicaSetAvailable;
  if (deadline !== undefined && !complete) {
    const subject = newRs ? `ReplicaSet "${newRs.metadata.name}"` : `Deployment "${d.metadata.name}"`;
    if (deploymentComplete(d, status)) {
      setCondition(status, newCondition('Progressing', 'True', REASON.NewReplicaSetAvailable, `${subject} has successfully progressed.`, now));
    } else if (deploymentProgressing(d, status)) {
      // Progress refreshes lastUpdateTime even though the reason stays the same.
      const c = newCondition('Progressing', 'True', REASON.ReplicaSetUpdated, `${subject} is progressing.`, now);
      if (current) {
        if (current.status === 'True') c.lastTransitionTime = current.lastTransitionTime;
        removeCondition(status, 'Progressing');
      }
      setCondition(status, c);
    } else if (deploymentTimedOut(d, status, now)) {
      setCondition(status, newCondition('Progressing', 'False', REASON.ProgressDeadlineExceeded, `${subject} has timed out progressing.`, now));
    }
  }
  const failure = replicaFailure(allRss, newRs);
  if (failure) setCondition(status, failure);
  else removeCondition(status, 'ReplicaFailure');
  const out: RolloutStatus = { status };
  const after = stuckRequeueMs(d, status, now);
  if (after !== undefined) out.requeueAfterMs = after;
  return out;
}

/** requeueStuckDeployment: when an unfinished rollout would cross its deadline. */
function stuckRequeueMs(d: any, status: any, now: Date): number | undefined {
  const deadline = progressDeadlineSeconds(d);
  const cond = getCondition(status, 'Progressing');
  if (deadline === undefined || !cond) return undefined;
  if (cond.reason === REASON.NewReplicaSetAvailable || cond.reason === REASON.ProgressDeadlineExceeded) return undefined;
  if (deploymentComplete(d, status)) return undefined;
  const from = parseTime(cond.lastUpdateTime);
  if (from === undefined) return undefined;
  // A second past the deadline, so the check (strictly after) sees it passed; never 0, which
  // the runtime reads as "no requeue".
  return Math.max(0, from + deadline * 1000 - now.getTime()) + 1000;
}

/** checkPausedConditions: Progressing Unknown while paused, and again once resumed. */
export function applyPausedCondition(d: any, status: any, now: Date): void {
  if (progressDeadlineSeconds(d) === undefined) return;
  const cond = getCondition(status, 'Progressing');
  if (cond?.reason === REASON.ProgressDeadlineExceeded) return;
  const pausedShown = cond?.reason === REASON.DeploymentPaused;
  if (d?.spec?.paused && !pausedShown) {
    setCondition(status, newCondition('Progressing', 'Unknown', REASON.DeploymentPaused, 'Deployment is paused', now));
  } else if (!d?.spec?.paused && pausedShown) {
    setCondition(status, newCondition('Progressing', 'Unknown', REASON.DeploymentResumed, 'Deployment is resumed', now));
  }
}
