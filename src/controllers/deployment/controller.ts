// The Deployment loop: Deployment, ReplicaSet and pod events queue the Deployment; a sync
// applies the planned ReplicaSet writes in order (stopping at the first failure), then the
// Deployment's revision annotations, then its status. Each sync moves a rollout one step;
// the ReplicaSets' status changes bring the Deployment back for the next.

import { isAlreadyExists, isConflict, isNotFound, resource } from '../../k8s/client.ts';
import { objectKey } from '../../k8s/informer.ts';
import { fromLabelSelector, matchesLabels } from '../../k8s/selectors.ts';
import { controllerRefOf } from '../replicaset/index.ts';
import { startReconciler } from '../runtime.ts';
import type { ControllerContext, ReconcileResult } from '../runtime.ts';
import { planDeployment, podsByReplicaSet, replicaSetCreateFailed } from './index.ts';

const deployR = resource('deployments.apps');
const rsR = resource('replicasets.apps');
const podsR = resource('pods');
const MANAGER = 'deployment-controller';

export function startDeploymentController(ctx: ControllerContext): void {
  const deployments = ctx.informers.informer(deployR);
  const replicaSets = ctx.informers.informer(rsR);
  const pods = ctx.informers.informer(podsR);
  deployments.addIndex('uid', (d) => [d.metadata.uid]);
  replicaSets.addIndex('uid', (rs) => [rs.metadata.uid]);
  const recorder = ctx.recorder(MANAGER);
  const rec = startReconciler(ctx, { name: 'deployment', workers: 4, reconcile });

  const deploymentsFor = (rs: any): string[] => {
    const ref = controllerRefOf(rs);
    if (ref) {
      if (ref.kind !== 'Deployment') return [];
      const d = deployments.byIndex('uid', ref.uid)[0];
      return d ? [objectKey(d)] : [];
    }
    return deployments.list(rs.metadata.namespace).filter((d) => matchesLabels(fromLabelSelector(d.spec?.selector), rs.metadata.labels)).map(objectKey);
  };

  deployments.onChange((e) => rec.enqueue(objectKey(e.obj)));
  replicaSets.onChange((e) => {
    for (const k of deploymentsFor(e.obj)) rec.enqueue(k);
    if (e.old && e.old !== e.obj) for (const k of deploymentsFor(e.old)) rec.enqueue(k);
  });
  // Recreate waits for the old pods to be gone: their deletion brings the Deployment back.
  pods.onChange((e) => {
    if (e.type !== 'DELETED') return;
    const ref = controllerRefOf(e.obj);
    const rs = ref?.kind === 'ReplicaSet' ? replicaSets.byIndex('uid', ref.uid)[0] : undefined;
    if (rs) for (const k of deploymentsFor(rs)) rec.enqueue(k);
  });

  async function reconcile(key: string): Promise<ReconcileResult> {
    const d = deployments.getByKey(key);
    if (!d || d.metadata.deletionTimestamp) return;
    const ns = d.metadata.namespace;
    const rss = replicaSets.list(ns);
    const now = new Date();
    const plan = planDeployment(d, rss, podsByReplicaSet(d, rss, pods.list(ns)), now);
    const rvAfter = new Map<string, string>(); // rs uid -> resourceVersion after our own write
    for (const a of plan.actions) {
      try {
        switch (a.op) {
          case 'adopt':
          case 'release': {
            const out = await ctx.client.patch(rsR, ns, a.replicaSet.metadata.name, 'merge', a.patch, { fieldManager: MANAGER });
            rvAfter.set(out.metadata.uid, out.metadata.resourceVersion);
            break;
          }
          case 'create':
            try {
              await ctx.client.create(rsR, ns, a.replicaSet, { fieldManager: MANAGER });
            } catch (err) {
              if (isAlreadyExists(err)) return { requeueAfterMs: 100 }; // our cache was behind
              const failed = replicaSetCreateFailed(d, a.replicaSet.metadata.name, (err as Error).message, now);
              recorder.event(d, failed.event.type, failed.event.reason, failed.event.message);
              await writeStatus(d, failed.status);
              throw err;
            }
            for (const ev of a.events) recorder.event(d, ev.type, ev.reason, ev.message);
            break;
          case 'update': {
            const rs = a.replicaSet;
            const rv = rvAfter.get(rs.metadata.uid);
            await ctx.client.update(rsR, ns, rv ? { ...rs, metadata: { ...rs.metadata, resourceVersion: rv } } : rs, { fieldManager: MANAGER });
            for (const ev of a.events) recorder.event(d, ev.type, ev.reason, ev.message);
            break;
          }
          case 'delete':
            try {
              await ctx.client.delete(rsR, ns, a.replicaSet.metadata.name, { preconditions: { uid: a.replicaSet.metadata.uid } });
            } catch (err) {
              if (!isNotFound(err)) throw err;
            }
            break;
        }
      } catch (err) {
        if (isConflict(err) || isNotFound(err)) return { requeueAfterMs: 100 }; // stale cache: plan again
        throw err;
      }
    }
    let current = d;
    if (plan.annotations) {
      try {
        current = await ctx.client.patch(deployR, ns, d.metadata.name, 'merge', { metadata: { resourceVersion: d.metadata.resourceVersion, annotations: plan.annotations } }, { fieldManager: MANAGER });
      } catch (err) {
        if (isConflict(err) || isNotFound(err)) return { requeueAfterMs: 100 };
        throw err;
      }
    }
    if (plan.status) {
      const ok = await writeStatus(current, plan.status);
      if (!ok) return { requeueAfterMs: 100 };
    }
    for (const ev of plan.events) recorder.event(d, ev.type, ev.reason, ev.message);
    if (plan.requeueAfterMs) return { requeueAfterMs: plan.requeueAfterMs };
  }

  async function writeStatus(d: any, status: any): Promise<boolean> {
    try {
      await ctx.client.update(deployR, d.metadata.namespace, { ...d, status }, { subresource: 'status', fieldManager: MANAGER });
      return true;
    } catch (err) {
      if (isConflict(err) || isNotFound(err)) return false;
      throw err;
    }
  }
}
