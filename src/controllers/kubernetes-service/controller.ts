// The `kubernetes` Service in `default` has no selector: its Endpoints and EndpointSlice name
// the API server's in-cluster address, written by the API server's endpoint reconciler
// upstream (pkg/controlplane/reconcilers). knet's API server listens on loopback only, so the
// in-cluster address is the relay that forwards to it (config.apiServerEndpoint); this
// controller keeps both objects pointing there and repairs them when edited or deleted.

import { isAlreadyExists, isConflict, isNotFound, resource } from '../../k8s/client.ts';
import { startReconciler } from '../runtime.ts';
import type { ControllerContext } from '../runtime.ts';

const endpoints = resource('endpoints');
const slices = resource('endpointslices.discovery.k8s.io');
const KEY = 'default/kubernetes';

export function desiredKubernetesEndpoints(ip: string, port: number): { endpoints: any; slice: any } {
  const ports = [{ name: 'https', port, protocol: 'TCP' }];
  return {
    endpoints: {
      apiVersion: 'v1', kind: 'Endpoints',
      metadata: { name: 'kubernetes', namespace: 'default', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
      subsets: [{ addresses: [{ ip }], ports }],
    },
    slice: {
      apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
      metadata: { name: 'kubernetes', namespace: 'default', labels: { 'kubernetes.io/service-name': 'kubernetes' } },
      addressType: ip.includes(':') ? 'IPv6' : 'IPv4',
      endpoints: [{ addresses: [ip], conditions: { ready: true } }],
      ports,
    },
  };
}

export function startKubernetesServiceController(ctx: ControllerContext): void {
  const epInf = ctx.informers.informer(endpoints);
  const sliceInf = ctx.informers.informer(slices);
  const rec = startReconciler(ctx, { name: 'kubernetes-service', workers: 1, reconcile });
  for (const inf of [epInf, sliceInf]) {
    inf.onChange((e) => {
      if (e.obj.metadata?.namespace === 'default' && e.obj.metadata?.name === 'kubernetes') rec.enqueue(KEY);
    });
  }
  void ctx.informers.waitForSync().then(() => rec.enqueue(KEY));

  async function reconcile(): Promise<void> {
    const { ip, port } = ctx.config.apiServerEndpoint;
    const want = desiredKubernetesEndpoints(ip, port);
    await ensure(endpoints, epInf.get('default', 'kubernetes'), want.endpoints, (o) => JSON.stringify([o.subsets, o.metadata?.labels]));
    await ensure(slices, sliceInf.get('default', 'kubernetes'), want.slice, (o) => JSON.stringify([o.addressType, o.endpoints, o.ports, o.metadata?.labels]));
  }

  async function ensure(r: typeof endpoints, cur: any, want: any, view: (o: any) => string): Promise<void> {
    try {
      if (!cur) await ctx.client.create(r, 'default', want, { fieldManager: 'kube-apiserver' });
      else if (view(cur) !== view(want)) {
        await ctx.client.update(r, 'default', { ...want, metadata: { ...cur.metadata, labels: want.metadata.labels } }, { fieldManager: 'kube-apiserver' });
      }
    } catch (err) {
      // Our cache was behind: the informer's event for the object brings us back.
      if (isAlreadyExists(err) || isConflict(err) || isNotFound(err)) return;
      throw err;
    }
  }
}
