// The garbage collector (upstream: kube-controller-manager's garbagecollector). It watches
// every served resource except Events, keeps an owner -> dependents graph by uid, and:
//   - deletes dependents all of whose owners are gone (Background propagation: the owner was
//     deleted at once; its dependents follow);
//   - for an owner deleted with propagationPolicy=Orphan (finalizer `orphan`), removes the
//     owner's reference from each dependent, then the finalizer;
//   - for an owner deleted with propagationPolicy=Foreground (finalizer `foregroundDeletion`),
//     deletes its dependents and removes the finalizer once no dependent with
//     blockOwnerDeletion remains.
// Before deleting a dependent because an owner looks absent, the owner is read from the API
// (the cache may lag behind a create); deletes carry the dependent's uid as a precondition.

import { isConflict, isNotFound } from '../../k8s/client.ts';
import { findByKind, RESOURCES, resourceKey } from '../../k8s/resources.ts';
import type { ResourceInfo } from '../../k8s/resources.ts';
import { objectKey, splitKey } from '../../k8s/informer.ts';
import type { Informer } from '../../k8s/informer.ts';
import { startReconciler } from '../runtime.ts';
import type { ControllerContext } from '../runtime.ts';
import {
  blockingDependents, decideDependent, FINALIZER_FOREGROUND, FINALIZER_ORPHAN, ownerState, withoutOwnerRefs,
} from './decide.ts';
import type { OwnerReference, OwnerState } from './decide.ts';

const NOT_COLLECTED = new Set(['events', 'events.events.k8s.io']);

interface Node {
  r: ResourceInfo;
  obj: any;
}

export function startGarbageCollector(ctx: ControllerContext): void {
  const byUid = new Map<string, Node>();
  const dependentsOf = new Map<string, Set<string>>(); // owner uid -> dependent uids
  const informers = new Map<string, Informer>();

  const itemKey = (r: ResourceInfo, obj: any) => `${resourceKey(r)}|${objectKey(obj)}`;
  const parseItem = (key: string) => {
    const i = key.indexOf('|');
    return { r: RESOURCES.find((x) => resourceKey(x) === key.slice(0, i))!, ...splitKey(key.slice(i + 1)) };
  };

  const gc = startReconciler(ctx, { name: 'garbage-collector', workers: 4, reconcile: (key) => process(key) });

  const link = (uid: string, obj: any) => {
    for (const ref of obj.metadata?.ownerReferences ?? []) {
      let s = dependentsOf.get(ref.uid);
      if (!s) dependentsOf.set(ref.uid, (s = new Set()));
      s.add(uid);
    }
  };
  const unlink = (uid: string, obj: any) => {
    for (const ref of obj.metadata?.ownerReferences ?? []) {
      const s = dependentsOf.get(ref.uid);
      s?.delete(uid);
      if (s && !s.size) dependentsOf.delete(ref.uid);
    }
  };
  const enqueueDependents = (uid: string) => {
    for (const d of dependentsOf.get(uid) ?? []) {
      const n = byUid.get(d);
      if (n) gc.enqueue(itemKey(n.r, n.obj));
    }
  };
  const enqueueOwners = (obj: any) => {
    for (const ref of obj.metadata?.ownerReferences ?? []) {
      const n = byUid.get(ref.uid);
      if (n && n.obj.metadata?.deletionTimestamp) gc.enqueue(itemKey(n.r, n.obj));
    }
  };

  for (const r of RESOURCES) {
    if (NOT_COLLECTED.has(resourceKey(r))) continue;
    const inf = ctx.informers.informer(r);
    informers.set(resourceKey(r), inf);
    inf.onChange((e) => {
      const uid = e.obj.metadata?.uid;
      if (!uid) return;
      if (e.old) unlink(e.old.metadata?.uid, e.old);
      if (e.type === 'DELETED') {
        byUid.delete(uid);
        unlink(uid, e.obj);
        enqueueDependents(uid);
        enqueueOwners(e.obj);
        return;
      }
      byUid.set(uid, { r, obj: e.obj });
      link(uid, e.obj);
      // A dependent that let go of an owner may have been the last one that owner waited for.
      if (e.type === 'MODIFIED' && e.old && e.old !== e.obj) enqueueOwners(e.old);
      if (e.obj.metadata?.ownerReferences?.length) gc.enqueue(itemKey(r, e.obj));
      if (e.obj.metadata?.deletionTimestamp) {
        gc.enqueue(itemKey(r, e.obj));
        enqueueOwners(e.obj);
      }
      // An owner whose state changed (started deleting, or re-created) re-evaluates dependents.
      if (e.type === 'MODIFIED' && e.old && e.old.metadata?.deletionTimestamp !== e.obj.metadata?.deletionTimestamp) enqueueDependents(uid);
    });
  }

  async function process(key: string): Promise<void> {
    const { r, namespace, name } = parseItem(key);
    const obj = informers.get(resourceKey(r))?.get(namespace, name);
    if (!obj) return;
    const m = obj.metadata;
    const finalizers: string[] = m.finalizers ?? [];
    if (m.deletionTimestamp && finalizers.includes(FINALIZER_ORPHAN)) await orphanDependents(r, obj);
    else if (m.deletionTimestamp && finalizers.includes(FINALIZER_FOREGROUND)) await deleteDependentsFirst(r, obj);
    if (m.ownerReferences?.length) await processDependent(r, obj);
  }

  function dependentsNow(uid: string): Node[] {
    return [...(dependentsOf.get(uid) ?? [])].map((d) => byUid.get(d)).filter((n): n is Node => !!n);
  }

  async function orphanDependents(r: ResourceInfo, owner: any): Promise<void> {
    for (const d of dependentsNow(owner.metadata.uid)) {
      await patchOwnerRefs(d, [owner.metadata.uid]);
    }
    await removeFinalizer(r, owner, FINALIZER_ORPHAN);
  }

  async function deleteDependentsFirst(r: ResourceInfo, owner: any): Promise<void> {
    const deps = dependentsNow(owner.metadata.uid);
    for (const d of deps) gc.enqueue(itemKey(d.r, d.obj));
    if (blockingDependents(owner.metadata.uid, deps.map((d) => d.obj)).length) return; // re-enqueued as they go
    await removeFinalizer(r, owner, FINALIZER_FOREGROUND);
  }

  async function processDependent(r: ResourceInfo, dep: any): Promise<void> {
    const states = new Map<string, OwnerState>();
    for (const ref of dep.metadata.ownerReferences as OwnerReference[]) states.set(ref.uid, await resolveOwner(dep, ref));
    const decision = decideDependent(dep, states, (dependentsOf.get(dep.metadata.uid)?.size ?? 0) > 0);
    if (decision.action === 'keep') return;
    if (decision.action === 'remove-refs') {
      await patchOwnerRefs({ r, obj: dep }, decision.uids);
      return;
    }
    if (decision.unblockUids.length) {
      const refs = dep.metadata.ownerReferences.map((ref: OwnerReference) => (decision.unblockUids.includes(ref.uid) ? { ...ref, blockOwnerDeletion: false } : ref));
      await ctx.client.patch(r, dep.metadata.namespace, dep.metadata.name, 'merge', { metadata: { resourceVersion: dep.metadata.resourceVersion, ownerReferences: refs } }, { fieldManager: 'garbage-collector' });
    }
    try {
      await ctx.client.delete(r, dep.metadata.namespace, dep.metadata.name, { propagationPolicy: decision.propagationPolicy, preconditions: { uid: dep.metadata.uid } });
    } catch (err) {
      if (!isNotFound(err) && !isConflict(err)) throw err;
    }
  }

  /** The owner's state, confirmed against the API before it is called dangling. */
  async function resolveOwner(dep: any, ref: OwnerReference): Promise<OwnerState> {
    const cached = byUid.get(ref.uid);
    if (cached) return ownerState(cached.obj, ref);
    const [group, version] = ref.apiVersion.includes('/') ? ref.apiVersion.split('/') : ['', ref.apiVersion];
    const or = findByKind(ref.apiVersion, ref.kind) ?? RESOURCES.find((x) => x.group === group && x.kind === ref.kind);
    if (!or || !version) return 'unknown';
    // A namespaced owner lives in its dependent's namespace; a cluster-scoped dependent cannot have one.
    if (or.namespaced && !dep.metadata.namespace) return 'dangling';
    try {
      const live = await ctx.client.get(or, or.namespaced ? dep.metadata.namespace : undefined, ref.name);
      return ownerState(live, ref);
    } catch (err) {
      if (isNotFound(err)) return 'dangling';
      throw err;
    }
  }

  async function patchOwnerRefs(n: Node, uids: string[]): Promise<void> {
    const m = n.obj.metadata;
    try {
      await ctx.client.patch(n.r, m.namespace, m.name, 'merge', { metadata: { resourceVersion: m.resourceVersion, ownerReferences: withoutOwnerRefs(n.obj, uids) } }, { fieldManager: 'garbage-collector' });
    } catch (err) {
      if (isNotFound(err)) return;
      throw err; // a conflict retries with the fresher cache
    }
  }

  async function removeFinalizer(r: ResourceInfo, obj: any, finalizer: string): Promise<void> {
    const m = obj.metadata;
    const left = (m.finalizers ?? []).filter((f: string) => f !== finalizer);
    try {
      await ctx.client.patch(r, m.namespace, m.name, 'merge', { metadata: { resourceVersion: m.resourceVersion, finalizers: left.length ? left : null } }, { fieldManager: 'garbage-collector' });
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
  }
}
