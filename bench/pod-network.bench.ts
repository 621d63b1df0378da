// Pod network benchmark. Each figure is printed beside a floor measured in the same run.
//   cluster up    : API server + controllers + a 3-node data plane until every node is Ready
//                   with its pod CIDR and routes, vs creating the same namespaces, veths,
//                   bridge and addresses by hand with `ip` (the bare steps)
//   pod start     : create -> Ready with an IP, p50/p99 over 100 busybox pods (10 at a time),
//                   vs the bare steps per pod: a namespace, a veth pair, addresses, routes
// Runs inside its own network namespace (scripts/bench.sh); nothing leaves the machine.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensurePki } from '../src/apiserver/certs.ts';
import { startApiServer } from '../src/apiserver/server.ts';
import { openBackend } from '../src/store/index.ts';
import { KubeClient, resource } from '../src/k8s/client.ts';
import { DEFAULT_CONTROLLERS_CONFIG, startControllers } from '../src/controllers/index.ts';
import { startDataPlane } from '../src/cli/data-plane.ts';

const PODS = 100;
const BATCH = 10;
const ip = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const rows: string[][] = [];
const ms = (x: number) => `${x.toFixed(0)} ms`;

function bareCluster(tag: string): number {
  const t0 = performance.now();
  ip('netns', 'add', `bb-${tag}-fabric`);
  ip('-n', `bb-${tag}-fabric`, 'link', 'add', 'br0', 'type', 'bridge');
  ip('-n', `bb-${tag}-fabric`, 'addr', 'add', '172.18.0.1/16', 'dev', 'br0');
  ip('-n', `bb-${tag}-fabric`, 'link', 'set', 'br0', 'up');
  for (let i = 0; i < 3; i++) {
    const ns = `bb-${tag}-n${i}`;
    ip('netns', 'add', ns);
    ip('-n', `bb-${tag}-fabric`, 'link', 'add', `n${i}`, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns);
    ip('-n', `bb-${tag}-fabric`, 'link', 'set', `n${i}`, 'master', 'br0', 'up');
    ip('-n', ns, 'addr', 'add', `172.18.0.${i + 2}/16`, 'dev', 'eth0');
    ip('-n', ns, 'link', 'set', 'eth0', 'up');
    ip('-n', ns, 'link', 'set', 'lo', 'up');
  }
  return performance.now() - t0;
}

function barePod(node: string, i: number): number {
  const t0 = performance.now();
  const ns = `bb-pod-${i}`;
  ip('netns', 'add', ns);
  ip('-n', node, 'link', 'add', `v${i}`, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns);
  ip('-n', ns, 'addr', 'add', `10.250.${i >> 8}.${(i & 255) || 1}/32`, 'dev', 'eth0');
  ip('-n', ns, 'link', 'set', 'eth0', 'up');
  ip('-n', ns, 'link', 'set', 'lo', 'up');
  ip('-n', node, 'link', 'set', `v${i}`, 'up');
  ip('-n', ns, 'route', 'add', '169.254.1.1', 'dev', 'eth0');
  ip('-n', ns, 'route', 'add', 'default', 'via', '169.254.1.1', 'dev', 'eth0');
  return performance.now() - t0;
}

function cleanBare(): void {
  for (const ns of execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' }).split('\n').map((l) => l.split(' ')[0])) {
    if (ns.startsWith('bb-')) ip('netns', 'del', ns);
  }
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'knet-bench-pods-'));
  try {
    // ------------------------------------------------------------------ cluster up
    const floorUp = bareCluster('up');
    const floorPods = Array.from({ length: PODS }, (_, i) => barePod('bb-up-n1', i + 1));
    cleanBare();

    const t0 = performance.now();
    const pki = await ensurePki(join(dir, 'pki'), ['127.0.0.1', '10.96.0.1', '172.18.0.2'], ['localhost']);
    const backend = openBackend('memory:');
    const api = await startApiServer({ backend, pki, tokens: ['bench'], host: '127.0.0.1', port: 0, serviceCIDR: '10.96.0.0/12', nodePortRange: [30000, 32767] });
    const cfg = { server: `https://127.0.0.1:${api.port}`, token: 'bench', caCert: pki.caCert };
    const ctl = startControllers({ api: cfg, config: DEFAULT_CONTROLLERS_CONFIG, log: () => {} });
    const dp = await startDataPlane({ cluster: 'bench', nodes: 3, backend: 'host-gw', api: cfg, dataDir: join(dir, 'data'), log: () => {} });
    await dp.ready;
    const upMs = performance.now() - t0;
    rows.push(['cluster up (3 nodes, Ready)', ms(upMs), ms(floorUp), `${(upMs / floorUp).toFixed(1)}x the bare steps`]);

    // ------------------------------------------------------------------ pod start
    const client = new KubeClient(cfg);
    const readyAt = new Map<string, number>();
    const watch = client.watch(resource('pods'), 'default', { resourceVersion: '0' }, (e) => {
      const p = e.object;
      const ready = p?.status?.conditions?.find((c: any) => c.type === 'Ready')?.status === 'True';
      if (ready && p.status.podIP && !readyAt.has(p.metadata.name)) readyAt.set(p.metadata.name, performance.now());
    });
    const createdAt = new Map<string, number>();
    for (let b = 0; b < PODS / BATCH; b++) {
      const names = Array.from({ length: BATCH }, (_, i) => `p-${b * BATCH + i}`);
      await Promise.all(names.map(async (name) => {
        createdAt.set(name, performance.now());
        await client.create(resource('pods'), 'default', { metadata: { name }, spec: { containers: [{ name: 'c', image: 'busybox', command: ['sleep', '3600'] }] } });
      }));
      const end = Date.now() + 60_000;
      while (names.some((n) => !readyAt.has(n)) && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
    }
    watch.stop();
    const lat = [...createdAt].filter(([n]) => readyAt.has(n)).map(([n, t]) => readyAt.get(n)! - t);
    rows.push(['pod start p50 (create -> Ready)', ms(pct(lat, 50)), ms(pct(floorPods, 50)), `${(pct(lat, 50) / pct(floorPods, 50)).toFixed(1)}x the bare steps`]);
    rows.push(['pod start p99', ms(pct(lat, 99)), ms(pct(floorPods, 99)), `${(pct(lat, 99) / pct(floorPods, 99)).toFixed(1)}x the bare steps`]);

    client.close();
    await dp.stop();
    await ctl.stop();
    await api.close();
    await backend.close();
    console.log(`pod network: ${lat.length}/${PODS} pods Ready, ${BATCH} created at a time`);
    const head = ['figure', 'knet', 'floor', 'ratio'];
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    for (const r of [head, ...rows]) console.log(r.map((c, i) => c.padEnd(widths[i])).join('  '));
  } finally {
    cleanBare();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
