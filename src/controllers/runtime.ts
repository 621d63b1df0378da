// The shape every controller shares: informers feed a work queue of object keys; workers take
// a key, reconcile it against the informers' caches and the API, and on failure requeue it
// with back-off. A reconcile may ask to be called again later (requeueAfterMs), e.g. when a
// deadline or minReadySeconds will pass. Workers start only after every informer the
// controller uses has synced, so no decision is taken on a partial view. Nothing here throws
// out of the loop: one bad object cannot stop a controller.

import { isConflict } from '../k8s/client.ts';
import type { KubeClient } from '../k8s/client.ts';
import type { InformerFactory } from '../k8s/informer.ts';
import type { EventRecorder } from '../k8s/event-recorder.ts';
import { WorkQueue } from '../k8s/workqueue.ts';
import type { Logger } from '../lib/log.ts';
import type { ControllersConfig } from './config.ts';

export interface ControllerContext {
  client: KubeClient;
  informers: InformerFactory;
  /** An event recorder reporting as `component` (upstream's component names). */
  recorder(component: string): EventRecorder;
  log: Logger;
  signal: AbortSignal;
  config: ControllersConfig;
  /** Every reconciler started with this context (for idle checks and tests). */
  reconcilers: RunningReconciler[];
}

export type ReconcileResult = void | { requeueAfterMs: number };

export interface ReconcilerSpec {
  name: string;
  workers?: number;
  reconcile(key: string): Promise<ReconcileResult>;
}

export interface RunningReconciler {
  name: string;
  queue: WorkQueue;
  enqueue(key: string): void;
}

/** Starts `workers` loops over a new queue once the informers have synced. */
export function startReconciler(ctx: ControllerContext, spec: ReconcilerSpec): RunningReconciler {
  const queue = new WorkQueue();
  ctx.signal.addEventListener('abort', () => queue.shutdown(), { once: true });
  const worker = async () => {
    for (;;) {
      const key = await queue.get();
      if (key === undefined) return;
      try {
        const res = await spec.reconcile(key);
        queue.forget(key);
        if (res && res.requeueAfterMs > 0) queue.addAfter(key, res.requeueAfterMs);
      } catch (err) {
        // A Conflict only means our cache was behind a write: retry quietly.
        if (!ctx.signal.aborted) {
          if (!isConflict(err)) ctx.log('reconcile failed; will retry', { controller: spec.name, key, error: String((err as Error)?.message ?? err) });
          queue.addRateLimited(key);
        }
      } finally {
        queue.done(key);
      }
    }
  };
  // Wait a turn first: the controller creates its informers after this call, in the same pass.
  void new Promise((r) => setImmediate(r)).then(() => ctx.informers.waitForSync()).then(() => {
    for (let i = 0; i < (spec.workers ?? 2); i++) void worker();
  });
  const running: RunningReconciler = { name: spec.name, queue, enqueue: (key) => queue.add(key) };
  ctx.reconcilers.push(running);
  return running;
}
