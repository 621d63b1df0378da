// The cluster DNS add-on `knet up` installs, as kubeadm installs CoreDNS: in kube-system, a
// ConfigMap `coredns` with the Corefile, a Deployment `coredns` of two pods running knet's
// DNS server (the built-in `coredns` image program, src/dns), and the `kube-dns` Service at
// 10.96.0.10 (the nameserver every pod's resolv.conf names). Objects that exist are left as
// they are, so a user's Corefile survives `knet up`; objects that are missing are created.

import { isAlreadyExists, isNotFound, KubeClient, resource } from '../k8s/client.ts';
import type { ClientConfig } from '../k8s/client.ts';
import { defaultCorefile } from '../dns/corefile/index.ts';

export const CLUSTER_DNS_IP = '10.96.0.10';
export const COREDNS_IMAGE = 'registry.k8s.io/coredns/coredns:v1.12.0';

/**
 * kubeadm's Corefile without `forward`: a knet cluster is hermetic (DESIGN.md), so names
 * outside the cluster get SERVFAIL at once rather than being sent off the machine. Add
 * `forward . <address>` to the ConfigMap to resolve them through an upstream you run.
 */
export function knetCorefile(clusterDomain = 'cluster.local'): string {
  return defaultCorefile(clusterDomain, { forward: false });
}

export function clusterDnsObjects(clusterDomain = 'cluster.local'): { r: string; obj: any }[] {
  const labels = { 'k8s-app': 'kube-dns' };
  const ns = 'kube-system';
  return [
    { r: 'serviceaccounts', obj: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'coredns', namespace: ns } } },
    { r: 'configmaps', obj: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'coredns', namespace: ns }, data: { Corefile: knetCorefile(clusterDomain) } } },
    {
      r: 'deployments.apps',
      obj: {
        apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'coredns', namespace: ns, labels },
        spec: {
          replicas: 2,
          selector: { matchLabels: labels },
          strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
          template: {
            metadata: { labels },
            spec: {
              serviceAccountName: 'coredns',
              // The DNS server must not resolve through itself.
              dnsPolicy: 'Default',
              tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists' }, { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }],
              containers: [{
                name: 'coredns', image: COREDNS_IMAGE, args: ['-conf', '/etc/coredns/Corefile'],
                ports: [
                  { name: 'dns', containerPort: 53, protocol: 'UDP' },
                  { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' },
                  { name: 'metrics', containerPort: 9153, protocol: 'TCP' },
                ],
                livenessProbe: { httpGet: { path: '/health', port: 8080 }, initialDelaySeconds: 60, timeoutSeconds: 5, failureThreshold: 5 },
                readinessProbe: { httpGet: { path: '/ready', port: 8181 }, periodSeconds: 1 },
              }],
            },
          },
        },
      },
    },
    {
      r: 'services',
      obj: {
        apiVersion: 'v1', kind: 'Service',
        metadata: { name: 'kube-dns', namespace: ns, labels: { ...labels, 'kubernetes.io/name': 'CoreDNS' }, annotations: { 'prometheus.io/port': '9153', 'prometheus.io/scrape': 'true' } },
        spec: {
          selector: labels, clusterIP: CLUSTER_DNS_IP,
          ports: [
            { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
            { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
            { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 },
          ],
        },
      },
    },
  ];
}

/** Creates what is missing of the add-on; returns the names of the objects it created. */
export async function installClusterDns(api: ClientConfig, clusterDomain = 'cluster.local'): Promise<string[]> {
  const client = new KubeClient({ ...api, userAgent: 'knet' });
  const created: string[] = [];
  try {
    for (const { r, obj } of clusterDnsObjects(clusterDomain)) {
      // Look first: creating kube-dns again would fail on its fixed ClusterIP (422, as
      // upstream allocates before it finds the name taken), not with AlreadyExists.
      try {
        await client.get(resource(r), obj.metadata.namespace, obj.metadata.name);
        continue;
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
      try {
        await client.create(resource(r), obj.metadata.namespace, obj, { fieldManager: 'knet' });
        created.push(`${obj.kind.toLowerCase()}/${obj.metadata.name}`);
      } catch (err) {
        if (!isAlreadyExists(err)) throw err;
      }
    }
  } finally {
    client.close();
  }
  return created;
}
