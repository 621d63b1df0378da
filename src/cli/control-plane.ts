// Runs a cluster's control plane (API server + store + controllers) in this process: the PKI, the access
// token, the API port and the kubeconfig are made on first start and reused on every resume.

import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { ensurePki } from '../apiserver/certs.ts';
import { startApiServer } from '../apiserver/server.ts';
import type { ApiServer } from '../apiserver/server.ts';
import { openBackend } from '../store/index.ts';
import { DEFAULT_CONTROLLERS_CONFIG, startControllers } from '../controllers/index.ts';
import type { RunningControllers } from '../controllers/index.ts';
import { KnetError } from '../lib/errors.ts';
import type { Logger } from '../lib/log.ts';
import type { ClusterPaths } from './paths.ts';
import { kubeconfigYaml } from './kubeconfig.ts';

export interface ControlPlaneOptions {
  apiPort?: number;
  store?: string; // store URL; default sqlite in the data directory
  log: Logger;
}

export interface ServerState {
  pid: number;
  port: number;
  startedAt: string;
  /** Set once the data plane is up; absent while it starts. */
  ready?: boolean;
  nodes?: string[];
  /** The lines `knet up` printed once ready (the detached parent prints them too). */
  summary?: string[];
}

export interface ControlPlane {
  api: ApiServer;
  controllers: RunningControllers;
  kubeconfig: string;
  /** How in-process components reach the API server (HTTPS, the administrator's token). */
  client: { server: string; token: string; caCert: string };
  /** Marks the cluster ready in its state file (`knet up --detach` waits for it). */
  markReady(nodes: string[], summary?: string[]): void;
  close(): Promise<void>;
}

export const SERVICE_CIDR = '10.96.0.0/12';
export const NODE_PORT_RANGE: [number, number] = [30000, 32767];

export function readState(paths: ClusterPaths): ServerState | undefined {
  try {
    return JSON.parse(readFileSync(paths.state, 'utf8'));
  } catch {
    return undefined;
  }
}

/** The port to serve on: the one asked for, else the one used last time, else 6443 or the next free. */
async function choosePort(paths: ClusterPaths, asked: number | undefined): Promise<number> {
  if (asked !== undefined) {
    if (!(await portFree(asked))) throw new KnetError('port-busy', `port ${asked} on 127.0.0.1 is in use: choose another with --api-port, or stop what listens there`);
    return asked;
  }
  const previous = readState(paths)?.port;
  if (previous && (await portFree(previous))) return previous;
  for (let p = 6443; p < 6543; p++) if (await portFree(p)) return p;
  throw new KnetError('port-busy', 'no free port between 6443 and 6542 on 127.0.0.1: pass --api-port');
}

export function portFree(port: number): Promise<boolean> {
  return canListen('127.0.0.1', port);
}

/** Whether this process could listen on host:port (port 0: whether the address is this machine's). */
export function canListen(host: string, port = 0): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, host, () => s.close(() => resolve(true)));
  });
}

function ensureToken(path: string): string {
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  const token = randomBytes(32).toString('hex');
  writeFileSync(path, token + '\n', { mode: 0o600 });
  return token;
}

export async function startControlPlane(paths: ClusterPaths, opts: ControlPlaneOptions): Promise<ControlPlane> {
  mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
  const token = ensureToken(paths.token);
  const pki = await ensurePki(paths.pki, ['127.0.0.1', '10.96.0.1', '172.18.0.2'], [
    'localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local',
  ]);
  const port = await choosePort(paths, opts.apiPort);
  const backend = openBackend(opts.store ?? `sqlite:${paths.store}`);
  let api: ApiServer;
  try {
    api = await startApiServer({
      backend, pki, tokens: [token], host: '127.0.0.1', port,
      serviceCIDR: SERVICE_CIDR, nodePortRange: NODE_PORT_RANGE,
      log: (msg, fields) => opts.log(msg, fields as Record<string, unknown>),
    });
  } catch (err) {
    await backend.close();
    throw err;
  }
  // The controllers reach the API server the way any client does: HTTPS with the token.
  const controllers: RunningControllers = startControllers({
    api: { server: `https://127.0.0.1:${api.port}`, token, caCert: pki.caCert },
    config: DEFAULT_CONTROLLERS_CONFIG,
    log: (msg, fields) => opts.log(msg, { component: 'controllers', ...fields }),
  });
  writeFileSync(paths.kubeconfig, kubeconfigYaml({ cluster: paths.name, server: `https://127.0.0.1:${api.port}`, caCert: pki.caCert, token }), { mode: 0o600 });
  const state: ServerState = { pid: process.pid, port: api.port, startedAt: new Date().toISOString() };
  writeFileSync(paths.state, JSON.stringify(state) + '\n');
  return {
    api,
    kubeconfig: paths.kubeconfig,
    controllers,
    client: { server: `https://127.0.0.1:${api.port}`, token, caCert: pki.caCert },
    markReady(nodes, summary) {
      writeFileSync(paths.state, JSON.stringify({ ...state, ready: true, nodes, summary }) + '\n');
    },
    async close() {
      await controllers.stop();
      await api.close();
      await backend.close();
      const cur = readState(paths);
      // Keep the port so that the next `knet up` serves on the same one (stable kubeconfig).
      if (cur?.pid === process.pid) writeFileSync(paths.state, JSON.stringify({ ...cur, pid: 0 }) + '\n');
    },
  };
}
