// The kubeconfig `knet up` writes for kubectl and client libraries.

import { stringify } from 'yaml';

export function kubeconfigYaml(opts: { cluster: string; server: string; caCert: string; token: string }): string {
  const ctx = `knet-${opts.cluster}`;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: ctx, cluster: { server: opts.server, 'certificate-authority-data': Buffer.from(opts.caCert).toString('base64') } }],
    users: [{ name: ctx, user: { token: opts.token } }],
    contexts: [{ name: ctx, context: { cluster: ctx, user: ctx, namespace: 'default' } }],
    'current-context': ctx,
    preferences: {},
  });
}
