// The agent's Node: registered on start (labels, addresses, capacity, nodeInfo, conditions),
// kept alive through a Lease in kube-node-lease renewed every 10 s, as the kubelet does, and
// its Ready condition refreshed with the status. Upstream's node lifecycle controller reads
// the Lease; knet's scheduler reads the Ready condition.

import { cpus, totalmem, release } from 'node:os';
import { isAlreadyExists, isConflict, isNotFound, resource } from '../k8s/client.ts';
import type { KubeClient } from '../k8s/client.ts';
import { rfc3339 } from '../lib/time.ts';

const nodesR = resource('nodes');
const leasesR = resource('leases.coordination.k8s.io');
export const KUBELET_VERSION = 'v1.33.0';
const LEASE_SECONDS = 40;

export function nodeObject(name: string, labels: Record<string, string> = {}, taints: any[] = []): any {
  return {
    apiVersion: 'v1', kind: 'Node',
    metadata: {
      name,
      labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': process.arch === 'x64' ? 'amd64' : process.arch, 'beta.kubernetes.io/os': 'linux', 'beta.kubernetes.io/arch': process.arch === 'x64' ? 'amd64' : process.arch, ...labels },
      annotations: { 'node.alpha.kubernetes.io/ttl': '0' },
    },
    spec: taints.length ? { taints } : {},
  };
}

export function nodeStatus(name: string, ip: string, now: Date, previous?: any): any {
  const t = rfc3339(now);
  const cond = (type: string, status: string, reason: string, message: string) => {
    const old = (previous?.conditions ?? []).find((c: any) => c.type === type);
    return { type, status, lastHeartbeatTime: t, lastTransitionTime: old?.status === status ? old.lastTransitionTime : t, reason, message };
  };
  const cap = { cpu: String(cpus().length), memory: `${Math.floor(totalmem() / 1024)}Ki`, pods: '110', 'ephemeral-storage': '10Gi' };
  return {
    addresses: [{ type: 'InternalIP', address: ip }, { type: 'Hostname', address: name }],
    capacity: cap,
    allocatable: cap,
    conditions: [
      cond('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
      cond('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
      cond('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
      cond('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
    nodeInfo: {
      machineID: '', systemUUID: '', bootID: '', kernelVersion: release(), osImage: 'knet (network namespaces on one Linux machine)',
      containerRuntimeVersion: 'knet://0.1.0', kubeletVersion: KUBELET_VERSION, kubeProxyVersion: '', operatingSystem: 'linux', architecture: process.arch === 'x64' ? 'amd64' : process.arch,
    },
  };
}

/** Creates or refreshes the Node; returns the stored object. */
export async function registerNode(client: KubeClient, name: string, ip: string, opts: { labels?: Record<string, string>; taints?: any[]; annotations?: Record<string, string> } = {}): Promise<any> {
  let node: any;
  const fresh = nodeObject(name, opts.labels, opts.taints);
  fresh.metadata.annotations = { ...fresh.metadata.annotations, ...opts.annotations };
  try {
    node = await client.create(nodesR, undefined, fresh, { fieldManager: 'kubelet' });
  } catch (err) {
    if (!isAlreadyExists(err)) throw err;
    node = await client.get(nodesR, undefined, name);
    // A restarted agent may serve its kubelet API elsewhere: its annotations are refreshed.
    const stale = Object.entries(opts.annotations ?? {}).some(([k, v]) => node.metadata.annotations?.[k] !== v);
    if (stale) node = await client.patch(nodesR, undefined, name, 'merge', { metadata: { annotations: opts.annotations } }, { fieldManager: 'kubelet' });
  }
  return updateNodeStatus(client, node, ip);
}

export async function updateNodeStatus(client: KubeClient, node: any, ip: string): Promise<any> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await client.update(nodesR, undefined, { ...node, status: { ...node.status, ...nodeStatus(node.metadata.name, ip, new Date(), node.status) } }, { subresource: 'status', fieldManager: 'kubelet' });
    } catch (err) {
      if (!isConflict(err) || attempt > 5) throw err;
      node = await client.get(nodesR, undefined, node.metadata.name);
    }
  }
}

/** Renews the node's Lease (creating it when missing). */
export async function renewLease(client: KubeClient, node: any): Promise<void> {
  const name = node.metadata.name;
  const now = new Date().toISOString().replace(/Z$/, '000Z');
  try {
    const lease = await client.get(leasesR, 'kube-node-lease', name);
    await client.update(leasesR, 'kube-node-lease', { ...lease, spec: { ...lease.spec, renewTime: now } }, { fieldManager: 'kubelet' });
  } catch (err) {
    if (!isNotFound(err)) throw err;
    await client.create(leasesR, 'kube-node-lease', {
      metadata: { name, ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name, uid: node.metadata.uid }] },
      spec: { holderIdentity: name, leaseDurationSeconds: LEASE_SECONDS, renewTime: now },
    }, { fieldManager: 'kubelet' });
  }
}
