// The garbage collector's decisions, free of I/O (upstream: pkg/controller/garbagecollector).
//
// A dependent's owner references are sorted into three kinds:
//   solid    the owner exists and is not waiting for its dependents to go;
//   dangling the owner is gone (not found, or found with another uid);
//   waiting  the owner is being deleted in the foreground (finalizer foregroundDeletion).
// With at least one solid owner the dependent stays and loses its dangling and waiting
// references. Otherwise it is deleted: in the foreground when a waiting owner blocks on it
// and it has dependents of its own (so the owner keeps waiting for the whole subtree),
// else with the policy its own finalizers ask for (orphan, foregroundDeletion) or Background.

import type { OwnerReference } from '../../k8s/owner-reference.ts';
export type { OwnerReference };

export const FINALIZER_ORPHAN = 'orphan';
export const FINALIZER_FOREGROUND = 'foregroundDeletion';

export type OwnerState = 'solid' | 'dangling' | 'waiting' | 'unknown';

export type DependentDecision =
  | { action: 'keep' }
  | { action: 'remove-refs'; uids: string[] }
  | { action: 'delete'; propagationPolicy: 'Foreground' | 'Background' | 'Orphan'; unblockUids: string[] };

export function ownerState(owner: any | undefined, ref: OwnerReference): OwnerState {
  if (!owner || owner.metadata?.uid !== ref.uid) return 'dangling';
  const m = owner.metadata;
  if (m.deletionTimestamp && (m.finalizers ?? []).includes(FINALIZER_FOREGROUND)) return 'waiting';
  return 'solid';
}

/**
 * Decides about one dependent given the state of each of its owners (by uid).
 * `unknown` owners (kinds the server does not serve, or not yet verified) keep the dependent.
 */
export function decideDependent(dep: any, states: Map<string, OwnerState>, hasDependents: boolean): DependentDecision {
  const refs: OwnerReference[] = dep.metadata?.ownerReferences ?? [];
  if (!refs.length) return { action: 'keep' };
  const of = (k: OwnerState) => refs.filter((r) => states.get(r.uid) === k);
  const solid = of('solid');
  const dangling = of('dangling');
  const waiting = of('waiting');
  if (refs.some((r) => (states.get(r.uid) ?? 'unknown') === 'unknown')) {
    // Cannot tell for every owner: only tidy references known to be dangling when a solid one remains.
    return solid.length && (dangling.length || waiting.length) ? { action: 'remove-refs', uids: [...dangling, ...waiting].map((r) => r.uid) } : { action: 'keep' };
  }
  if (solid.length) {
    if (!dangling.length && !waiting.length) return { action: 'keep' };
    return { action: 'remove-refs', uids: [...dangling, ...waiting].map((r) => r.uid) };
  }
  // Being deleted already: the delete was decided, nothing more to do unless a waiting owner
  // needs the dependent's own dependents to go first (handled by its foreground finalizer).
  if (dep.metadata?.deletionTimestamp) return { action: 'keep' };
  if (waiting.length && hasDependents) {
    // The owner waits on this dependent, which must first delete its own dependents. Refs with
    // blockOwnerDeletion are unblocked so the waiting owner and this dependent cannot deadlock
    // on one another while the subtree goes (as upstream does).
    return { action: 'delete', propagationPolicy: 'Foreground', unblockUids: waiting.filter((r) => r.blockOwnerDeletion).map((r) => r.uid) };
  }
  const f: string[] = dep.metadata?.finalizers ?? [];
  const policy = f.includes(FINALIZER_ORPHAN) ? 'Orphan' : f.includes(FINALIZER_FOREGROUND) ? 'Foreground' : 'Background';
  return { action: 'delete', propagationPolicy: policy, unblockUids: [] };
}

/** The dependents that still block an owner in foreground deletion. */
export function blockingDependents(ownerUid: string, dependents: any[]): any[] {
  return dependents.filter((d) => (d.metadata?.ownerReferences ?? []).some((r: OwnerReference) => r.uid === ownerUid && r.blockOwnerDeletion));
}

/** ownerReferences without the given uids (undefined when none remain, to drop the field). */
export function withoutOwnerRefs(obj: any, uids: string[]): OwnerReference[] | null {
  const left = (obj.metadata?.ownerReferences ?? []).filter((r: OwnerReference) => !uids.includes(r.uid));
  return left.length ? left : null;
}
