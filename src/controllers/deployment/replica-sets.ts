// Facts about a Deployment's ReplicaSets, from deploymentutil and controller_utils (v1.33):
// orderings, revisions, the annotations the controller keeps on them, and how many replicas
// the new one may have.

import { parseTime } from '../replicaset/index.ts';
import { templatesEqualIgnoringHash } from './hash.ts';
import { maxSurge, replicasOf, roundHalfAwayFromZero, scaledValue, isRollingUpdate } from './strategy.ts';

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY_ANNOTATION = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/max-replicas';
const ROLLBACK_TO_ANNOTATION = 'deprecated.deployment.rollback.to';
const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';
/** Upstream's maxRevHistoryLengthInChars. */
const MAX_REVISION_HISTORY_CHARS = 2000;

/** Deployment annotations never copied onto its ReplicaSets. */
const SKIPPED_ANNOTATIONS = new Set([
  LAST_APPLIED_ANNOTATION, REVISION_ANNOTATION, REVISION_HISTORY_ANNOTATION,
  DESIRED_REPLICAS_ANNOTATION, MAX_REPLICAS_ANNOTATION, ROLLBACK_TO_ANNOTATION,
]);

function cmp(a: unknown, b: unknown): number {
  const x = String(a ?? '');
  const y = String(b ?? '');
  return x < y ? -1 : x > y ? 1 : 0;
}

export const specReplicas = (rs: any): number => rs?.spec?.replicas ?? 0;
export const statusReplicas = (rs: any): number => rs?.status?.replicas ?? 0;
export const availableReplicas = (rs: any): number => rs?.status?.availableReplicas ?? 0;
export const readyReplicas = (rs: any): number => rs?.status?.readyReplicas ?? 0;
export const sum = (rss: readonly any[], f: (rs: any) => number): number => rss.reduce((n, rs) => n + (rs ? f(rs) : 0), 0);

/** Older first; equal times by name (controller.ReplicaSetsByCreationTimestamp). */
export function byCreation(a: any, b: any): number {
  const ta = parseTime(a?.metadata?.creationTimestamp) ?? 0;
  const tb = parseTime(b?.metadata?.creationTimestamp) ?? 0;
  return ta !== tb ? ta - tb : cmp(a?.metadata?.name, b?.metadata?.name);
}

/** Larger first; equal sizes older first (ReplicaSetsBySizeOlder, for scaling down). */
export function bySizeOlder(a: any, b: any): number {
  return specReplicas(b) - specReplicas(a) || byCreation(a, b);
}

/** Larger first; equal sizes newer first (ReplicaSetsBySizeNewer, for scaling up). */
export function bySizeNewer(a: any, b: any): number {
  return specReplicas(b) - specReplicas(a) || byCreation(b, a);
}

/** The revision annotation as a number; missing is 0, unparsable is NaN. */
export function revisionOf(obj: any): number {
  const v = obj?.metadata?.annotations?.[REVISION_ANNOTATION];
  if (v === undefined) return 0;
  return /^\d+$/.test(v) ? Number(v) : NaN;
}

export function byRevision(a: any, b: any): number {
  const ra = revisionOf(a) || 0;
  const rb = revisionOf(b) || 0;
  return ra !== rb ? ra - rb : byCreation(a, b);
}

export function maxRevision(rss: readonly any[]): number {
  let max = 0;
  for (const rs of rss) {
    const r = revisionOf(rs);
    if (!Number.isNaN(r) && r > max) max = r;
  }
  return max;
}

/** The oldest ReplicaSet whose template is the Deployment's (ignoring the hash label). */
export function findNewReplicaSet(d: any, rss: readonly any[]): any | undefined {
  return [...rss].sort(byCreation).find((rs) => templatesEqualIgnoringHash(rs?.spec?.template, d?.spec?.template));
}

export const isActive = (rs: any): boolean => !!rs && specReplicas(rs) > 0;

/** Sets desired-replicas and max-replicas; true when either changed. */
export function setReplicasAnnotations(rs: any, desired: number, max: number): boolean {
  rs.metadata.annotations ??= {};
  const a = rs.metadata.annotations;
  let changed = false;
  if (a[DESIRED_REPLICAS_ANNOTATION] !== String(desired)) { a[DESIRED_REPLICAS_ANNOTATION] = String(desired); changed = true; }
  if (a[MAX_REPLICAS_ANNOTATION] !== String(max)) { a[MAX_REPLICAS_ANNOTATION] = String(max); changed = true; }
  return changed;
}

function intAnnotation(rs: any, key: string): number | undefined {
  const v = rs?.metadata?.annotations?.[key];
  return typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : undefined;
}

export const desiredReplicasAnnotation = (rs: any) => intAnnotation(rs, DESIRED_REPLICAS_ANNOTATION);
export const maxReplicasAnnotation = (rs: any) => intAnnotation(rs, MAX_REPLICAS_ANNOTATION);

/**
 * SetNewReplicaSetAnnotations: copies the Deployment's own annotations, raises the revision to
 * `newRevision` (recording the one it replaces in revision-history, which is what a rollback to
 * an old ReplicaSet looks like), and for a ReplicaSet about to be created sets the replica
 * annotations. Mutates `rs`; true when anything changed.
 */
export function setNewReplicaSetAnnotations(d: any, rs: any, newRevision: number, exists: boolean): boolean {
  rs.metadata.annotations ??= {};
  const a = rs.metadata.annotations;
  let changed = false;
  for (const [k, v] of Object.entries<string>(d?.metadata?.annotations ?? {})) {
    if (SKIPPED_ANNOTATIONS.has(k) || a[k] === v) continue;
    a[k] = v;
    changed = true;
  }
  const had = Object.hasOwn(a, REVISION_ANNOTATION);
  const oldRevision = had ? String(a[REVISION_ANNOTATION]) : '';
  if (oldRevision !== '' && !/^\d+$/.test(oldRevision)) return false;
  const old = oldRevision === '' ? 0 : Number(oldRevision);
  if (old < newRevision) {
    a[REVISION_ANNOTATION] = String(newRevision);
    changed = true;
    if (had) {
      const history = a[REVISION_HISTORY_ANNOTATION] ?? '';
      if (!history) a[REVISION_HISTORY_ANNOTATION] = oldRevision;
      else {
        const parts = history.split(',');
        let total = history.length + oldRevision.length + 1;
        let start = 0;
        while (total > MAX_REVISION_HISTORY_CHARS && start < parts.length) total -= parts[start++].length + 1;
        if (total <= MAX_REVISION_HISTORY_CHARS) a[REVISION_HISTORY_ANNOTATION] = [...parts.slice(start), oldRevision].join(',');
      }
    }
  }
  if (!exists && setReplicasAnnotations(rs, replicasOf(d), replicasOf(d) + maxSurge(d))) changed = true;
  return changed;
}

/** NewRSNewReplicas: how far the new ReplicaSet may grow now. */
export function newReplicaSetReplicas(d: any, allRss: readonly any[], newRs: any): number {
  const desired = replicasOf(d);
  if (!isRollingUpdate(d)) return desired;
  const surge = scaledValue(d?.spec?.strategy?.rollingUpdate?.maxSurge ?? '25%', desired, true);
  const current = sum(allRss, specReplicas);
  const maxTotal = desired + surge;
  if (current >= maxTotal) return specReplicas(newRs);
  const up = Math.min(maxTotal - current, desired - specReplicas(newRs));
  return specReplicas(newRs) + up;
}

/** IsSaturated: the new ReplicaSet has every replica the Deployment wants, all available. */
export function isSaturated(d: any, rs: any): boolean {
  if (!rs) return false;
  const desired = replicasOf(d);
  return desiredReplicasAnnotation(rs) === desired && specReplicas(rs) === desired && availableReplicas(rs) === desired;
}

/** GetProportion: this ReplicaSet's share of `toAdd`, bounded by what is left to hand out. */
export function proportionFor(rs: any, d: any, toAdd: number, added: number): number {
  if (!rs || specReplicas(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  const allowed = toAdd - added;
  const fraction = replicaSetFraction(rs, d);
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

function replicaSetFraction(rs: any, d: any): number {
  if (replicasOf(d) === 0) return -specReplicas(rs);
  const deploymentReplicas = replicasOf(d) + maxSurge(d);
  // Without the annotation fall back to the Deployment's current size, as upstream.
  const annotated = maxReplicasAnnotation(rs) ?? (d?.status?.replicas ?? 0);
  if (!annotated) return 0;
  return roundHalfAwayFromZero((specReplicas(rs) * deploymentReplicas) / annotated) - specReplicas(rs);
}
