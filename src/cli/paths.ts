// Where a cluster keeps its state: $KNET_HOME/clusters/<name>/ (default ~/.knet), holding the
// store, the PKI, the access token, the kubeconfig and the running server's pid and port.

import { homedir } from 'node:os';
import { join } from 'node:path';
import { KnetError } from '../lib/errors.ts';

export interface ClusterPaths {
  name: string;
  dir: string;
  store: string;
  pki: string;
  token: string;
  kubeconfig: string;
  state: string;
  log: string;
}

export function knetHome(): string {
  return process.env.KNET_HOME || join(homedir(), '.knet');
}

export function clustersDir(): string {
  return join(knetHome(), 'clusters');
}

export function clusterPaths(name: string): ClusterPaths {
  if (!/^[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?$/.test(name)) {
    throw new KnetError('bad-name', `cluster name "${name}" is not valid: use up to 32 lower-case letters, digits and '-', starting and ending with a letter or digit`);
  }
  const dir = join(clustersDir(), name);
  return {
    name, dir,
    store: join(dir, 'store.db'),
    pki: join(dir, 'pki'),
    token: join(dir, 'token'),
    kubeconfig: join(dir, 'kubeconfig'),
    state: join(dir, 'server.json'),
    log: join(dir, 'server.log'),
  };
}
