// One Deployment sync as a plan: upstream's syncDeployment (pkg/controller/deployment/
// deployment_controller.go, v1.33) over a snapshot of the Deployment, the ReplicaSets in its
// namespace and the pods of the ones it owns.

import {
  claimObjects, controllerRefOf, newControllerRef, ownerReferencesAfterAdopt, ownerReferencesAfterRelease,
  ownerReferencesPatch,
} from '../replicaset/index.ts';
import { fromLabelSelector, matchesLabels } from '../../k8s/selectors.ts';
import { cleanupOldReplicaSets, getReplicaSets } from './new-replica-set.ts';
import type { ReplicaSetView } from './new-replica-set.ts';
import {
  isScalingEvent, oldPodsRunning, reconcileNewReplicaSet, reconcileOldReplicaSets, scaleDownOldForRecreate,
  scaleProportionally,
} from './rollout.ts';
import { isActive } from './replica-sets.ts';
import { applyPausedCondition, calculateStatus, deploymentComplete, rolloutStatus } from './status.ts';
import { isRollingUpdate, replicasOf } from './strategy.ts';
import { deploymentEvent, finishPlan, newSyncState, scaleAndRecord } from './sync-state.ts';
import type { DeploymentPlan, SyncState } from './sync-state.ts';

function selectsEverything(d: any): boolean {
  const s = d?.spec?.selector;
  return !s || (!Object.keys(s.matchLabels ?? {}).length && !(s.matchExpressions ?? []).length);
}

/**
 * Pods grouped by the owned ReplicaSet that controls them (getPodMapForDeployment): pods the
 * Deployment's selector matches whose controller reference names one of `replicaSets`.
 */
export function podsByReplicaSet(d: any, replicaSets: readonly any[], pods: readonly any[]): Map<string, any[]> {
  const sel = fromLabelSelector(d?.spec?.selector);
  const out = new Map<string, any[]>();
  for (const rs of replicaSets) out.set(rs.metadata.uid, []);
  for (const p of pods) {
    if (p?.metadata?.namespace !== d?.metadata?.namespace || !matchesLabels(sel, p?.metadata?.labels)) continue;
    const ref = controllerRefOf(p);
    if (ref && out.has(ref.uid)) out.get(ref.uid)!.push(p);
  }
  return out;
}

/** Claims ReplicaSets (adopt/release actions) and returns working copies of the owned ones. */
function claimReplicaSets(st: SyncState, replicaSets: readonly any[]): ReplicaSetView {
  const all = replicaSets.filter((rs) => rs?.metadata?.namespace === st.d.metadata.namespace);
  const claim = claimObjects(st.d, all);
  const ref = newControllerRef(st.d, 'apps/v1', 'Deployment');
  for (const rs of claim.adopt) {
    const refs = ownerReferencesAfterAdopt(rs, ref);
    st.actions.push({ op: 'adopt', replicaSet: rs, ownerReferences: refs, patch: ownerReferencesPatch(rs, refs) });
  }
  for (const rs of claim.release) {
    const refs = ownerReferencesAfterRelease(rs, st.d.metadata.uid);
    st.actions.push({ op: 'release', replicaSet: rs, ownerReferences: refs, patch: ownerReferencesPatch(rs, refs) });
  }
  const owned = claim.owned.map((rs) => {
    const copy = structuredClone(rs);
    copy.metadata.annotations ??= {};
    copy.spec ??= {};
    if (claim.adopt.includes(rs)) copy.metadata.ownerReferences = ownerReferencesAfterAdopt(rs, ref);
    return copy;
  });
  return { owned, all };
}

/**
 * Plans one sync of `deployment`. `replicaSets`: every ReplicaSet in its namespace (claiming is
 * done here). `podsByRs`: pods keyed by owning ReplicaSet UID (see podsByReplicaSet); only the
 * Recreate strategy reads it, to wait until old pods are gone.
 */
export function planDeployment(deployment: any, replicaSets: readonly any[], podsByRs: ReadonlyMap<string, readonly any[]>, now: Date): DeploymentPlan {
  const st = newSyncState(deployment, now);
  const d = st.d;
  if (selectsEverything(d)) {
    st.events.push(deploymentEvent(st, 'Warning', 'SelectorOverride', 'This deployment is selecting all pods. A non-empty selector is required.'));
    const status = { ...d.status };
    if ((status.observedGeneration ?? 0) < (d.metadata.generation ?? 0)) status.observedGeneration = d.metadata.generation;
    return finishPlan(st, deployment, status);
  }
  const view = claimReplicaSets(st, replicaSets);

  if (d.metadata.deletionTimestamp) {
    const { newRs, oldRss } = getReplicaSets(st, view, false);
    return finishPlan(st, deployment, calculateStatus(d, withNew(oldRss, newRs), newRs, now), newRs);
  }
  applyPausedCondition(d, d.status, now);
  if (d.spec?.paused) return syncScaling(st, deployment, view);
  {
    const { newRs, oldRss } = getReplicaSets(st, view, false);
    if (isScalingEvent(d, withNew(oldRss, newRs))) return syncScaling(st, deployment, view);
  }
  return isRollingUpdate(d) ? rolloutRolling(st, deployment, view) : rolloutRecreate(st, deployment, view, podsByRs);
}

const withNew = (oldRss: any[], newRs: any) => (newRs ? [...oldRss, newRs] : [...oldRss]);

/** sync: proportional scaling, history cleanup while paused, counts-only status. */
function syncScaling(st: SyncState, original: any, view: ReplicaSetView): DeploymentPlan {
  const { newRs, oldRss } = getReplicaSets(st, view, false);
  scaleProportionally(st, newRs, oldRss);
  if (st.d.spec?.paused) cleanupOldReplicaSets(st, oldRss);
  return finishPlan(st, original, calculateStatus(st.d, withNew(oldRss, newRs), newRs, st.now), newRs);
}

function finishRollout(st: SyncState, original: any, allRss: any[], newRs: any): DeploymentPlan {
  const r = rolloutStatus(st.d, allRss, newRs, st.now);
  if (r.requeueAfterMs !== undefined) st.requeueAfterMs = r.requeueAfterMs;
  return finishPlan(st, original, r.status, newRs);
}

function rolloutRolling(st: SyncState, original: any, view: ReplicaSetView): DeploymentPlan {
  const { newRs, oldRss } = getReplicaSets(st, view, true);
  if (st.aborted || !newRs) return finishPlan(st, original, st.d.status);
  const allRss = [...oldRss, newRs];
  if (reconcileNewReplicaSet(st, allRss, newRs)) return finishRollout(st, original, allRss, newRs);
  if (reconcileOldReplicaSets(st, allRss, oldRss.filter(isActive), newRs)) return finishRollout(st, original, allRss, newRs);
  if (deploymentComplete(st.d, st.d.status)) cleanupOldReplicaSets(st, oldRss);
  return finishRollout(st, original, allRss, newRs);
}

function rolloutRecreate(st: SyncState, original: any, view: ReplicaSetView, podsByRs: ReadonlyMap<string, readonly any[]>): DeploymentPlan {
  let { newRs, oldRss } = getReplicaSets(st, view, false);
  if (scaleDownOldForRecreate(st, oldRss.filter(isActive))) return finishRollout(st, original, withNew(oldRss, newRs), newRs);
  if (oldPodsRunning(newRs, oldRss, podsByRs)) return finishRollout(st, original, withNew(oldRss, newRs), newRs);
  if (!newRs) {
    ({ newRs, oldRss } = getReplicaSets(st, view, true));
    if (st.aborted || !newRs) return finishPlan(st, original, st.d.status);
  }
  scaleAndRecord(st, newRs, replicasOf(st.d));
  if (deploymentComplete(st.d, st.d.status)) cleanupOldReplicaSets(st, oldRss);
  return finishRollout(st, original, withNew(oldRss, newRs), newRs);
}

/**
 * The status a sync would write, without planning any change: counts from the ReplicaSets'
 * status, Available, and (unless paused) Progressing as a rollout sync computes it.
 */
export function deploymentStatus(deployment: any, replicaSets: readonly any[], now: Date): any {
  const st = newSyncState(deployment, now);
  const owned = claimObjects(st.d, replicaSets).owned.filter((rs) => controllerRefOf(rs)?.uid === deployment.metadata.uid);
  const view: ReplicaSetView = { owned: owned.map((rs) => structuredClone(rs)), all: replicaSets };
  applyPausedCondition(st.d, st.d.status, now);
  const { newRs, oldRss } = getReplicaSets(st, view, false);
  const all = withNew(oldRss, newRs);
  const status = st.d.spec?.paused ? calculateStatus(st.d, all, newRs, now) : rolloutStatus(st.d, all, newRs, now).status;
  return finishPlan(st, { status: {} }, status).status ?? {};
}
