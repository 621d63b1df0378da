// Owner-reference claiming, as upstream's ControllerRefManager (pkg/controller/
// controller_ref_manager.go, v1.33). A controller manages exactly the objects whose
// controller reference carries its UID; it adopts orphans its selector matches and releases
// objects it owns that the selector no longer matches. Used for ReplicaSets claiming pods and
// Deployments claiming ReplicaSets.

import { fromLabelSelector, matchesLabels } from '../../k8s/selectors.ts';
import type { LabelSelector } from '../../k8s/selectors.ts';
import type { OwnerReference } from '../../k8s/owner-reference.ts';
export type { OwnerReference };

export interface ClaimResult<T> {
  /** What the controller manages once `adopt` is applied: already owned and matching, plus `adopt`. */
  owned: T[];
  /** Orphans to take over: add `controllerRef` to their ownerReferences. */
  adopt: T[];
  /** Owned but no longer selected: remove the reference carrying the owner's UID. */
  release: T[];
}

/** metav1.NewControllerRef: the reference a controller puts on what it creates or adopts. */
export function newControllerRef(owner: any, apiVersion: string, kind: string): OwnerReference {
  return { apiVersion, kind, name: owner.metadata.name, uid: owner.metadata.uid, controller: true, blockOwnerDeletion: true };
}

export function controllerRefOf(obj: any): OwnerReference | undefined {
  return (obj?.metadata?.ownerReferences ?? []).find((r: any) => r?.controller === true);
}

/**
 * Splits `objects` the way ClaimObject does. The owner's selector is a metav1.LabelSelector
 * (a nil one matches nothing). Nothing is adopted or released while the owner is being
 * deleted; orphans being deleted, or in another namespace, are never adopted.
 */
export function claimObjects<T>(owner: any, objects: readonly T[]): ClaimResult<T> {
  const sel = owner?.spec?.selector;
  const selector: LabelSelector | null = sel ? fromLabelSelector(sel) : null;
  const matches = (o: any) => selector !== null && matchesLabels(selector, o?.metadata?.labels);
  const ownerDeleting = !!owner?.metadata?.deletionTimestamp;
  const ns = owner?.metadata?.namespace;
  const out: ClaimResult<T> = { owned: [], adopt: [], release: [] };
  for (const o of objects as any[]) {
    const ref = controllerRefOf(o);
    if (ref) {
      if (ref.uid !== owner.metadata.uid) continue;
      if (matches(o)) out.owned.push(o);
      else if (!ownerDeleting) out.release.push(o);
      continue;
    }
    if (ownerDeleting || !matches(o) || o?.metadata?.deletionTimestamp) continue;
    if (ns && o?.metadata?.namespace && o.metadata.namespace !== ns) continue;
    out.adopt.push(o);
    out.owned.push(o);
  }
  const byName = (a: any, b: any) => cmp(a?.metadata?.name, b?.metadata?.name);
  out.owned.sort(byName);
  out.adopt.sort(byName);
  out.release.sort(byName);
  return out;
}

/** ownerReferences after adopting: the object's own list plus the controller reference. */
export function ownerReferencesAfterAdopt(obj: any, ref: OwnerReference): OwnerReference[] {
  const refs = (obj?.metadata?.ownerReferences ?? []).filter((r: any) => r?.uid !== ref.uid);
  return [...refs, ref];
}

/** ownerReferences after releasing: every reference but the one carrying `ownerUid`. */
export function ownerReferencesAfterRelease(obj: any, ownerUid: string): OwnerReference[] {
  return (obj?.metadata?.ownerReferences ?? []).filter((r: any) => r?.uid !== ownerUid);
}

/**
 * A JSON merge patch setting the new ownerReferences. It carries the object's UID and
 * resourceVersion so the write fails rather than touch a recreated or changed object
 * (upstream sends the UID as a precondition in its strategic merge patch).
 */
export function ownerReferencesPatch(obj: any, refs: OwnerReference[]): any {
  const metadata: any = { ownerReferences: refs };
  if (obj?.metadata?.uid) metadata.uid = obj.metadata.uid;
  if (obj?.metadata?.resourceVersion) metadata.resourceVersion = obj.metadata.resourceVersion;
  return { metadata };
}

export function cmp(a: unknown, b: unknown): number {
  const x = String(a ?? '');
  const y = String(b ?? '');
  return x < y ? -1 : x > y ? 1 : 0;
}
