// Controller benchmark at 1,000 Services x 10 pods. Each figure is printed beside a baseline
// measured in the same run, and the ratio between them; nothing here passes or fails.
//   ready -> endpoint : from a pod's status turning Ready (PUT acknowledged) until a watcher of
//                       EndpointSlices sees that endpoint ready, p50/p99 over sampled pods, vs
//                       the API's own floor: the same status write until a watcher of pods
//                       sees it (no controller can be faster than its own informer)
//   full resync       : a restarted controller manager, from start until its informers have
//                       synced and every Service has been reconciled (no writes needed), vs
//                       listing the same pods, Services and slices over the API
// Traffic goes to 127.0.0.1 only; every loop is bounded in count.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensurePki } from '../src/apiserver/certs.ts';
import { startApiServer } from '../src/apiserver/server.ts';
import { openBackend } from '../src/store/index.ts';
import { KubeClient, resource } from '../src/k8s/client.ts';
import { DEFAULT_CONTROLLERS_CONFIG, startControllers } from '../src/controllers/index.ts';
import type { RunningControllers } from '../src/controllers/index.ts';

const SERVICES = Number(process.env.BENCH_SERVICES ?? 1000);
const PODS_PER_SERVICE = 10;
const SAMPLES = 200;
const CONCURRENCY = 32;

const servicesR = resource('services');
const podsR = resource('pods');
const slicesR = resource('endpointslices.discovery.k8s.io');
const rows: string[][] = [];
const ms = (x: number) => `${x.toFixed(1)} ms`;

async function pool<T>(items: T[], fn: (x: T) => Promise<unknown>): Promise<void> {
  let i = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (i < items.length) await fn(items[i++]);
  }));
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

const stamp = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');
function podStatus(pod: any, ip: string, ready: boolean): any {
  const cond = (type: string, status: boolean) => ({ type, status: status ? 'True' : 'False', lastTransitionTime: stamp() });
  return { ...pod, status: { ...pod.status, phase: 'Running', podIP: ip, podIPs: [{ ip }], conditions: [cond('Ready', ready), cond('ContainersReady', ready), cond('PodScheduled', true)] } };
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'knet-bench-ctl-'));
  const pki = await ensurePki(join(dir, 'pki'), ['127.0.0.1'], ['localhost']);
  const backend = openBackend('memory:');
  const api = await startApiServer({ backend, pki, tokens: ['bench'], host: '127.0.0.1', port: 0, serviceCIDR: '10.96.0.0/12', nodePortRange: [30000, 32767] });
  const cfg = { server: `https://127.0.0.1:${api.port}`, token: 'bench', caCert: pki.caCert };
  const client = new KubeClient(cfg);
  const start = () => startControllers({ api: cfg, config: DEFAULT_CONTROLLERS_CONFIG, log: () => {}, only: ['endpointslice', 'endpoints'] });
  const waitIdle = async (c: RunningControllers) => {
    await c.synced;
    while (!c.idle()) await new Promise((r) => setTimeout(r, 5));
  };

  // ---------------------------------------------------------------- setup
  let t0 = performance.now();
  let ctl = start();
  // Endpoints name their node; a pod on a node the API does not know is skipped (as upstream).
  await client.create(resource('nodes'), undefined, { metadata: { name: 'node-a' } });
  const svcs = Array.from({ length: SERVICES }, (_, i) => i);
  await pool(svcs, (i) => client.create(servicesR, 'default', { metadata: { name: `svc-${i}` }, spec: { selector: { app: `app-${i}` }, ports: [{ port: 80, targetPort: 8080 }] } }));
  const pods: { name: string; ip: string; obj?: any }[] = [];
  for (const i of svcs) for (let j = 0; j < PODS_PER_SERVICE; j++) {
    const n = i * PODS_PER_SERVICE + j;
    pods.push({ name: `pod-${i}-${j}`, ip: `10.244.${n >> 8}.${n & 255}` });
  }
  await pool(pods, async (p) => {
    const i = p.name.split('-')[1];
    const created = await client.create(podsR, 'default', { metadata: { name: p.name, labels: { app: `app-${i}` } }, spec: { nodeName: 'node-a', containers: [{ name: 'c', image: 'pause' }] } });
    p.obj = await client.update(podsR, 'default', podStatus(created, p.ip, false), { subresource: 'status' });
  });
  const createdS = (performance.now() - t0) / 1000;
  await waitIdle(ctl);
  const setupS = (performance.now() - t0) / 1000;

  // ---------------------------------------------------------------- ready -> endpoint
  const sample = Array.from({ length: SAMPLES }, (_, k) => pods[Math.floor((k * pods.length) / SAMPLES)]);
  const waiting = new Map<string, (t: number) => void>();
  const sliceWatch = client.watch(slicesR, undefined, { resourceVersion: '0' }, (e) => {
    for (const ep of e.object?.endpoints ?? []) {
      const w = ep.conditions?.ready && waiting.get(ep.targetRef?.name);
      if (w) w(performance.now());
    }
  });
  const podWatch = client.watch(podsR, undefined, { resourceVersion: '0' }, (e) => {
    const ready = e.object?.status?.conditions?.find((c: any) => c.type === 'Ready')?.status === 'True';
    const w = ready && waiting.get(`pod:${e.object.metadata.name}`);
    if (w) w(performance.now());
  });
  await new Promise((r) => setTimeout(r, 500)); // both watches past their initial events
  const toEndpoint: number[] = [];
  const toWatcher: number[] = [];
  for (const p of sample) {
    const seen = (key: string) => new Promise<number>((resolve) => waiting.set(key, (t) => {
      waiting.delete(key);
      resolve(t);
    }));
    const ep = seen(p.name);
    const raw = seen(`pod:${p.name}`);
    const start = performance.now();
    const fresh = await client.get(podsR, 'default', p.name);
    await client.update(podsR, 'default', podStatus(fresh, p.ip, true), { subresource: 'status' });
    toWatcher.push((await raw) - start);
    toEndpoint.push((await ep) - start);
  }
  sliceWatch.stop();
  podWatch.stop();
  rows.push(['ready -> endpoint p50', ms(pct(toEndpoint, 50)), ms(pct(toWatcher, 50)), `${(pct(toEndpoint, 50) / pct(toWatcher, 50)).toFixed(1)}x the floor`]);
  rows.push(['ready -> endpoint p99', ms(pct(toEndpoint, 99)), ms(pct(toWatcher, 99)), `${(pct(toEndpoint, 99) / pct(toWatcher, 99)).toFixed(1)}x the floor`]);

  // ---------------------------------------------------------------- full resync
  await ctl.stop();
  t0 = performance.now();
  ctl = start();
  await waitIdle(ctl);
  const resync = performance.now() - t0;
  t0 = performance.now();
  for (const r of [podsR, servicesR, slicesR, resource('endpoints')]) {
    let cont: string | undefined;
    do {
      const page = await client.list(r, undefined, { limit: 500, continue: cont });
      cont = page.metadata.continue || undefined;
    } while (cont);
  }
  const listAll = performance.now() - t0;
  rows.push(['full resync after restart', ms(resync), ms(listAll), `${(resync / listAll).toFixed(1)}x a plain list`]);
  await ctl.stop();

  console.log(`controllers at ${SERVICES} Services x ${PODS_PER_SERVICE} pods (created in ${createdS.toFixed(1)} s, converged at ${setupS.toFixed(1)} s; ${SAMPLES} samples)`);
  const head = ['figure', 'knet', 'baseline', 'ratio'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  for (const r of [head, ...rows]) console.log(r.map((c, i) => c.padEnd(widths[i])).join('  '));
  client.close();
  await api.close();
  await backend.close();
  rmSync(dir, { recursive: true, force: true });
}

await main();
