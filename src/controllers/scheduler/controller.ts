// The scheduler's loop: pods that need a node are queued; one worker decides for one pod at a
// time (so each decision sees the previous bindings) and binds through pods/<name>/binding.
// A bound pod is "assumed" on its node until the pod informer shows the binding, so the next
// decision already counts it when spreading. Unschedulable pods get PodScheduled=False and a
// FailedScheduling event, and are retried when nodes or pods change, or after a while.

import { isConflict, isNotFound, resource } from '../../k8s/client.ts';
import { objectKey } from '../../k8s/informer.ts';
import { startReconciler } from '../runtime.ts';
import type { ControllerContext, ReconcileResult } from '../runtime.ts';
import {
  bindingFor, DEFAULT_SCHEDULER_NAME, failedSchedulingEvent, needsScheduling, scheduledEvent, schedulePod,
  unschedulableCondition,
} from './index.ts';

const podsR = resource('pods');
const nodesR = resource('nodes');
const RETRY_UNSCHEDULABLE_MS = 30_000;

export function startScheduler(ctx: ControllerContext): void {
  const pods = ctx.informers.informer(podsR);
  const nodes = ctx.informers.informer(nodesR);
  pods.addIndex('node', (p) => (p.spec?.nodeName ? [p.spec.nodeName] : []));
  const recorder = ctx.recorder(DEFAULT_SCHEDULER_NAME);
  const assumed = new Map<string, { node: string; pod: any }>();
  const rec = startReconciler(ctx, { name: 'scheduler', workers: 1, reconcile });
  const requeuePending = () => {
    for (const p of pods.list()) if (needsScheduling(p)) rec.enqueue(objectKey(p));
  };

  pods.onChange((e) => {
    const key = objectKey(e.obj);
    if (e.type === 'DELETED' || e.obj.spec?.nodeName) assumed.delete(key);
    if (e.type !== 'DELETED' && needsScheduling(e.obj)) rec.enqueue(key);
    // A pod leaving a node frees its host ports and its place in the spread.
    if (e.type === 'DELETED' && e.obj.spec?.nodeName) requeuePending();
  });
  nodes.onChange((e) => {
    if (e.type === 'MODIFIED' && e.old === e.obj) return;
    requeuePending();
  });

  async function reconcile(key: string): Promise<ReconcileResult> {
    const pod = pods.getByKey(key);
    if (!pod || !needsScheduling(pod) || assumed.has(key)) return;
    const podsOnNodes = new Map<string, any[]>();
    for (const n of nodes.list()) podsOnNodes.set(n.metadata.name, pods.byIndex('node', n.metadata.name));
    for (const a of assumed.values()) podsOnNodes.get(a.node)?.push({ ...a.pod, spec: { ...a.pod.spec, nodeName: a.node } });
    const result = schedulePod(pod, nodes.list(), podsOnNodes);
    if (result.nodeName !== undefined) {
      // Assumed before the POST: the pod's watch event may arrive before the response and
      // must find the entry to clear.
      assumed.set(key, { node: result.nodeName, pod });
      try {
        await ctx.client.create(podsR, pod.metadata.namespace, bindingFor(pod, result.nodeName), { subresource: 'binding' });
      } catch (err) {
        assumed.delete(key);
        if (isNotFound(err)) return;
        if (isConflict(err)) return { requeueAfterMs: 1000 }; // bound meanwhile, or a race: look again
        throw err;
      }
      if (pods.getByKey(key)?.spec?.nodeName) assumed.delete(key);
      const ev = scheduledEvent(pod, result.nodeName);
      recorder.event(pod, ev.type, ev.reason, ev.message);
      return;
    }
    const ev = failedSchedulingEvent(pod, result.message);
    recorder.event(pod, ev.type, ev.reason, ev.message);
    const conditions: any[] = pod.status?.conditions ?? [];
    const prev = conditions.find((c) => c.type === 'PodScheduled');
    const cond = unschedulableCondition(result.message, new Date(), prev);
    if (JSON.stringify(prev) !== JSON.stringify(cond)) {
      try {
        await ctx.client.update(podsR, pod.metadata.namespace, {
          ...pod, status: { ...pod.status, conditions: [...conditions.filter((c) => c.type !== 'PodScheduled'), cond] },
        }, { subresource: 'status', fieldManager: DEFAULT_SCHEDULER_NAME });
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
    return { requeueAfterMs: RETRY_UNSCHEDULABLE_MS };
  }
}
