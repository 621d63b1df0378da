// The Hello World app `knet up` ships (DESIGN.md: unless --no-default-app): a Deployment of
// Google's hello-app (knet's built-in equivalent answers "Hello, world!" with its version and
// hostname) and a LoadBalancer Service in front of it, published on the host's loopback. Installed once per cluster: a user who deletes it
// does not get it back on the next `knet up`.

import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isAlreadyExists, KubeClient, resource } from '../k8s/client.ts';
import type { ClientConfig } from '../k8s/client.ts';

export const DEFAULT_APP_IMAGE = 'us-docker.pkg.dev/google-samples/containers/gke/hello-app:1.0';

export function defaultAppObjects(): { deployment: any; service: any } {
  const labels = { app: 'hello' };
  return {
    deployment: {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'hello', labels },
      spec: {
        replicas: 2, selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: { containers: [{ name: 'hello-app', image: DEFAULT_APP_IMAGE, ports: [{ name: 'http', containerPort: 8080 }], readinessProbe: { httpGet: { path: '/', port: 'http' }, periodSeconds: 1 } }] },
        },
      },
    },
    service: {
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'hello', labels },
      spec: { type: 'LoadBalancer', selector: labels, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
    },
  };
}

/** Creates the app unless it was installed before; returns whether it did. */
export async function installDefaultApp(api: ClientConfig, dataDir: string): Promise<boolean> {
  const marker = join(dataDir, 'default-app-installed');
  if (existsSync(marker)) return false;
  const client = new KubeClient({ ...api, userAgent: 'knet' });
  try {
    const { deployment, service } = defaultAppObjects();
    for (const [r, obj] of [[resource('deployments.apps'), deployment], [resource('services'), service]] as const) {
      try {
        await client.create(r, 'default', obj, { fieldManager: 'knet' });
      } catch (err) {
        if (!isAlreadyExists(err)) throw err;
      }
    }
  } finally {
    client.close();
  }
  writeFileSync(marker, new Date().toISOString() + '\n');
  return true;
}
