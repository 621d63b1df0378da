// Client configuration for a program running in a pod, as client-go's rest.InClusterConfig
// builds it: the API server from KUBERNETES_SERVICE_HOST/PORT (the `kubernetes` Service the
// kubelet injects), the CA and the bearer token from the service-account directory. The
// token is re-read at most once a minute (client-go's cached token source does the same) so
// a rotated token is picked up without a restart; KubeClient reads `config.token` on every
// request, so a getter is enough.

import { readFileSync } from 'node:fs';
import { isIPv6 } from 'node:net';
import { join } from 'node:path';
import type { ClientConfig } from '../../k8s/client.ts';

export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
const TOKEN_REFRESH_MS = 60_000;

export interface InClusterOptions {
  env?: NodeJS.ProcessEnv;
  /** Where token, ca.crt and namespace live. */
  dir?: string;
  userAgent?: string;
  /** Milliseconds clock, for the token re-read. */
  now?: () => number;
}

export interface InClusterConfig {
  client: ClientConfig;
  /** The pod's namespace, from the `namespace` file. */
  namespace: string;
}

export class NotInClusterError extends Error {
  constructor() {
    // client-go's ErrNotInCluster wording, so operators recognise it.
    super('unable to load in-cluster configuration, KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be defined');
    this.name = 'NotInClusterError';
  }
}

export function inClusterConfig(o: InClusterOptions = {}): InClusterConfig {
  const env = o.env ?? process.env;
  const dir = o.dir ?? SERVICE_ACCOUNT_DIR;
  const now = o.now ?? Date.now;
  const host = env.KUBERNETES_SERVICE_HOST;
  const port = env.KUBERNETES_SERVICE_PORT;
  if (!host || !port) throw new NotInClusterError();
  const tokenPath = join(dir, 'token');
  // Fail at start-up, not on the first request, when the mount is missing.
  let token = readFileSync(tokenPath, 'utf8').trim();
  let readAt = now();
  const caCert = readFileSync(join(dir, 'ca.crt'), 'utf8');
  let namespace = 'default';
  try {
    namespace = readFileSync(join(dir, 'namespace'), 'utf8').trim() || namespace;
  } catch {
    // Older mounts have no namespace file; client-go falls back to "default" too.
  }
  const client: ClientConfig = {
    server: `https://${isIPv6(host) ? `[${host}]` : host}:${port}`,
    caCert,
    userAgent: o.userAgent,
    get token() {
      if (now() - readAt >= TOKEN_REFRESH_MS) {
        readAt = now();
        try {
          token = readFileSync(tokenPath, 'utf8').trim();
        } catch {
          // Keep the last token: a rotation writes a new file, it does not leave none.
        }
      }
      return token;
    },
    set token(v: string) {
      token = v;
    },
  };
  return { client, namespace };
}
