// What the caller reports when creating the new ReplicaSet fails for a reason other than
// AlreadyExists (which only needs another sync): upstream's getNewReplicaSet error branch
// sets Progressing=False with reason ReplicaSetCreateError (when a progress deadline is set)
// and records a Warning Event with that same reason.

import type { PlanEvent } from '../replicaset/index.ts';
import { REASON, newCondition, setCondition } from './status.ts';
import { progressDeadlineSeconds } from './strategy.ts';
import { deploymentRef } from './sync-state.ts';

export function replicaSetCreateFailed(deployment: any, replicaSetName: string, error: string, now: Date): { status: any; event: PlanEvent } {
  const message = `Failed to create new replica set "${replicaSetName}": ${error}`;
  const status = structuredClone(deployment.status ?? {});
  if (progressDeadlineSeconds(deployment) !== undefined) {
    setCondition(status, newCondition('Progressing', 'False', REASON.ReplicaSetCreateError, message, now));
  }
  return { status, event: { type: 'Warning', reason: REASON.ReplicaSetCreateError, message, object: deploymentRef(deployment) } };
}
