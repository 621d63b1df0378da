// knet's controller manager: every controller, started in one process against one API client
// and one set of shared informers. Which controllers exist and in what order they start is
// this table; each one only talks to the API, so the same code runs against any API server.

import { KubeClient } from '../k8s/client.ts';
import type { ClientConfig } from '../k8s/client.ts';
import { InformerFactory } from '../k8s/informer.ts';
import { EventRecorder } from '../k8s/event-recorder.ts';
import type { Logger } from '../lib/log.ts';
import type { ControllersConfig } from './config.ts';
import type { ControllerContext } from './runtime.ts';
import { startGarbageCollector } from './garbagecollector/controller.ts';
import { startNamespaceController } from './namespace/controller.ts';
import { startKubernetesServiceController } from './kubernetes-service/controller.ts';
import { startEndpointSliceController } from './endpointslice/controller.ts';
import { startEndpointsController } from './endpoints/controller.ts';
import { startScheduler } from './scheduler/controller.ts';
import { startNodeIpamController } from './nodeipam/controller.ts';
import { startLoadBalancerController } from './loadbalancer/controller.ts';
import { startReplicaSetController } from './replicaset/controller.ts';
import { startDeploymentController } from './deployment/controller.ts';
import { startServiceAccountControllers } from './serviceaccount/controller.ts';

export type { ControllersConfig } from './config.ts';
export { DEFAULT_CONTROLLERS_CONFIG } from './config.ts';

export const CONTROLLERS: readonly { name: string; start: (ctx: ControllerContext) => void }[] = [
  { name: 'garbage-collector', start: startGarbageCollector },
  { name: 'namespace', start: startNamespaceController },
  { name: 'kubernetes-service', start: startKubernetesServiceController },
  { name: 'serviceaccount', start: startServiceAccountControllers },
  { name: 'nodeipam', start: (ctx) => startNodeIpamController(ctx, { serviceCIDR: ctx.config.serviceCIDR }) },
  { name: 'deployment', start: startDeploymentController },
  { name: 'replicaset', start: startReplicaSetController },
  { name: 'scheduler', start: startScheduler },
  { name: 'endpointslice', start: startEndpointSliceController },
  { name: 'endpoints', start: startEndpointsController },
  { name: 'loadbalancer', start: startLoadBalancerController },
];

export interface RunningControllers {
  client: KubeClient;
  informers: InformerFactory;
  /** Resolves once every informer has synced. */
  synced: Promise<void>;
  /** True when every informer has synced and no work is queued, in process or scheduled. */
  idle(): boolean;
  stop(): Promise<void>;
}

export function startControllers(opts: { api: ClientConfig; config: ControllersConfig; log: Logger; only?: string[] }): RunningControllers {
  const client = new KubeClient({ ...opts.api, userAgent: opts.api.userAgent ?? 'knet-controller-manager' });
  const informers = new InformerFactory(client, opts.log);
  const abort = new AbortController();
  const recorders = new Map<string, EventRecorder>();
  const ctx: ControllerContext = {
    client, informers, log: opts.log, signal: abort.signal, config: opts.config, reconcilers: [],
    recorder(component) {
      let r = recorders.get(component);
      if (!r) recorders.set(component, (r = new EventRecorder(client, component, opts.log)));
      return r;
    },
  };
  for (const c of CONTROLLERS) {
    if (!opts.only || opts.only.includes(c.name)) c.start(ctx);
  }
  informers.start(abort.signal);
  return {
    client, informers,
    synced: informers.waitForSync(),
    idle: () => informers.allSynced() && ctx.reconcilers.every((r) => r.queue.idle()),
    async stop() {
      abort.abort();
      await informers.stopped();
      await Promise.all([...recorders.values()].map((r) => r.flush()));
      client.close();
    },
  };
}
