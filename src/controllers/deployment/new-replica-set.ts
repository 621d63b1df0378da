// Finding or creating the ReplicaSet for the Deployment's current template, keeping revisions
// in step, and pruning old revisions: upstream's getAllReplicaSetsAndSyncRevision,
// getNewReplicaSet and cleanupDeployment (pkg/controller/deployment/sync.go, v1.33).

import { newControllerRef, controllerRefOf } from '../replicaset/index.ts';
import { POD_TEMPLATE_HASH_LABEL, podTemplateHash, templatesEqualIgnoringHash } from './hash.ts';
import {
  REVISION_ANNOTATION, byRevision, findNewReplicaSet, maxRevision, newReplicaSetReplicas,
  setNewReplicaSetAnnotations, specReplicas,
} from './replica-sets.ts';
import { REASON, getCondition, newCondition, setCondition } from './status.ts';
import { progressDeadlineSeconds, revisionHistoryLimit } from './strategy.ts';
import { deploymentEvent, writeReplicaSet } from './sync-state.ts';
import type { SyncState } from './sync-state.ts';

export interface ReplicaSetView {
  /** Working copies of the ReplicaSets the Deployment owns. */
  owned: any[];
  /** Every ReplicaSet in the namespace, for name collisions. */
  all: readonly any[];
}

function setDeploymentRevision(st: SyncState, revision: string): void {
  st.d.metadata.annotations ??= {};
  st.d.metadata.annotations[REVISION_ANNOTATION] = revision;
}

/**
 * The new ReplicaSet (creating it when `create` is set and it is missing) and the old ones.
 * May write the new ReplicaSet's annotations, the Deployment's revision and its Progressing
 * condition. On a name collision sets `st.aborted` and bumps status.collisionCount.
 */
export function getReplicaSets(st: SyncState, view: ReplicaSetView, create: boolean): { newRs?: any; oldRss: any[] } {
  const d = st.d;
  const found = findNewReplicaSet(d, view.owned);
  const oldRss = view.owned.filter((rs) => rs !== found);
  const newRevision = maxRevision(oldRss) + 1;
  const hasDeadline = progressDeadlineSeconds(d) !== undefined;
  if (found) {
    const annotationsChanged = setNewReplicaSetAnnotations(d, found, newRevision, true);
    const minReady = d.spec?.minReadySeconds ?? 0;
    if (annotationsChanged || (found.spec.minReadySeconds ?? 0) !== minReady) {
      found.spec.minReadySeconds = minReady;
      writeReplicaSet(st, found);
      // Upstream returns here; the Deployment's revision follows on the next sync.
      return { newRs: found, oldRss };
    }
    setDeploymentRevision(st, found.metadata.annotations?.[REVISION_ANNOTATION] ?? '');
    if (hasDeadline && !getCondition(d.status, 'Progressing')) {
      setCondition(d.status, newCondition('Progressing', 'True', REASON.FoundNewReplicaSet, `Found new replica set "${found.metadata.name}"`, st.now));
    }
    return { newRs: found, oldRss };
  }
  if (!create) return { oldRss };

  const collisionCount = d.status?.collisionCount;
  const hash = podTemplateHash(d.spec.template, collisionCount);
  const name = `${d.metadata.name}-${hash}`;
  const clash = view.all.find((rs) => rs?.metadata?.name === name && rs?.metadata?.namespace === d.metadata.namespace);
  if (clash) {
    const ref = controllerRefOf(clash);
    if (!(ref?.uid === d.metadata.uid && templatesEqualIgnoringHash(d.spec.template, clash.spec?.template))) {
      d.status.collisionCount = (collisionCount ?? 0) + 1;
      st.aborted = true;
      return { oldRss };
    }
  }
  const template = structuredClone(d.spec.template ?? {});
  template.metadata ??= {};
  template.metadata.labels = { ...(template.metadata.labels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash };
  const selector = structuredClone(d.spec.selector ?? {});
  selector.matchLabels = { ...(selector.matchLabels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash };
  const rs: any = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name,
      namespace: d.metadata.namespace,
      labels: { ...template.metadata.labels },
      ownerReferences: [newControllerRef(d, 'apps/v1', 'Deployment')],
      // Working-only: sorts this ReplicaSet as the newest for the rest of the sync.
      creationTimestamp: st.now.toISOString(),
    },
    spec: { replicas: 0, minReadySeconds: d.spec?.minReadySeconds ?? 0, selector, template },
    status: { replicas: 0 },
  };
  rs.spec.replicas = newReplicaSetReplicas(d, [...oldRss, rs], rs);
  setNewReplicaSetAnnotations(d, rs, newRevision, false);
  const event = rs.spec.replicas > 0
    ? deploymentEvent(st, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${name} from 0 to ${rs.spec.replicas}`)
    : undefined;
  writeReplicaSet(st, rs, event, true);
  view.owned.push(rs);
  setDeploymentRevision(st, String(newRevision));
  if (hasDeadline) {
    setCondition(d.status, newCondition('Progressing', 'True', REASON.NewReplicaSetCreated, `Created new replica set "${name}"`, st.now));
  }
  return { newRs: rs, oldRss };
}

/**
 * cleanupDeployment: deletes the oldest revisions beyond revisionHistoryLimit, skipping any
 * that still has replicas, an unobserved spec or a deletion under way (each skip still uses up
 * one of the slots, as upstream).
 */
export function cleanupOldReplicaSets(st: SyncState, oldRss: readonly any[]): void {
  const limit = revisionHistoryLimit(st.d);
  if (limit === undefined) return;
  const cleanable = oldRss.filter((rs) => rs && !rs.metadata?.deletionTimestamp);
  const diff = cleanable.length - limit;
  if (diff <= 0) return;
  const ordered = [...cleanable].sort(byRevision);
  for (let i = 0; i < diff; i++) {
    const rs = ordered[i];
    if ((rs.status?.replicas ?? 0) !== 0 || specReplicas(rs) !== 0) continue;
    if ((rs.metadata?.generation ?? 0) > (rs.status?.observedGeneration ?? 0)) continue;
    st.actions.push({ op: 'delete', replicaSet: rs });
  }
}
