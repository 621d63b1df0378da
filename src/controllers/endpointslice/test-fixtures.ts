// Test-only builders for Services, Pods and Nodes, and a tiny in-memory slice store
// that applies a SlicePlan the way the API server would (names, resourceVersions).

import type { SlicePlan } from './reconcile.ts';

export function service(over: { name?: string; ns?: string; uid?: string; selector?: Record<string, string> | null; ports?: any[]; clusterIP?: string; ipFamilies?: string[]; labels?: Record<string, string>; publishNotReadyAddresses?: boolean; type?: string } = {}): any {
  const spec: any = {
    selector: over.selector === undefined ? { app: 'web' } : over.selector,
    ports: over.ports ?? [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }],
    clusterIP: over.clusterIP ?? '10.96.0.10',
    ipFamilies: over.ipFamilies ?? ['IPv4'],
    type: over.type ?? 'ClusterIP',
  };
  if (over.publishNotReadyAddresses !== undefined) spec.publishNotReadyAddresses = over.publishNotReadyAddresses;
  if (spec.selector === null) delete spec.selector;
  return {
    apiVersion: 'v1', kind: 'Service',
    metadata: { name: over.name ?? 'web', namespace: over.ns ?? 'default', uid: over.uid ?? 'svc-uid-1', creationTimestamp: '2025-01-01T00:00:00Z', ...(over.labels ? { labels: over.labels } : {}) },
    spec,
  };
}

export function pod(name: string, ip: string | string[] | undefined, over: { ready?: boolean; labels?: Record<string, string>; ns?: string; node?: string; phase?: string; deleting?: boolean; hostname?: string; subdomain?: string; ports?: any[]; readySince?: string } = {}): any {
  const ips = ip === undefined ? [] : Array.isArray(ip) ? ip : [ip];
  const status: any = {
    phase: over.phase ?? 'Running',
    conditions: [{ type: 'Ready', status: over.ready === false ? 'False' : 'True', lastTransitionTime: over.readySince ?? '2025-01-01T00:00:10Z' }],
  };
  if (ips.length) {
    status.podIP = ips[0];
    status.podIPs = ips.map((i) => ({ ip: i }));
  }
  const spec: any = { nodeName: over.node ?? 'node-a', containers: [{ name: 'c', ports: over.ports ?? [{ name: 'http', containerPort: 8080, protocol: 'TCP' }] }] };
  if (over.hostname) spec.hostname = over.hostname;
  if (over.subdomain) spec.subdomain = over.subdomain;
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace: over.ns ?? 'default', uid: `uid-${name}`, labels: over.labels ?? { app: 'web' }, ...(over.deleting ? { deletionTimestamp: '2025-01-01T00:01:00Z' } : {}) },
    spec, status,
  };
}

export function node(name: string, zone?: string): any {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name, labels: zone ? { 'topology.kubernetes.io/zone': zone } : {} } };
}

/** Applies plans like an API server would: generateName -> name, resourceVersion bumps. */
export class SliceStore {
  slices = new Map<string, any>();
  private seq = 0;
  private rv = 100;

  apply(plan: SlicePlan): void {
    for (const s of plan.delete) {
      if (!this.slices.delete(s.metadata.name)) throw new Error(`delete of unknown slice ${s.metadata.name}`);
    }
    for (const s of plan.update) {
      const cur = this.slices.get(s.metadata.name);
      if (!cur) throw new Error(`update of unknown slice ${s.metadata.name}`);
      this.slices.set(s.metadata.name, structuredClone({ ...s, metadata: { ...s.metadata, uid: cur.metadata.uid, resourceVersion: String(++this.rv) } }));
    }
    for (const s of plan.create) {
      if (s.metadata.name) throw new Error('create with a fixed name');
      const name = `${s.metadata.generateName}${String(++this.seq).padStart(5, 'x')}`;
      this.slices.set(name, structuredClone({ ...s, metadata: { ...s.metadata, name, uid: `slice-uid-${this.seq}`, resourceVersion: String(++this.rv) } }));
    }
  }

  list(): any[] {
    return [...this.slices.values()].map((s) => structuredClone(s));
  }
}

export function ips(slice: any): string[] {
  return (slice.endpoints ?? []).flatMap((e: any) => e.addresses).sort();
}
