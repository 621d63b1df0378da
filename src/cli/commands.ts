// The knet commands: up, down, status, kubeconfig. Progress goes to stderr; stdout carries the
// one thing a script wants (the kubeconfig path), so `export KUBECONFIG=$(knet up --detach)`
// works.

import { spawn } from 'node:child_process';
import { existsSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:https';
import { KnetError } from '../lib/errors.ts';
import { KubeClient, resource } from '../k8s/client.ts';
import { listNetns } from '../host/index.ts';
import { createLogger } from '../lib/log.ts';
import { clusterPaths, clustersDir } from './paths.ts';
import type { ClusterPaths } from './paths.ts';
import { canListen, readState, startControlPlane } from './control-plane.ts';
import { startDataPlane } from './data-plane.ts';
import type { DataPlane } from './data-plane.ts';
import { installDefaultApp } from './default-app.ts';
import { CLUSTER_DNS_IP, installClusterDns } from './cluster-dns.ts';

export interface UpOptions {
  name: string;
  detach: boolean;
  apiPort?: number;
  store?: string;
  /** Nodes of the data plane (0: control plane only). */
  nodes: number;
  backend: 'host-gw' | 'vxlan';
  defaultApp: boolean;
  /** Host address LoadBalancer Services are published on. */
  publish: string;
}

const say = (msg: string) => process.stderr.write(msg + '\n');

function alive(pid: number): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Whether the cluster's API server answers /healthz (TLS checked against its CA). */
export function healthy(paths: ClusterPaths, port: number, timeoutMs = 2000): Promise<boolean> {
  return new Promise((resolve) => {
    let ca: string;
    try {
      ca = readFileSync(`${paths.pki}/ca.crt`, 'utf8');
    } catch {
      return resolve(false);
    }
    const req = request({ host: '127.0.0.1', port, path: '/healthz', ca, timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
    req.end();
  });
}

async function running(paths: ClusterPaths): Promise<{ pid: number; port: number } | undefined> {
  const st = readState(paths);
  if (st && alive(st.pid) && (await healthy(paths, st.port))) return st;
  return undefined;
}

export async function up(o: UpOptions): Promise<void> {
  const paths = clusterPaths(o.name);
  const already = await running(paths);
  if (already) {
    say(`knet: cluster "${o.name}" is already running (pid ${already.pid}, API https://127.0.0.1:${already.port})`);
    process.stdout.write(paths.kubeconfig + '\n');
    return;
  }
  if (o.nodes > 0 && !(await canListen(o.publish))) {
    throw new KnetError('bad-flag', `--publish ${o.publish}: this machine has no such address to listen on; give one of its addresses, such as 127.0.0.1`);
  }
  if (o.detach) return upDetached(o, paths);
  if (o.nodes > 0 && process.getuid?.() !== 0) {
    throw new KnetError('not-root', 'knet up creates network namespaces and needs root; run it as root, or pass --nodes 0 for the control plane alone');
  }
  const started = Date.now();
  let phase = Date.now();
  // On a terminal, a live line says what is being done; each finished phase replaces it with
  // a plain line and its time. Elsewhere (logs, CI) only the plain lines are written.
  const live = process.stderr.isTTY;
  const begin = (what: string) => {
    if (live) process.stderr.write(`\r\x1b[2Kknet: ${what} ...`);
  };
  const step = (what: string) => {
    if (live) process.stderr.write('\r\x1b[2K');
    say(`knet: ${what} (${Date.now() - phase} ms)`);
    phase = Date.now();
  };
  begin('starting the control plane (API server, store, controllers)');
  const cp = await startControlPlane(paths, { apiPort: o.apiPort, store: o.store, log: createLogger('apiserver') });
  step(`control plane: API https://127.0.0.1:${cp.api.port}`);
  let dp: DataPlane | undefined;
  if (o.nodes > 0) {
    try {
      begin(`creating the fabric and ${o.nodes} node namespaces`);
      dp = await startDataPlane({ cluster: o.name, nodes: o.nodes, backend: o.backend, api: cp.client, dataDir: paths.dir, publishHost: o.publish, log: createLogger('node') });
      step(`fabric and ${o.nodes} node namespaces (${o.backend})`);
      begin('registering nodes, assigning pod CIDRs, programming routes and Service rules');
      await withTimeout(dp.ready, 60_000, 'the nodes did not become ready within 60 s');
      step('nodes registered, pod CIDRs assigned, routes in place');
    } catch (err) {
      if (live) process.stderr.write('\r\x1b[2K');
      say(`knet: the data plane failed to start: ${(err as Error).message}; undoing`);
      await dp?.stop().catch(() => {});
      await cp.close();
      throw err;
    }
  }
  if (dp) {
    // Pods work without it (by IP); a failure here is reported, not fatal.
    try {
      const created = await installClusterDns(cp.client);
      if (created.length > 0) step(`cluster DNS: deployment/coredns and service/kube-dns (${CLUSTER_DNS_IP}) in kube-system`);
    } catch (err) {
      say(`knet: warning: the cluster DNS add-on could not be installed: ${(err as Error).message}`);
    }
  }
  if (dp && o.defaultApp) {
    if (await installDefaultApp(cp.client, paths.dir)) step('default app: deployment/hello and service/hello (knet up --no-default-app skips it)');
    // The first command a newcomer runs is `curl` of the app: wait (a little) until it answers.
    begin('waiting for the hello app to be published and ready');
    const ready = await waitForDefaultApp(cp.client, dp, 20_000);
    step(ready ? 'hello app ready and published' : 'hello app not ready yet (kubectl get pods tells why)');
  }
  const summary = clusterSummary(o.name, Date.now() - started, cp.api.port, dp?.nodes ?? [], dp?.published() ?? [], cp.kubeconfig);
  cp.markReady(dp?.nodes.map((n) => n.name) ?? [], summary);
  for (const line of summary) say(line);
  say('knet: running in the foreground; Ctrl-C stops it (knet up --detach runs it in the background)');
  process.stdout.write(cp.kubeconfig + '\n');
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  say(`knet: stopping cluster "${o.name}"`);
  await dp?.stop().catch((err) => say(`knet: cleaning the data plane failed: ${(err as Error).message}`));
  await cp.close();
}

/** The lines `knet up` ends with (also printed by `knet up --detach` from the state file). */
function clusterSummary(name: string, ms: number, port: number, nodes: { name: string; ip: string }[], published: { service: string; host: string; target: string }[], kubeconfig: string): string[] {
  const lines = [`knet: cluster "${name}" is up in ${ms} ms`];
  for (const n of nodes) lines.push(`knet:   node ${n.name.padEnd(24)} ${n.ip}`);
  lines.push(`knet:   API https://127.0.0.1:${port}`);
  for (const p of published) lines.push(`knet:   ${p.service.padEnd(24)} http://${p.host}/  (LoadBalancer ${p.target})`);
  const hello = published.find((p) => p.service === 'default/hello');
  if (hello) lines.push(`knet: try: curl http://${hello.host}/`);
  lines.push(`knet: export KUBECONFIG=${kubeconfig}`);
  return lines;
}

/** Until the hello app has a ready endpoint and is published on the host, or `ms` passes. */
async function waitForDefaultApp(api: { server: string; token: string; caCert: string }, dp: DataPlane, ms: number): Promise<boolean> {
  const client = new KubeClient(api);
  try {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      const slices = await client.list(resource('endpointslices.discovery.k8s.io'), 'default', { labelSelector: 'kubernetes.io/service-name=hello' }).catch(() => undefined);
      const ready = slices?.items.some((s) => (s.endpoints ?? []).some((e: any) => e.conditions?.ready));
      if (ready && dp.published().some((p) => p.service === 'default/hello')) return true;
      await new Promise((r) => setTimeout(r, 100));
    }
    return false;
  } finally {
    client.close();
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let t: NodeJS.Timeout;
  return Promise.race([p, new Promise<T>((_, reject) => (t = setTimeout(() => reject(new KnetError('up-timeout', message)), ms)))]).finally(() => clearTimeout(t));
}

async function upDetached(o: UpOptions, paths: ClusterPaths): Promise<void> {
  const { mkdirSync } = await import('node:fs');
  mkdirSync(paths.dir, { recursive: true, mode: 0o700 });
  const logFd = openSync(paths.log, 'a');
  const args = [...process.execArgv, process.argv[1], 'up', '--name', o.name];
  if (o.apiPort !== undefined) args.push('--api-port', String(o.apiPort));
  if (o.store) args.push('--store', o.store);
  args.push('--nodes', String(o.nodes), '--backend', o.backend);
  if (!o.defaultApp) args.push('--no-default-app');
  args.push('--publish', o.publish);
  const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', logFd, logFd] });
  child.unref();
  let exited: number | null = null;
  child.once('exit', (code) => (exited = code ?? 1));
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (exited !== null) {
      throw new KnetError('up-failed', `the cluster's server exited (code ${exited}) before it answered; its log is ${paths.log}:\n${tail(paths.log)}`);
    }
    const st = readState(paths);
    if (st && st.pid === child.pid && st.ready && (await healthy(paths, st.port))) {
      for (const line of st.summary ?? []) if (!line.startsWith('knet: export')) say(line);
      say(`knet: running in the background (pid ${child.pid}); knet down --name ${o.name} stops it`);
      say(`knet: export KUBECONFIG=${paths.kubeconfig}`);
      process.stdout.write(paths.kubeconfig + '\n');
      return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  try {
    process.kill(child.pid!, 'SIGKILL');
  } catch { /* already gone */ }
  throw new KnetError('up-timeout', `the cluster did not become ready within 90 s; its log is ${paths.log}:\n${tail(paths.log)}`);
}

function tail(file: string, lines = 15): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

export async function down(name: string): Promise<void> {
  const paths = clusterPaths(name);
  const st = readState(paths);
  if (!st || !alive(st.pid)) {
    say(`knet: cluster "${name}" is not running`);
    return;
  }
  const before = await listNetns(`knet-${name}-`).catch(() => [] as string[]);
  process.kill(st.pid, 'SIGTERM');
  const deadline = Date.now() + 30_000;
  while (alive(st.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  if (alive(st.pid)) {
    process.kill(st.pid, 'SIGKILL');
    say(`knet: cluster "${name}" did not stop within 30 s; killed pid ${st.pid}`);
  } else {
    const after = new Set(await listNetns(`knet-${name}-`).catch(() => [] as string[]));
    const removed = before.filter((n) => !after.has(n));
    const pods = removed.filter((n) => n.startsWith(`knet-${name}-pod-`)).length;
    if (removed.length) say(`knet: removed ${removed.length} network namespaces (fabric, ${removed.length - pods - 1} nodes, ${pods} pods) and the processes in them`);
    say(`knet: stopped cluster "${name}" (pid ${st.pid}); its data stays in ${paths.dir} for the next knet up`);
  }
}

export async function status(): Promise<void> {
  const dir = clustersDir();
  const names = existsSync(dir) ? readdirSync(dir).sort() : [];
  if (!names.length) {
    process.stdout.write('no clusters (start one with: knet up)\n');
    return;
  }
  const rows = [['NAME', 'STATUS', 'API', 'NODES', 'PODS', 'SERVICES', 'KUBECONFIG']];
  const published: [string, string[]][] = [];
  for (const name of names) {
    const paths = clusterPaths(name);
    const st = readState(paths);
    const up = st ? await running(paths) : undefined;
    const counts = up ? await clusterCounts(paths, up.port).catch(() => undefined) : undefined;
    if (counts?.published.length) published.push([name, counts.published]);
    rows.push([
      name, up ? `running (pid ${up.pid})` : 'stopped', st ? `https://127.0.0.1:${st.port}` : '-',
      counts ? `${counts.readyNodes}/${counts.nodes} Ready` : '-', counts ? `${counts.runningPods}/${counts.pods} Running` : '-',
      counts ? String(counts.services) : '-', paths.kubeconfig,
    ]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows) process.stdout.write(r.map((c, i) => c.padEnd(widths[i])).join('   ').trimEnd() + '\n');
  for (const [name, p] of published) for (const line of p) process.stdout.write(`${name}: published ${line}\n`);
}

/** Nodes, pods and Services of a running cluster, read through its API. */
async function clusterCounts(paths: ClusterPaths, port: number): Promise<{ nodes: number; readyNodes: number; pods: number; runningPods: number; services: number; published: string[] }> {
  const client = new KubeClient({ server: `https://127.0.0.1:${port}`, token: readFileSync(paths.token, 'utf8').trim(), caCert: readFileSync(`${paths.pki}/ca.crt`, 'utf8') });
  try {
    const [nodes, pods, services] = await Promise.all([client.list(resource('nodes'), undefined), client.list(resource('pods'), undefined), client.list(resource('services'), undefined)]);
    return {
      nodes: nodes.items.length,
      readyNodes: nodes.items.filter((n) => n.status?.conditions?.some((c: any) => c.type === 'Ready' && c.status === 'True')).length,
      pods: pods.items.length,
      runningPods: pods.items.filter((p) => p.status?.phase === 'Running').length,
      services: services.items.length,
      published: services.items.filter((s) => s.metadata.annotations?.['knet.dev/published'])
        .map((s) => `${s.metadata.namespace}/${s.metadata.name} -> ${s.metadata.annotations['knet.dev/published']}`),
    };
  } finally {
    client.close();
  }
}

export function kubeconfig(name: string): void {
  const paths = clusterPaths(name);
  if (!existsSync(paths.kubeconfig)) throw new KnetError('no-cluster', `cluster "${name}" has no kubeconfig yet: start it with knet up --name ${name}`);
  process.stdout.write(paths.kubeconfig + '\n');
}
