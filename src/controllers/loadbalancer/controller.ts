// The LoadBalancer loop (knet's cloud provider): every Service event re-plans the pool over
// all Services (one key, so two Services never race for an address) and writes
// status.loadBalancer of the Services whose address changed. Writes not yet seen by the
// informer are laid over the cache so an address is never handed out twice meanwhile.

import { isNotFound, resource } from '../../k8s/client.ts';
import { startReconciler } from '../runtime.ts';
import type { ControllerContext } from '../runtime.ts';
import { loadBalancerStatusPatch, planLoadBalancerIPs } from './index.ts';
import type { LoadBalancerIngress } from './index.ts';

const servicesR = resource('services');
const KEY = 'all-services';

export function startLoadBalancerController(ctx: ControllerContext): void {
  const services = ctx.informers.informer(servicesR);
  const recorder = ctx.recorder('knet-loadbalancer');
  const pending = new Map<string, { uid: string; ingress: LoadBalancerIngress[] | undefined }>();
  const rec = startReconciler(ctx, { name: 'loadbalancer', workers: 1, reconcile });
  services.onChange((e) => {
    const key = `${e.obj.metadata.namespace}/${e.obj.metadata.name}`;
    const p = pending.get(key);
    if (p && (e.type === 'DELETED' || sameIngress(e.obj.status?.loadBalancer?.ingress, p.ingress))) pending.delete(key);
    if (e.type === 'MODIFIED' && e.old === e.obj && e.obj.spec?.type !== 'LoadBalancer' && !e.obj.status?.loadBalancer?.ingress) return;
    rec.enqueue(KEY);
  });

  async function reconcile(): Promise<void> {
    const view = services.list().map((s) => {
      const p = pending.get(`${s.metadata.namespace}/${s.metadata.name}`);
      return p && p.uid === s.metadata.uid ? { ...s, status: { ...s.status, loadBalancer: p.ingress ? { ingress: p.ingress } : {} } } : s;
    });
    const plan = planLoadBalancerIPs(view, ctx.config.loadBalancerPool);
    const write = async (ref: { metadata: { namespace: string; name: string; uid?: string } }, ingress: LoadBalancerIngress[] | undefined) => {
      try {
        await ctx.client.patch(servicesR, ref.metadata.namespace, ref.metadata.name, 'merge', loadBalancerStatusPatch(ingress), { subresource: 'status', fieldManager: 'knet-loadbalancer' });
        pending.set(`${ref.metadata.namespace}/${ref.metadata.name}`, { uid: ref.metadata.uid ?? '', ingress });
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    };
    for (const u of plan.update) await write(u.service, u.ingress);
    for (const c of plan.clear) await write(c, undefined);
    for (const ev of plan.events) recorder.event(ev.object, ev.type, ev.reason, ev.message);
  }
}

function sameIngress(a: LoadBalancerIngress[] | undefined, b: LoadBalancerIngress[] | undefined): boolean {
  return JSON.stringify((a ?? []).map((x) => x.ip)) === JSON.stringify((b ?? []).map((x) => x.ip));
}
