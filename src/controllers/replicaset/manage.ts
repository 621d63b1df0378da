// What a ReplicaSet sync does to its pods: upstream's manageReplicas (pkg/controller/
// replicaset/replica_set.go, v1.33). Active owned pods are compared with spec.replicas; at
// most BURST_REPLICAS pods are created or deleted per sync, creations go out in slow-start
// batches (1, 2, 4, ...) and stop at the first batch with a failure.

import { isPodActive } from './pods.ts';
import { claimObjects, newControllerRef } from './controller-ref.ts';
import type { ClaimResult } from './controller-ref.ts';
import { rankPodsForDeletion } from './rank.ts';

/** kube-controller-manager's --concurrent-replicaset-syncs burst: creations or deletions per sync. */
export const BURST_REPLICAS = 500;
export const SLOW_START_INITIAL_BATCH = 1;

export interface ReplicaSetPlan {
  /** Pods to create from podFromTemplate(rs), sent in `batches`. */
  create: number;
  /** Slow-start batch sizes summing to `create`; stop after a batch in which any create failed. */
  batches: number[];
  /** Pods to delete (all at once, as upstream), most deletable first. */
  delete: any[];
}

export interface PlanReplicaSetOptions {
  now?: Date;
  /** Pods of every ReplicaSet sharing this one's owner; decides which node is doubled up. */
  relatedPods?: readonly any[];
}

export function desiredReplicas(rs: any): number {
  const r = rs?.spec?.replicas;
  return typeof r === 'number' ? r : 1;
}

/** Batch sizes of upstream's slowStartBatch: 1, 2, 4, ... capped by what is left. */
export function slowStartBatches(count: number, initial = SLOW_START_INITIAL_BATCH): number[] {
  const out: number[] = [];
  let left = count;
  for (let size = Math.min(left, initial); left > 0; size = Math.min(2 * size, left)) {
    out.push(size);
    left -= size;
  }
  return out;
}

/**
 * The pods this ReplicaSet manages, adopts and releases. As upstream, only active pods are
 * claimed: terminal and terminating pods are neither adopted nor released.
 */
export function claimPods(rs: any, pods: readonly any[]): ClaimResult<any> {
  return claimObjects(rs, pods.filter(isPodActive));
}

/**
 * Creations and deletions for one sync. `ownedPods` is what claimPods returned as owned
 * (inactive ones are ignored here). A ReplicaSet being deleted creates and deletes nothing.
 */
export function planReplicaSet(rs: any, ownedPods: readonly any[], opts: PlanReplicaSetOptions = {}): ReplicaSetPlan {
  const none: ReplicaSetPlan = { create: 0, batches: [], delete: [] };
  if (rs?.metadata?.deletionTimestamp) return none;
  const active = ownedPods.filter(isPodActive);
  const diff = active.length - desiredReplicas(rs);
  if (diff < 0) {
    const create = Math.min(-diff, BURST_REPLICAS);
    return { create, batches: slowStartBatches(create), delete: [] };
  }
  if (diff > 0) {
    const n = Math.min(diff, BURST_REPLICAS);
    const ranked = rankPodsForDeletion(active, opts.now ?? new Date(), opts.relatedPods ?? active);
    return { create: 0, batches: [], delete: ranked.slice(0, n) };
  }
  return none;
}

/**
 * The pod a ReplicaSet creates (controller.GetPodFromTemplate): labels, annotations and
 * finalizers from the template, generateName `<rs>-`, the controller reference, the template's
 * spec. The API server fills the random name suffix.
 */
export function podFromTemplate(rs: any): any {
  const tmpl = rs?.spec?.template ?? {};
  const tm = tmpl.metadata ?? {};
  const metadata: any = {
    generateName: `${rs.metadata.name}-`,
    namespace: rs.metadata.namespace,
    labels: { ...(tm.labels ?? {}) },
    ownerReferences: [newControllerRef(rs, 'apps/v1', 'ReplicaSet')],
  };
  if (tm.annotations && Object.keys(tm.annotations).length) metadata.annotations = { ...tm.annotations };
  if (tm.finalizers?.length) metadata.finalizers = [...tm.finalizers];
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec: structuredClone(tmpl.spec ?? {}) };
}
