// The Endpoints controller's loop: the legacy v1 Endpoints of every Service with a selector,
// kept equal to what its ready and not-ready pods say. Writes carry the cached
// resourceVersion, so a stale cache ends in a Conflict and a retry rather than a lost update.

import { isAlreadyExists, isConflict, isNotFound, resource } from '../../k8s/client.ts';
import { objectKey, splitKey } from '../../k8s/informer.ts';
import { startReconciler } from '../runtime.ts';
import type { ControllerContext } from '../runtime.ts';
import { candidatePods, indexPodsByLabel, indexServicesBySelector, servicesSelecting } from '../service-pods.ts';
import { computeTriggerTime } from '../endpointslice/index.ts';
import type { TriggerState } from '../endpointslice/index.ts';
import { endpointsWriteFailedEvent, planEndpointsSync } from './index.ts';

const servicesR = resource('services');
const podsR = resource('pods');
const endpointsR = resource('endpoints');

export function startEndpointsController(ctx: ControllerContext): void {
  const services = ctx.informers.informer(servicesR);
  const pods = ctx.informers.informer(podsR);
  const endpoints = ctx.informers.informer(endpointsR);
  indexServicesBySelector(services);
  indexPodsByLabel(pods);
  const recorder = ctx.recorder('endpoint-controller');
  const triggers = new Map<string, TriggerState>();
  const rec = startReconciler(ctx, { name: 'endpoints', workers: 4, reconcile });

  services.onChange((e) => rec.enqueue(objectKey(e.obj)));
  pods.onChange((e) => {
    for (const key of servicesSelecting(services, e.obj, e.old)) rec.enqueue(key);
  });
  // Only a deletion brings a Service back (upstream): Endpoints written before their Service
  // (kubectl apply of a directory) must not be planned against a cache without it.
  endpoints.onChange((e) => {
    if (e.type === 'DELETED') rec.enqueue(objectKey(e.obj));
  });

  async function reconcile(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const svc = services.getByKey(key);
    const nsPods = svc ? candidatePods(pods, svc) : [];
    const trig = svc ? computeTriggerTime(svc, nsPods, triggers.get(key)) : undefined;
    const action = planEndpointsSync({ namespace: namespace!, name }, svc, nsPods, endpoints.getByKey(key), { triggerTime: trig?.triggerTime });
    try {
      switch (action.action) {
        case 'none':
          break;
        case 'create':
          await ctx.client.create(endpointsR, namespace, action.object, { fieldManager: 'endpoint-controller' });
          break;
        case 'update':
          await ctx.client.update(endpointsR, namespace, action.object, { fieldManager: 'endpoint-controller' });
          break;
        case 'delete':
          try {
            await ctx.client.delete(endpointsR, action.namespace, action.name);
          } catch (err) {
            if (!isNotFound(err)) throw err;
          }
          break;
      }
    } catch (err) {
      if (svc && !isConflict(err) && !isAlreadyExists(err) && (action.action === 'create' || action.action === 'update')) {
        const ev = endpointsWriteFailedEvent(svc, action.action === 'create', (err as Error).message);
        recorder.event(svc, ev.type, ev.reason, ev.message);
      }
      throw err;
    }
    if (svc && trig) triggers.set(key, trig.state);
    else triggers.delete(key);
  }
}
