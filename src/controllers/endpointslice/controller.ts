// The EndpointSlice controller's loop: Service, pod, node and slice events queue the
// affected Services; reconcile computes the desired endpoints from the caches and applies the
// planned slice writes (creates, then updates, then deletes, so endpoints never vanish in
// between). Because the slice cache lags behind our own writes, the loop remembers what it
// wrote and waits until the informer has seen it before planning again for that Service, so a
// quick second event never creates a duplicate slice (upstream: EndpointSliceTracker).

import { isConflict, isNotFound, resource } from '../../k8s/client.ts';
import { objectKey, splitKey } from '../../k8s/informer.ts';
import { startReconciler } from '../runtime.ts';
import type { ControllerContext, ReconcileResult } from '../runtime.ts';
import { candidatePods, indexPodsByLabel, indexServicesBySelector, servicesSelecting } from '../service-pods.ts';
import {
  computeTriggerTime, desiredEndpoints, ENDPOINTSLICE_CONTROLLER_NAME, LABEL_MANAGED_BY, LABEL_SERVICE_NAME,
  reconcileSlices, serviceHasSelector,
} from './index.ts';
import type { TriggerState } from './index.ts';

const servicesR = resource('services');
const podsR = resource('pods');
const nodesR = resource('nodes');
const slicesR = resource('endpointslices.discovery.k8s.io');
const STALE_AFTER_MS = 10_000;

export function startEndpointSliceController(ctx: ControllerContext): void {
  const services = ctx.informers.informer(servicesR);
  const pods = ctx.informers.informer(podsR);
  const nodes = ctx.informers.informer(nodesR);
  const slices = ctx.informers.informer(slicesR);
  indexServicesBySelector(services);
  indexPodsByLabel(pods);
  slices.addIndex('service', (s) => {
    const svc = s.metadata?.labels?.[LABEL_SERVICE_NAME];
    return svc && s.metadata.labels[LABEL_MANAGED_BY] === ENDPOINTSLICE_CONTROLLER_NAME ? [`${s.metadata.namespace}/${svc}`] : [];
  });
  const recorder = ctx.recorder('endpointslice-controller');
  const triggers = new Map<string, TriggerState>();
  // Writes not yet seen by the slice informer: service key -> slice name -> rv ('' = deleted).
  const expected = new Map<string, Map<string, { rv: string; at: number }>>();
  const rec = startReconciler(ctx, { name: 'endpointslice', workers: 4, reconcile });

  services.onChange((e) => rec.enqueue(objectKey(e.obj)));
  pods.onChange((e) => {
    for (const key of servicesSelecting(services, e.obj, e.old)) rec.enqueue(key);
  });
  nodes.onChange((e) => {
    if (e.type === 'MODIFIED' && e.old !== e.obj && JSON.stringify(e.old.metadata?.labels) === JSON.stringify(e.obj.metadata?.labels)) return;
    for (const p of pods.list()) if (p.spec?.nodeName === e.obj.metadata.name) for (const key of servicesSelecting(services, p)) rec.enqueue(key);
  });
  slices.onChange((e) => {
    const svc = e.obj.metadata?.labels?.[LABEL_SERVICE_NAME];
    if (!svc) return;
    const key = `${e.obj.metadata.namespace}/${svc}`;
    const exp = expected.get(key);
    const want = exp?.get(e.obj.metadata.name);
    if (want && (e.type === 'DELETED' ? want.rv === '' : want.rv === e.obj.metadata.resourceVersion)) {
      exp!.delete(e.obj.metadata.name);
      if (!exp!.size) expected.delete(key);
    }
    rec.enqueue(key);
  });

  async function reconcile(key: string): Promise<ReconcileResult> {
    const svc = services.getByKey(key);
    if (!svc) {
      triggers.delete(key);
      expected.delete(key);
      return; // the slices go with their owner (garbage collector)
    }
    if (!serviceHasSelector(svc)) return;
    const exp = expected.get(key);
    if (exp?.size) {
      const now = Date.now();
      for (const [name, w] of exp) if (now - w.at > STALE_AFTER_MS) exp.delete(name);
      if (exp.size) return { requeueAfterMs: 100 };
    }
    const { namespace } = splitKey(key);
    const nsPods = candidatePods(pods, svc);
    const nodesByName = new Map(nodes.list().map((n) => [n.metadata.name, n]));
    const desired = desiredEndpoints(svc, nsPods, nodesByName);
    const trig = computeTriggerTime(svc, nsPods, triggers.get(key));
    const plan = reconcileSlices(svc, desired, slices.byIndex('service', key), { triggerTime: trig.triggerTime });
    const track = (name: string, rv: string) => {
      // The watch event may have arrived before the response: then nothing is outstanding.
      const seen = slices.get(namespace, name);
      if (rv === '' ? !seen : seen?.metadata.resourceVersion === rv) return;
      let m = expected.get(key);
      if (!m) expected.set(key, (m = new Map()));
      m.set(name, { rv, at: Date.now() });
    };
    try {
      for (const s of plan.create) {
        const out = await ctx.client.create(slicesR, namespace, s, { fieldManager: ENDPOINTSLICE_CONTROLLER_NAME });
        track(out.metadata.name, out.metadata.resourceVersion);
      }
      for (const s of plan.update) {
        const out = await ctx.client.update(slicesR, namespace, s, { fieldManager: ENDPOINTSLICE_CONTROLLER_NAME });
        track(out.metadata.name, out.metadata.resourceVersion);
      }
      for (const s of plan.delete) {
        try {
          await ctx.client.delete(slicesR, namespace, s.metadata.name, { preconditions: { uid: s.metadata.uid } });
          track(s.metadata.name, '');
        } catch (err) {
          if (!isNotFound(err)) throw err;
        }
      }
    } catch (err) {
      if (!isConflict(err)) recorder.event(svc, 'Warning', 'FailedToUpdateEndpointSlices', `Error updating Endpoint Slices for Service ${key}: ${(err as Error).message}`);
      throw err;
    }
    triggers.set(key, trig.state);
    for (const ev of plan.events) recorder.event(svc, ev.type, ev.reason, ev.message);
    if (plan.requeue) return { requeueAfterMs: 1000 };
  }
}
