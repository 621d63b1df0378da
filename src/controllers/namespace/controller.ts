// The namespace controller (upstream: pkg/controller/namespace): once a namespace is
// Terminating, everything in it is deleted through the API, resource by resource; while
// objects remain (finalizers, pods still shutting down on their nodes) the namespace's status
// conditions say what is left, and the controller checks again shortly. When nothing
// remains, the `kubernetes` finalizer is removed through the `finalize` subresource and the
// API server deletes the namespace.

import { isConflict, isNotFound, resource } from '../../k8s/client.ts';
import { RESOURCES, resourceKey } from '../../k8s/resources.ts';
import { startReconciler } from '../runtime.ts';
import type { ControllerContext, ReconcileResult } from '../runtime.ts';
import { namespaceConditions } from './conditions.ts';

const namespaces = resource('namespaces');
/** Served twice (core and events.k8s.io share storage): deleting through one group is enough. */
const SKIP = new Set(['events.events.k8s.io']);
const FINALIZER = 'kubernetes';

export function startNamespaceController(ctx: ControllerContext): void {
  const inf = ctx.informers.informer(namespaces);
  const rec = startReconciler(ctx, { name: 'namespace', workers: 2, reconcile });
  inf.onChange((e) => {
    if (e.type !== 'DELETED' && e.obj.metadata?.deletionTimestamp) rec.enqueue(e.obj.metadata.name);
  });

  async function reconcile(name: string): Promise<ReconcileResult> {
    const ns = inf.get(undefined, name);
    if (!ns?.metadata?.deletionTimestamp) return;
    const remaining = new Map<string, number>();
    const withFinalizers = new Map<string, string[]>();
    for (const r of RESOURCES) {
      if (!r.namespaced || SKIP.has(resourceKey(r))) continue;
      const list = await ctx.client.list(r, name);
      for (const obj of list.items) {
        const m = obj.metadata;
        if (!m.deletionTimestamp) {
          try {
            await ctx.client.delete(r, name, m.name, { preconditions: { uid: m.uid } });
          } catch (err) {
            if (!isNotFound(err) && !isConflict(err)) throw err;
          }
        }
      }
      // What is still there after the deletes (finalizers, graceful pods).
      const left = list.items.length ? (await ctx.client.list(r, name)).items : [];
      if (left.length) {
        remaining.set(r.group ? `${r.resource}.${r.group}` : r.resource, left.length);
        for (const o of left) for (const f of o.metadata.finalizers ?? []) {
          const key = r.group ? `${r.resource}.${r.group}` : r.resource;
          withFinalizers.set(f, [...(withFinalizers.get(f) ?? []), key]);
        }
      }
    }
    if (remaining.size) {
      await writeConditions(ns, remaining, withFinalizers);
      return { requeueAfterMs: 1000 };
    }
    const specFinalizers: string[] = ns.spec?.finalizers ?? [];
    if (specFinalizers.includes(FINALIZER)) {
      try {
        await ctx.client.update(namespaces, undefined, { ...ns, spec: { ...ns.spec, finalizers: specFinalizers.filter((f) => f !== FINALIZER) } }, { subresource: 'finalize', fieldManager: 'namespace-controller' });
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
  }

  async function writeConditions(ns: any, remaining: Map<string, number>, withFinalizers: Map<string, string[]>): Promise<void> {
    const conditions = namespaceConditions(ns.status?.conditions ?? [], remaining, withFinalizers, new Date());
    if (JSON.stringify(conditions) === JSON.stringify(ns.status?.conditions ?? [])) return;
    try {
      await ctx.client.update(namespaces, undefined, { ...ns, status: { ...ns.status, conditions } }, { subresource: 'status', fieldManager: 'namespace-controller' });
    } catch (err) {
      if (!isNotFound(err) && !isConflict(err)) throw err;
    }
  }
}
