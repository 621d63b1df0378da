// Test support: an API server in this process on a free loopback port, with its kubeconfig,
// and a runner for the real kubectl binaries (called directly, so the dispatcher's version
// choice does not matter), each invocation with the test's own discovery cache.

import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensurePki } from '../../src/apiserver/certs.ts';
import { startApiServer } from '../../src/apiserver/server.ts';
import type { ApiServer } from '../../src/apiserver/server.ts';
import { openBackend } from '../../src/store/index.ts';
import type { Backend } from '../../src/store/index.ts';
import { kubeconfigYaml } from '../../src/cli/kubeconfig.ts';
import { DEFAULT_CONTROLLERS_CONFIG, startControllers } from '../../src/controllers/index.ts';
import type { ControllersConfig, RunningControllers } from '../../src/controllers/index.ts';

export const KUBECTL_DIR = '/usr/lib/google-cloud-sdk/bin';

export interface TestCluster {
  api: ApiServer;
  backend: Backend;
  /** The controller manager, when started (opts.controllers). */
  controllers?: RunningControllers;
  dir: string;
  kubeconfig: string;
  token: string;
  caCert: string;
  url: string;
  /** Runs kubectl.<version> (default 1.33); resolves with stdout/stderr/code, never rejects. */
  kubectl(args: string[], opts?: { version?: string; input?: string; env?: Record<string, string> }): Promise<KubectlResult>;
  /** A raw authenticated HTTPS request to the API server. */
  request(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: any; text: string }>;
  close(): Promise<void>;
}

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface TestClusterOptions {
  store?: 'memory' | 'sqlite';
  /** Run the controller manager in this process: true for all, or the names of some. */
  controllers?: boolean | string[];
  controllersConfig?: Partial<ControllersConfig>;
}

export async function startTestCluster(opts: TestClusterOptions = {}): Promise<TestCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'knet-test-'));
  // The same names as a real cluster's, so in-cluster clients verify the API server too.
  const pki = await ensurePki(join(dir, 'pki'), ['127.0.0.1', '10.96.0.1', '172.18.0.2'], ['localhost', 'kubernetes', 'kubernetes.default', 'kubernetes.default.svc', 'kubernetes.default.svc.cluster.local']);
  const token = 'test-token-' + Math.random().toString(36).slice(2);
  const backend = openBackend(opts.store === 'sqlite' ? `sqlite:${join(dir, 'store.db')}` : 'memory:');
  const api = await startApiServer({
    backend, pki, tokens: [token], host: '127.0.0.1', port: 0,
    serviceCIDR: '10.96.0.0/12', nodePortRange: [30000, 32767],
    log: (msg, fields) => process.stderr.write(`apiserver: ${msg} ${JSON.stringify(fields ?? {})}\n`),
  });
  const url = `https://127.0.0.1:${api.port}`;
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, kubeconfigYaml({ cluster: 'test', server: url, caCert: pki.caCert, token }));
  const cacheDir = join(dir, 'kube-cache');
  const controllers = opts.controllers ? startControllers({
    api: { server: url, token, caCert: pki.caCert },
    config: { ...DEFAULT_CONTROLLERS_CONFIG, ...opts.controllersConfig },
    log: (msg, fields) => process.stderr.write(`controllers: ${msg} ${JSON.stringify(fields ?? {})}\n`),
    only: Array.isArray(opts.controllers) ? opts.controllers : undefined,
  }) : undefined;
  await controllers?.synced;
  const cluster: TestCluster = {
    api, backend, dir, kubeconfig, token, caCert: pki.caCert, url, controllers,
    kubectl: (args, o = {}) => runKubectl(o.version ?? '1.33', ['--kubeconfig', kubeconfig, '--cache-dir', `${cacheDir}-${o.version ?? '1.33'}`, ...args], o.input, o.env),
    request: (method, path, body, headers) => rawRequest(url, token, pki.caCert, method, path, body, headers),
    async close() {
      await cluster.controllers?.stop(); // the test may have replaced them
      await api.close();
      await backend.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return cluster;
}

export function runKubectl(version: string, args: string[], input?: string, env?: Record<string, string>): Promise<KubectlResult> {
  return new Promise((resolve) => {
    const child = execFile(join(KUBECTL_DIR, `kubectl.${version}`), args, { timeout: 60_000, maxBuffer: 16 << 20, env: { ...process.env, ...env } }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0, stdout, stderr });
    });
    if (input !== undefined) child.stdin!.end(input);
  });
}

async function rawRequest(url: string, token: string, ca: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const { request } = await import('node:https');
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: any; text: string }>((resolve, reject) => {
    const data = body === undefined ? undefined : typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
    const req = request(url + path, {
      method, ca, agent: false,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', Accept: 'application/json', ...(data !== undefined ? { 'Content-Length': String(Buffer.byteLength(data)) } : {}), ...headers },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parsed, text });
      });
    });
    req.on('error', reject);
    if (data !== undefined) req.write(data);
    req.end();
  });
}
