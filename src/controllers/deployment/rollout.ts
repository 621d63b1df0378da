// The three ways a Deployment sync moves its ReplicaSets (pkg/controller/deployment, v1.33):
// rolling.go (surge the new one, then scale old ones down as availability allows),
// recreate.go (old ones to zero, wait for their pods to go, then the new one up) and sync.go's
// scale (proportional resizing while paused or when spec.replicas changes mid-rollout).

import {
  availableReplicas, bySizeNewer, bySizeOlder, byCreation, desiredReplicasAnnotation, isActive,
  isSaturated, newReplicaSetReplicas, proportionFor, specReplicas, statusReplicas, sum,
} from './replica-sets.ts';
import { isRollingUpdate, maxSurge, maxUnavailable, replicasOf } from './strategy.ts';
import { scaleAndRecord, scaleReplicaSet } from './sync-state.ts';
import type { SyncState } from './sync-state.ts';

// ---- rolling update ----------------------------------------------------------------------

/** reconcileNewReplicaSet: grow the new ReplicaSet as far as maxSurge allows. */
export function reconcileNewReplicaSet(st: SyncState, allRss: readonly any[], newRs: any): boolean {
  const want = replicasOf(st.d);
  if (specReplicas(newRs) === want) return false;
  if (specReplicas(newRs) > want) return scaleAndRecord(st, newRs, want);
  return scaleAndRecord(st, newRs, newReplicaSetReplicas(st.d, allRss, newRs));
}

/** reconcileOldReplicaSets: shrink old ReplicaSets as far as maxUnavailable allows. */
export function reconcileOldReplicaSets(st: SyncState, allRss: readonly any[], activeOld: any[], newRs: any): boolean {
  if (sum(activeOld, specReplicas) === 0) return false;
  const minAvailable = replicasOf(st.d) - maxUnavailable(st.d);
  const newUnavailable = specReplicas(newRs) - availableReplicas(newRs);
  const maxScaledDown = sum(allRss, specReplicas) - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return false;
  const cleaned = cleanupUnhealthyReplicas(st, activeOld, maxScaledDown);
  const scaled = scaleDownOldForRollingUpdate(st, [...activeOld, newRs], activeOld);
  return cleaned + scaled > 0;
}

/** Old replicas that are not available go first: they cost no availability. */
function cleanupUnhealthyReplicas(st: SyncState, oldRss: any[], maxCleanup: number): number {
  let total = 0;
  for (const rs of [...oldRss].sort(byCreation)) {
    if (total >= maxCleanup) break;
    if (specReplicas(rs) === 0 || specReplicas(rs) === availableReplicas(rs)) continue;
    const down = Math.min(maxCleanup - total, specReplicas(rs) - availableReplicas(rs));
    scaleAndRecord(st, rs, specReplicas(rs) - down);
    total += down;
  }
  return total;
}

function scaleDownOldForRollingUpdate(st: SyncState, allRss: readonly any[], oldRss: any[]): number {
  const minAvailable = replicasOf(st.d) - maxUnavailable(st.d);
  const available = sum(allRss, availableReplicas);
  if (available <= minAvailable) return 0;
  const toScaleDown = available - minAvailable;
  let total = 0;
  for (const rs of [...oldRss].sort(byCreation)) {
    if (total >= toScaleDown) break;
    if (specReplicas(rs) === 0) continue;
    const down = Math.min(specReplicas(rs), toScaleDown - total);
    scaleAndRecord(st, rs, specReplicas(rs) - down);
    total += down;
  }
  return total;
}

// ---- recreate ----------------------------------------------------------------------------

export function scaleDownOldForRecreate(st: SyncState, activeOld: readonly any[]): boolean {
  let scaled = false;
  for (const rs of activeOld) {
    if (specReplicas(rs) === 0) continue;
    if (scaleAndRecord(st, rs, 0)) scaled = true;
  }
  return scaled;
}

/**
 * oldPodsRunning: any old ReplicaSet still reports replicas, or any pod of one is not yet
 * Succeeded or Failed (a terminating pod still counts).
 */
export function oldPodsRunning(newRs: any, oldRss: readonly any[], podsByRs: ReadonlyMap<string, readonly any[]>): boolean {
  if (sum(oldRss, statusReplicas) > 0) return true;
  for (const [uid, pods] of podsByRs) {
    if (newRs && newRs.metadata?.uid === uid) continue;
    if (pods.some((p) => p?.status?.phase !== 'Succeeded' && p?.status?.phase !== 'Failed')) return true;
  }
  return false;
}

// ---- proportional scaling ----------------------------------------------------------------

/** isScalingEvent: an active ReplicaSet was sized for a different spec.replicas. */
export function isScalingEvent(d: any, allRss: readonly any[]): boolean {
  return allRss.filter(isActive).some((rs) => {
    const desired = desiredReplicasAnnotation(rs);
    return desired !== undefined && desired !== replicasOf(d);
  });
}

function findActiveOrLatest(newRs: any, oldRss: readonly any[]): any | undefined {
  if (!newRs && !oldRss.length) return undefined;
  const newestFirst = [...oldRss].sort((a, b) => byCreation(b, a));
  const active = [...newestFirst, newRs].filter(isActive);
  if (active.length === 0) return newRs ?? newestFirst[0];
  if (active.length === 1) return active[0];
  return undefined;
}

/** scale: spread a change of spec.replicas over the active ReplicaSets by their share. */
export function scaleProportionally(st: SyncState, newRs: any, oldRss: readonly any[]): void {
  const d = st.d;
  const want = replicasOf(d);
  const only = findActiveOrLatest(newRs, oldRss);
  if (only) {
    if (specReplicas(only) !== want) scaleAndRecord(st, only, want);
    return;
  }
  if (isSaturated(d, newRs)) {
    for (const rs of oldRss.filter(isActive)) scaleAndRecord(st, rs, 0);
    return;
  }
  if (!isRollingUpdate(d)) return;
  let active = [...oldRss, newRs].filter(isActive);
  const allowed = want > 0 ? want + maxSurge(d) : 0;
  const toAdd = allowed - sum(active, specReplicas);
  let operation = '';
  if (toAdd > 0) { active = active.sort(bySizeNewer); operation = 'up'; }
  if (toAdd < 0) { active = active.sort(bySizeOlder); operation = 'down'; }
  let added = 0;
  const sizes = new Map<any, number>();
  for (const rs of active) {
    if (toAdd === 0) { sizes.set(rs, specReplicas(rs)); continue; }
    const share = proportionFor(rs, d, toAdd, added);
    sizes.set(rs, specReplicas(rs) + share);
    added += share;
  }
  active.forEach((rs, i) => {
    // Whatever rounding left over goes to the largest ReplicaSet.
    if (i === 0 && toAdd !== 0) sizes.set(rs, Math.max(0, sizes.get(rs)! + toAdd - added));
    scaleReplicaSet(st, rs, sizes.get(rs)!, operation);
  });
}
