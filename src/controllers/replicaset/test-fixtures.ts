// Small builders for ReplicaSet and pod objects in tests.

export const T0 = Date.parse('2025-01-01T00:00:00Z');
export const at = (sec: number) => new Date(T0 + sec * 1000).toISOString().replace(/\.\d+Z$/, 'Z');

export function makeRs(over: { name?: string; uid?: string; replicas?: number; minReadySeconds?: number; generation?: number; labels?: Record<string, string>; status?: any } = {}): any {
  const labels = over.labels ?? { app: 'web' };
  return {
    apiVersion: 'apps/v1', kind: 'ReplicaSet',
    metadata: { name: over.name ?? 'web-abc', namespace: 'default', uid: over.uid ?? 'rs-uid', generation: over.generation ?? 1 },
    spec: {
      replicas: over.replicas ?? 3,
      minReadySeconds: over.minReadySeconds ?? 0,
      selector: { matchLabels: { ...labels } },
      template: { metadata: { labels: { ...labels } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
    },
    status: over.status ?? { replicas: 0 },
  };
}

export interface PodOpts {
  owner?: string | null;
  labels?: Record<string, string>;
  node?: string;
  phase?: string;
  ready?: boolean;
  readySince?: number;
  created?: number;
  restarts?: number;
  deleting?: boolean;
  cost?: number;
  uid?: string;
}

export function makePod(name: string, o: PodOpts = {}): any {
  const metadata: any = { name, namespace: 'default', uid: o.uid ?? `uid-${name}`, labels: o.labels ?? { app: 'web' }, creationTimestamp: at(o.created ?? 0) };
  if (o.owner !== null) metadata.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'x', uid: o.owner ?? 'rs-uid', controller: true, blockOwnerDeletion: true }];
  if (o.deleting) metadata.deletionTimestamp = at(1000);
  if (o.cost !== undefined) metadata.annotations = { 'controller.kubernetes.io/pod-deletion-cost': String(o.cost) };
  const conditions = o.ready === undefined ? [] : [{ type: 'Ready', status: o.ready ? 'True' : 'False', lastTransitionTime: at(o.readySince ?? 0) }];
  return {
    apiVersion: 'v1', kind: 'Pod', metadata,
    spec: { nodeName: o.node ?? 'node-1', containers: [{ name: 'c', image: 'nginx' }] },
    status: { phase: o.phase ?? 'Running', conditions, containerStatuses: [{ name: 'c', restartCount: o.restarts ?? 0 }] },
  };
}
