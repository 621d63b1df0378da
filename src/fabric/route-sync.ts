// The network backend's loop on one node (flanneld's role): watches Nodes through the API
// and keeps this node's routes to every other node's pod CIDR (host-gw), or its VXLAN
// device, neighbours and FDB (vxlan), equal to the plan, so nodes joining and leaving are
// followed. A failed apply is retried on the next change and every 30 s.

import { resource } from '../k8s/client.ts';
import type { KubeClient } from '../k8s/client.ts';
import { Informer } from '../k8s/informer.ts';
import type { HostOps } from '../host/index.ts';
import type { Logger } from '../lib/log.ts';
import { applyRoutes } from './apply.ts';
import { planRoutes } from './plan.ts';
import type { Backend, NodeView } from './plan.ts';

const RESYNC_MS = 30_000;

export interface RouteSync {
  /** Resolves after the first successful apply. */
  synced: Promise<void>;
  stop(): Promise<void>;
}

function internalIP(node: any): string | undefined {
  return (node.status?.addresses ?? []).find((a: any) => a.type === 'InternalIP')?.address;
}

export function startRouteSync(o: { client: KubeClient; host: HostOps; netns: string; nodeName: string; backend: Backend; log: Logger }): RouteSync {
  const abort = new AbortController();
  const nodes = new Informer(o.client, resource('nodes'), { log: o.log });
  let pending = false;
  let running = false;
  let markSynced: () => void = () => {};
  const synced = new Promise<void>((r) => (markSynced = r));

  const sync = async () => {
    if (running) {
      pending = true;
      return;
    }
    running = true;
    try {
      do {
        pending = false;
        const views: NodeView[] = nodes.list().map((n) => ({ name: n.metadata.name, ip: internalIP(n), podCIDR: n.spec?.podCIDR }));
        const me = views.find((v) => v.name === o.nodeName);
        if (!me?.ip || (o.backend === 'vxlan' && !me.podCIDR)) continue;
        await applyRoutes(o.host, o.netns, planRoutes(o.backend, { name: me.name, ip: me.ip, podCIDR: me.podCIDR }, views));
        markSynced();
      } while (pending && !abort.signal.aborted);
    } catch (err) {
      o.log('route sync failed; will retry', { node: o.nodeName, error: String((err as Error).message) });
    } finally {
      running = false;
    }
  };
  nodes.onChange((e) => {
    if (e.type !== 'MODIFIED' || e.old === e.obj || internalIP(e.old) !== internalIP(e.obj) || e.old.spec?.podCIDR !== e.obj.spec?.podCIDR) void sync();
  });
  const loop = nodes.run(abort.signal);
  const timer = setInterval(() => void sync(), RESYNC_MS);
  timer.unref();
  return {
    synced,
    async stop() {
      clearInterval(timer);
      abort.abort();
      await loop;
    },
  };
}
