// The service proxy of one node, assembled: the proxier loop, the node's rules (compiled one
// Service at a time with this node's options), the nft applier for the node's namespace, and
// conntrack cleanup run there.

import type { KubeClient } from '../k8s/client.ts';
import { EventRecorder } from '../k8s/event-recorder.ts';
import { runInNetns } from '../host/index.ts';
import { NftApplier } from '../nft/index.ts';
import type { Logger } from '../lib/log.ts';
import { DEFAULT_PROXY_OPTIONS } from './compile.ts';
import { ProxyRules } from './rules.ts';
import { startProxier } from './proxier.ts';
import type { Proxier } from './proxier.ts';
import { PROXY_TABLE } from './names.ts';
import { healthService, startHealthChecks } from './health.ts';
import type { HealthService } from './health-server.ts';

export function startNodeProxy(o: {
  client: KubeClient; nodeName: string; netns: string; nodeIP: string; log: Logger;
  /** 'route' only where every pod has a link of its own (ptp); see ProxyOptions.hairpinMode. */
  hairpinMode?: 'set' | 'route';
}): Proxier {
  const opts = { ...DEFAULT_PROXY_OPTIONS, nodeName: o.nodeName, nodeIPs: [o.nodeIP], hairpinMode: o.hairpinMode };
  const reported = new Set<string>();
  const health = startHealthChecks({ netns: o.netns, nodeName: o.nodeName });
  /** Health-checked Services by key, kept up to date with each sync's changes. */
  const checked = new Map<string, HealthService>();
  const rules = new ProxyRules(opts, new NftApplier({ netns: o.netns, table: PROXY_TABLE, family: 'ip' }));
  const proxier = startProxier({
    afterSync: (synced) => {
      if (synced.full) checked.clear();
      for (const key of synced.keys) {
        const h = healthService(synced.service(key), synced.slices(key), o.nodeName);
        if (h) checked.set(key, h);
        else checked.delete(key);
      }
      health.update([...checked.values()].sort((a, b) => a.port - b.port));
      for (const p of rules.problems()) {
        const key = `${p.namespace}/${p.name}: ${p.message}`;
        if (!reported.has(key)) {
          reported.add(key);
          o.log('service left out of the proxy rules', { node: o.nodeName, service: `${p.namespace}/${p.name}`, why: p.message });
        }
      }
    },
    client: o.client,
    nodeName: o.nodeName,
    log: o.log,
    recorder: new EventRecorder(o.client, 'kube-proxy', o.log),
    rules,
    async clearConntrack(vip, port, endpointIP) {
      // Exit status 1 means no entry matched: nothing to clear. A NodePort (no vip) matches
      // any destination address of this node.
      await runInNetns(o.netns, ['conntrack', '-D', '-p', 'udp', ...(vip ? ['--orig-dst', vip] : []), '--orig-port-dst', String(port), '--reply-src', endpointIP]);
    },
  });
  return {
    ...proxier,
    async stop(opts) {
      await proxier.stop(opts);
      health.stop();
    },
  };
}
