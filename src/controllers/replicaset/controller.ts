// The ReplicaSet loop: pod and ReplicaSet events queue the owning ReplicaSet; a sync claims
// pods (adopting orphans the selector matches, releasing pods it no longer matches), creates
// or deletes pods toward spec.replicas in slow-start batches, and writes status. Expectations
// keep a sync from planning again before the informer has seen its own creates and deletes.

import { isConflict, isNotFound, resource } from '../../k8s/client.ts';
import { objectKey } from '../../k8s/informer.ts';
import { fromLabelSelector, matchesLabels } from '../../k8s/selectors.ts';
import { Expectations } from '../expectations.ts';
import { startReconciler } from '../runtime.ts';
import type { ControllerContext, ReconcileResult } from '../runtime.ts';
import {
  claimPods, controllerRefOf, newControllerRef, ownerReferencesAfterAdopt, ownerReferencesAfterRelease, ownerReferencesPatch,
  planReplicaSet, podCreatedEvent, podCreateFailedEvent, podDeletedEvent, podDeleteFailedEvent, podFromTemplate, replicaSetStatus,
} from './index.ts';
import type { PlanEvent } from './index.ts';

const rsR = resource('replicasets.apps');
const podsR = resource('pods');
const MANAGER = 'replicaset-controller';

export function startReplicaSetController(ctx: ControllerContext): void {
  const replicaSets = ctx.informers.informer(rsR);
  const pods = ctx.informers.informer(podsR);
  replicaSets.addIndex('uid', (rs) => [rs.metadata.uid]);
  const recorder = ctx.recorder(MANAGER);
  const expectations = new Expectations();
  const rec = startReconciler(ctx, { name: 'replicaset', workers: 4, reconcile });

  const ownerKey = (pod: any): string | undefined => {
    const ref = controllerRefOf(pod);
    if (ref?.kind !== 'ReplicaSet') return undefined;
    const rs = replicaSets.byIndex('uid', ref.uid)[0];
    return rs ? objectKey(rs) : undefined;
  };
  const matchingOrphanOwners = (pod: any) => replicaSets.list(pod.metadata.namespace)
    .filter((rs) => matchesLabels(fromLabelSelector(rs.spec?.selector), pod.metadata.labels)).map(objectKey);

  replicaSets.onChange((e) => rec.enqueue(objectKey(e.obj)));
  pods.onChange((e) => {
    const podKey = objectKey(e.obj);
    const owner = ownerKey(e.obj);
    if (e.type === 'ADDED' && owner) expectations.observeAdd(owner);
    if (owner && (e.type === 'DELETED' || (e.obj.metadata.deletionTimestamp && !e.old?.metadata?.deletionTimestamp))) expectations.observeDelete(owner, podKey);
    if (owner) rec.enqueue(owner);
    const oldOwner = e.old && e.old !== e.obj ? ownerKey(e.old) : undefined;
    if (oldOwner && oldOwner !== owner) rec.enqueue(oldOwner);
    if (!owner && e.type !== 'DELETED') for (const k of matchingOrphanOwners(e.obj)) rec.enqueue(k);
  });

  async function reconcile(key: string): Promise<ReconcileResult> {
    const rs = replicaSets.getByKey(key);
    if (!rs) {
      expectations.forget(key);
      return;
    }
    const ns = rs.metadata.namespace;
    const nsPods = pods.list(ns);
    const claim = rs.metadata.deletionTimestamp ? { owned: nsPods.filter((p) => controllerRefOf(p)?.uid === rs.metadata.uid), adopt: [], release: [] } : claimPods(rs, nsPods);
    const ref = newControllerRef(rs, 'apps/v1', 'ReplicaSet');
    for (const p of claim.adopt) await patchRefs(p, ownerReferencesAfterAdopt(p, ref));
    for (const p of claim.release) await patchRefs(p, ownerReferencesAfterRelease(p, rs.metadata.uid));

    let manageError: { message: string } | null = null;
    if (expectations.satisfied(key)) {
      const plan = planReplicaSet(rs, claim.owned, { now: new Date(), relatedPods: claim.owned });
      for (const size of plan.batches) {
        expectations.expect(key, size);
        const results = await Promise.allSettled(Array.from({ length: size }, () => ctx.client.create(podsR, ns, podFromTemplate(rs), { fieldManager: MANAGER })));
        for (const r of results) {
          if (r.status === 'fulfilled') record(rs, podCreatedEvent(rs, r.value.metadata.name));
          else {
            expectations.observeAdd(key); // never to be seen
            manageError ??= { message: String(r.reason?.message ?? r.reason) };
            record(rs, podCreateFailedEvent(rs, String(r.reason?.message ?? r.reason)));
          }
        }
        if (manageError) break;
      }
      if (plan.delete.length) {
        expectations.expect(key, 0, plan.delete.map(objectKey));
        const results = await Promise.allSettled(plan.delete.map((p) => ctx.client.delete(podsR, ns, p.metadata.name, { preconditions: { uid: p.metadata.uid } })));
        results.forEach((r, i) => {
          const p = plan.delete[i];
          if (r.status === 'fulfilled') record(rs, podDeletedEvent(rs, p.metadata.name));
          else {
            expectations.observeDelete(key, objectKey(p));
            if (!isNotFound(r.reason)) {
              manageError ??= { message: String(r.reason?.message ?? r.reason) };
              record(rs, podDeleteFailedEvent(rs, String(r.reason?.message ?? r.reason)));
            }
          }
        });
      }
    }

    const st = replicaSetStatus(rs, claim.owned, new Date(), manageError);
    if (st.changed) {
      try {
        await ctx.client.update(rsR, ns, { ...rs, status: st.status }, { subresource: 'status', fieldManager: MANAGER });
      } catch (err) {
        if (!isNotFound(err) && !isConflict(err)) throw err;
        if (isConflict(err)) return { requeueAfterMs: 50 };
      }
    }
    if (manageError) throw new Error(manageError.message);
    if (st.requeueAfterMs) return { requeueAfterMs: st.requeueAfterMs };
  }

  async function patchRefs(pod: any, refs: any[]): Promise<void> {
    try {
      await ctx.client.patch(podsR, pod.metadata.namespace, pod.metadata.name, 'merge', ownerReferencesPatch(pod, refs), { fieldManager: MANAGER });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  function record(rs: any, ev: PlanEvent): void {
    recorder.event(rs, ev.type, ev.reason, ev.message);
  }
}
