// The node IPAM loop: every node event re-plans pod CIDRs for all nodes (one key, so
// decisions never race) and patches the nodes that need one. Assignments not yet seen by the
// informer are laid over the cached nodes, so two nodes never get the same block while the
// cache catches up.

import { isNotFound, resource } from '../../k8s/client.ts';
import { startReconciler } from '../runtime.ts';
import type { ControllerContext } from '../runtime.ts';
import { planPodCIDRs, podCidrPatch } from './index.ts';

const nodesR = resource('nodes');
const KEY = 'all-nodes';

export function startNodeIpamController(ctx: ControllerContext, opts: { serviceCIDR?: string } = {}): void {
  const nodes = ctx.informers.informer(nodesR);
  const recorder = ctx.recorder('node-controller');
  const pending = new Map<string, { podCIDR: string; podCIDRs: string[] }>();
  const rec = startReconciler(ctx, { name: 'nodeipam', workers: 1, reconcile });
  nodes.onChange((e) => {
    if (e.type === 'DELETED' || e.obj.spec?.podCIDR) pending.delete(e.obj.metadata.name);
    rec.enqueue(KEY);
  });

  async function reconcile(): Promise<void> {
    const view = nodes.list().map((n) => {
      const p = pending.get(n.metadata.name);
      return p && !n.spec?.podCIDR ? { ...n, spec: { ...n.spec, ...p } } : n;
    });
    const plan = planPodCIDRs(view, { clusterCIDR: ctx.config.clusterCIDR, nodeMaskSize: ctx.config.nodeCIDRMaskSize, serviceCIDR: opts.serviceCIDR });
    for (const a of plan.assign) {
      try {
        await ctx.client.patch(nodesR, undefined, a.node, 'merge', podCidrPatch(a), { fieldManager: 'node-ipam-controller' });
        pending.set(a.node, { podCIDR: a.podCIDR, podCIDRs: a.podCIDRs });
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
    for (const ev of plan.events) recorder.event(ev.object, ev.type, ev.reason, ev.message);
  }
}
