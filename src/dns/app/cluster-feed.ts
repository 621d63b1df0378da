// Informers -> ClusterView: the kubernetes plugin's data. One feed lives for the whole
// process; reloads build new chains over the same view, so a reload never drops the cache
// or re-lists the cluster. The view is marked synced once every informer has listed (until
// then the plugin answers SERVFAIL for cluster names and `ready` says not ready). Pods are
// watched only when some configuration asks for `pods verified`.

import type { KubeClient } from '../../k8s/client.ts';
import { resource } from '../../k8s/client.ts';
import { Informer } from '../../k8s/informer.ts';
import type { InformerEvent } from '../../k8s/informer.ts';
import type { Logger } from '../../lib/log.ts';
import { ClusterView, SERVICE_NAME_LABEL } from '../kubernetes/index.ts';
import type { DnsMetrics } from '../plugins/index.ts';
import { newServiceLatency, sliceLatency, type LatencySample } from './programming-latency.ts';

export interface ClusterFeedOptions {
  client: KubeClient;
  log: Logger;
  metrics: DnsMetrics;
  /** Watch pods from the start (`pods verified`): the first sync then waits for them too. */
  pods?: boolean;
  /** Wall-clock milliseconds (programming latency compares with API timestamps). */
  now?: () => number;
}

export interface ClusterFeed {
  readonly view: ClusterView;
  /** Resolves when services, endpointslices, namespaces (and pods if asked) have listed once. */
  readonly synced: Promise<void>;
  /** Starts the pod informer (a reload turned `pods verified` on); idempotent. */
  watchPods(): void;
  /** True when pods are not watched or have listed once. */
  podsSynced(): boolean;
  close(): void;
}

export function startClusterFeed(o: ClusterFeedOptions): ClusterFeed {
  const now = o.now ?? Date.now;
  const view = new ClusterView({ now: () => Math.floor(now() / 1000) });
  const abort = new AbortController();
  const informerLog: Logger = (msg, fields) => o.log(msg, { level: 'error', plugin: 'kubernetes', ...fields });
  const make = (key: string) => new Informer(o.client, resource(key), { log: informerLog });
  const services = make('services');
  const slices = make('endpointslices.discovery.k8s.io');
  const namespaces = make('namespaces');
  let pods: Informer | undefined;

  // Events delivered by the initial list replay old changes: they are not programming latency.
  let live = false;
  const observe = (s: LatencySample | undefined) => {
    if (s && live) o.metrics.programmingDuration.observe(s.seconds, { service_kind: s.kind });
  };
  const isResync = (e: InformerEvent) => e.type === 'MODIFIED' && e.old === e.obj;

  services.onChange((e) => {
    if (e.type === 'DELETED') return view.deleteService(e.obj);
    const known = view.service(e.obj.metadata?.namespace ?? '', e.obj.metadata?.name ?? '') !== undefined;
    view.upsertService(e.obj);
    if (e.type === 'ADDED' && !known) {
      const sv = view.service(e.obj.metadata?.namespace ?? '', e.obj.metadata?.name ?? '');
      if (sv) observe(newServiceLatency(e.obj, sv, now()));
    }
  });
  slices.onChange((e) => {
    if (e.type === 'DELETED') return view.deleteSlice(e.obj);
    view.upsertSlice(e.obj);
    if (isResync(e)) return;
    const ns = e.obj.metadata?.namespace ?? '';
    const svc = e.obj.metadata?.labels?.[SERVICE_NAME_LABEL];
    observe(sliceLatency(e.obj, svc ? view.service(ns, svc) : undefined, now()));
  });
  namespaces.onChange((e) => (e.type === 'DELETED' ? view.deleteNamespace(e.obj) : view.upsertNamespace(e.obj)));

  const watchPods = () => {
    if (pods || abort.signal.aborted) return;
    pods = make('pods');
    pods.onChange((e) => (e.type === 'DELETED' ? view.deletePod(e.obj) : view.upsertPod(e.obj)));
    void pods.run(abort.signal);
  };
  if (o.pods) watchPods();
  const initial = [services, slices, namespaces, ...(pods ? [pods] : [])];
  for (const inf of [services, slices, namespaces]) void inf.run(abort.signal);
  const synced = Promise.all(initial.map((i) => i.waitForSync())).then(() => {
    view.markSynced();
    live = true;
  });

  return {
    view,
    synced,
    watchPods,
    podsSynced: () => pods === undefined || pods.hasSynced(),
    close() {
      abort.abort();
    },
  };
}
