// The working state of one Deployment sync. Upstream's syncDeployment writes as it goes and
// later steps read what earlier ones wrote; here every step edits working copies and the
// writes are collected as an ordered plan. Each ReplicaSet gets at most one write, at the
// position of its first change, carrying the final object (so the caller's PUT with the
// cached resourceVersion cannot conflict with itself); the Deployment's annotations and
// status are written once, at the end.

import { objectRef } from '../replicaset/index.ts';
import type { PlanEvent, OwnerReference } from '../replicaset/index.ts';
import { canonicalJson } from './hash.ts';
import { setReplicasAnnotations, specReplicas } from './replica-sets.ts';
import { maxSurge, replicasOf } from './strategy.ts';

export type DeploymentAction =
  /** PATCH the ReplicaSet's ownerReferences (`patch` is a JSON merge patch). */
  | { op: 'adopt' | 'release'; replicaSet: any; ownerReferences: OwnerReference[]; patch: any }
  /** POST the ReplicaSet; on AlreadyExists stop and sync again. Record `events` once created. */
  | { op: 'create'; replicaSet: any; events: PlanEvent[] }
  /** PUT the whole ReplicaSet (it keeps the cached resourceVersion). Record `events` after. */
  | { op: 'update'; replicaSet: any; events: PlanEvent[] }
  /** DELETE the ReplicaSet (an old revision beyond revisionHistoryLimit). */
  | { op: 'delete'; replicaSet: any };

export interface DeploymentPlan {
  /** Apply in order; stop at the first failure and sync again later. */
  actions: DeploymentAction[];
  /** The Deployment's full metadata.annotations, when the revision annotation changed. */
  annotations?: Record<string, string>;
  /** The Deployment's new status, when it differs from the stored one. */
  status?: any;
  /** Events not tied to an action (recorded on the Deployment right away). */
  events: PlanEvent[];
  /** Sync this Deployment again after this long even if nothing changes. */
  requeueAfterMs?: number;
  /** Name of the ReplicaSet running the Deployment's current template, if there is one. */
  newReplicaSetName?: string;
}

interface Write {
  action: Extract<DeploymentAction, { op: 'create' | 'update' }>;
}

export interface SyncState {
  /** Working copy of the Deployment: annotations and status change during the sync. */
  d: any;
  now: Date;
  actions: DeploymentAction[];
  events: PlanEvent[];
  writes: Map<any, Write>;
  requeueAfterMs?: number;
  /** A hash collision was found: only the collisionCount bump goes out. */
  aborted?: boolean;
}

export function newSyncState(d: any, now: Date): SyncState {
  const wd = structuredClone(d);
  wd.metadata ??= {};
  wd.status ??= {};
  return { d: wd, now, actions: [], events: [], writes: new Map() };
}

export function deploymentRef(d: any) {
  return objectRef(d, 'apps/v1', 'Deployment');
}

export function deploymentEvent(st: SyncState, type: PlanEvent['type'], reason: string, message: string): PlanEvent {
  return { type, reason, message, object: deploymentRef(st.d) };
}

/** Registers `rs` (a working copy) as written; `event` is recorded once the write succeeds. */
export function writeReplicaSet(st: SyncState, rs: any, event?: PlanEvent, create = false): void {
  let w = st.writes.get(rs);
  if (!w) {
    w = { action: { op: create ? 'create' : 'update', replicaSet: rs, events: [] } };
    st.writes.set(rs, w);
    st.actions.push(w.action);
  }
  if (event) w.action.events.push(event);
}

/**
 * scaleReplicaSet: sets spec.replicas and the desired/max-replicas annotations; an Event only
 * when the size changed. Returns whether it did.
 */
export function scaleReplicaSet(st: SyncState, rs: any, newScale: number, operation: string): boolean {
  const sizeChanged = specReplicas(rs) !== newScale;
  const annotationsChanged = setReplicasAnnotations(rs, replicasOf(st.d), replicasOf(st.d) + maxSurge(st.d));
  if (!sizeChanged && !annotationsChanged) return false;
  const from = specReplicas(rs);
  rs.spec.replicas = newScale;
  const event = sizeChanged
    ? deploymentEvent(st, 'Normal', 'ScalingReplicaSet', `Scaled ${operation} replica set ${rs.metadata.name} from ${from} to ${newScale}`)
    : undefined;
  writeReplicaSet(st, rs, event);
  return sizeChanged;
}

/** scaleReplicaSetAndRecordEvent: nothing when already at `newScale`. */
export function scaleAndRecord(st: SyncState, rs: any, newScale: number): boolean {
  if (specReplicas(rs) === newScale) return false;
  return scaleReplicaSet(st, rs, newScale, specReplicas(rs) < newScale ? 'up' : 'down');
}

/** The object to send: working-only fields of a ReplicaSet not yet created are dropped. */
function wireObject(action: DeploymentAction): DeploymentAction {
  if (action.op !== 'create') return action;
  const rs = structuredClone(action.replicaSet);
  delete rs.metadata.creationTimestamp;
  delete rs.metadata.uid;
  delete rs.status;
  return { ...action, replicaSet: rs };
}

function sameJson(a: unknown, b: unknown): boolean {
  return canonicalJson(a ?? null) === canonicalJson(b ?? null);
}

/**
 * The status as the API serves it: counts are omitempty int32s, so zeros are absent
 * (collisionCount is a pointer and keeps its 0).
 */
export function compactStatus(status: any): any {
  const out: any = {};
  for (const [k, v] of Object.entries(status ?? {})) {
    if (v === 0 && k !== 'collisionCount') continue;
    if (Array.isArray(v) && !v.length) continue;
    out[k] = v;
  }
  return out;
}

/** The plan: actions as collected, the Deployment's annotations and status if they changed. */
export function finishPlan(st: SyncState, original: any, status: any, newRs?: any): DeploymentPlan {
  const plan: DeploymentPlan = { actions: st.actions.map(wireObject), events: st.events };
  const annotations = st.d.metadata.annotations ?? {};
  if (!sameJson(annotations, original?.metadata?.annotations ?? {})) plan.annotations = annotations;
  const compact = compactStatus(status);
  if (!sameJson(compact, compactStatus(original?.status))) plan.status = compact;
  if (st.requeueAfterMs !== undefined) plan.requeueAfterMs = st.requeueAfterMs;
  if (newRs) plan.newReplicaSetName = newRs.metadata.name;
  return plan;
}
