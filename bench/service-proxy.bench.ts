// Service proxy benchmark (issue 5) at 100, 1,000 and 10,000 ClusterIP Services with 3-10
// endpoints each (seeded pseudo-random counts). knet's real compiler and applier on the real
// kernel; Service and EndpointSlice objects are built in memory (and, for the API row, written
// to a real API server in this process).
// Each figure is printed beside a baseline measured in the same run; nothing passes or fails.
//   full sync    : render + whole apply of every Service's rules (compiled beforehand, as the
//                  proxier compiles each Service when its events arrive), vs bare `nft -f` of
//                  the same rendered script into a fresh namespace (the floor); the compile
//                  of every Service is printed apart, and the proxier's first sync through
//                  the API is timed against plain informers listing the same objects
//   one change   : one endpoint of one Service replaced (delete one, add one), compile +
//                  incremental apply, p50/p99 over 200 changes, vs bare `nft -f` of a
//                  hand-written 2-element script (delete + add in the group's dnat map)
//   API change   : an EndpointSlice written through the API until the proxier's applier has
//                  sent the new endpoint to the kernel, vs the same write seen by a plain watcher
//   kernel memory: growth of SUnreclaim + Percpu + VmallocUsed (/proc/meminfo) across the load,
//                  median of 3 loads, vs kube-proxy's layout (a chain per Service and per
//                  endpoint, anonymous `numgen random mod N vmap`; nftables-scale.md shape A),
//                  loaded at 100 and 1,000 Services only (~90 s at 10,000)
//   connect      : TCP connect time to random ClusterIPs through knet's nat-output DNAT, vs
//                  the same connects straight to endpoint addresses (no ruleset), and vs a
//                  linear iptables-style chain (one `ip daddr . dport -> dnat` rule per Service)
// Every namespace is `knet-bench-*`, created here and deleted at the end; traffic stays
// inside them (Service and pod ranges are `local` routes on their lo); every loop is bounded.

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { createNetns, deleteNetns, netnsPath, runInNetnsChecked } from '../src/host/index.ts';
import { NftApplier, renderTable, runNft } from '../src/nft/index.ts';
import type { ApplyResult, Table } from '../src/nft/index.ts';
import { compileProxyObjects, DEFAULT_PROXY_OPTIONS, ProxyRules, proxyNames } from '../src/proxy/index.ts';
import { startProxier } from '../src/proxy/proxier.ts';
import type { ElementChanges } from '../src/nft/index.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensurePki } from '../src/apiserver/certs.ts';
import { startApiServer } from '../src/apiserver/server.ts';
import { openBackend } from '../src/store/index.ts';
import { KubeClient, resource } from '../src/k8s/client.ts';
import { Informer } from '../src/k8s/informer.ts';
import { seededRandom as mulberry32 } from '../src/lib/seeded-random.ts';

const COUNTS = (process.env.BENCH_SERVICE_COUNTS ?? '100,1000,10000').split(',').map(Number);
const SHAPE_A_MAX = 1000;
const API_CHANGES = 200;
const API_CONCURRENCY = 32;
const LINEAR_MAX = 10_000;
const CHANGES = 200;
const CONNECTS = 2000;
const ROUNDS = 5;
const WARMUP = 30;
const MEM_REPEATS = 3;
const NODE_NAME = 'node-0';
const TARGET_PORTS = [8080, 8081, 8082, 8083];
/** The connecting socket's source: inside the pod range, so neither ruleset masquerades it. */
const CLIENT_ADDR = '10.244.255.1';
const SEED = 0x5eed;
/** 'Flat': knet's added connect time grows by at most this much from the smallest count to the largest. */
const FLAT_MS = 0.02;

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const ms = (x: number) => (x < 10 ? `${x.toFixed(2)} ms` : `${x.toFixed(0)} ms`);
const mib = (kb: number) => `${(kb / 1024).toFixed(2)} MiB`;
const ratio = (a: number, b: number, what: string) => `${(a / b).toFixed(1)}x ${what}`;
const sleep = (t: number) => new Promise((r) => setTimeout(r, t));


// ------------------------------------------------------------------ synthetic cluster

const clusterIP = (i: number) => `10.96.${(i + 1) >> 8}.${(i + 1) & 255}`;
/** Pod addresses 10.244.0-249.1-253; past 63,250 they repeat (a pod may back several Services). */
const podIP = (k: number) => `10.244.${Math.floor(k / 253) % 250}.${1 + (k % 253)}`;

interface Cluster {
  services: any[];
  slices: any[];
  nodes: any[];
  nextPod: number;
}

function buildCluster(n: number, rand: () => number): Cluster {
  const services: any[] = [];
  const slices: any[] = [];
  let k = 0;
  for (let i = 0; i < n; i++) {
    const targetPort = TARGET_PORTS[i % TARGET_PORTS.length];
    services.push({ metadata: { namespace: 'default', name: `svc-${i}` },
      spec: { type: 'ClusterIP', clusterIP: clusterIP(i), clusterIPs: [clusterIP(i)], ports: [{ protocol: 'TCP', port: 80, targetPort }] } });
    const count = 3 + Math.floor(rand() * 8);
    slices.push({ metadata: { namespace: 'default', name: `svc-${i}-x`, labels: { 'kubernetes.io/service-name': `svc-${i}` } },
      addressType: 'IPv4', ports: [{ name: '', protocol: 'TCP', port: targetPort }],
      endpoints: Array.from({ length: count }, () => endpoint(k++)) });
  }
  const nodes = [0, 1, 2].map((j) => ({ metadata: { name: `node-${j}` }, status: { addresses: [{ type: 'InternalIP', address: `172.18.0.${j + 2}` }] } }));
  return { services, slices, nodes, nextPod: k };
}

function endpoint(k: number): any {
  return { addresses: [podIP(k)], nodeName: `node-${k % 3}`, conditions: { ready: true, serving: true, terminating: false } };
}

// As knet up runs it: pods on ptp links, so hairpin traffic is found by route.
const PROXY_OPTS = { ...DEFAULT_PROXY_OPTIONS, nodeName: NODE_NAME, nodeIPs: ['172.18.0.2'], hairpinMode: 'route' as const };

function compile(c: Cluster): Table {
  return compileProxyObjects(c.services, c.slices, c.nodes, PROXY_OPTS).table;
}

// ------------------------------------------------------------------ other rulesets

/** kube-proxy's nftables layout (nftables-scale.md shape A): a chain per Service and per endpoint. */
function shapeA(c: Cluster): string {
  const out = ['table ip kube-proxy-a {', '  chain mark-for-masquerade { meta mark set meta mark | 0x4000 ; }'];
  const elements: string[] = [];
  c.services.forEach((svc, i) => {
    const port = svc.spec.ports[0].targetPort;
    const eps: string[] = c.slices[i].endpoints.map((e: any) => e.addresses[0]);
    eps.forEach((ip, j) => out.push(`  chain sep-${i}-${j} { ip saddr ${ip} jump mark-for-masquerade ; meta l4proto tcp dnat to ${ip}:${port} ; }`));
    const vmap = eps.map((_, j) => `${j} : goto sep-${i}-${j}`).join(', ');
    out.push(`  chain svc-${i} { ip daddr ${svc.spec.clusterIP} tcp dport 80 ip saddr != 10.244.0.0/16 jump mark-for-masquerade ; numgen random mod ${eps.length} vmap { ${vmap} } ; }`);
    elements.push(`${svc.spec.clusterIP} . tcp . 80 : goto svc-${i}`);
  });
  out.push('  map service-ips { type ipv4_addr . inet_proto . inet_service : verdict ; }');
  out.push('  chain nat-output { type nat hook output priority -100 ; policy accept ; ip daddr . meta l4proto . th dport vmap @service-ips ; }');
  out.push('}');
  for (let i = 0; i < elements.length; i += 1000) {
    out.push(`add element ip kube-proxy-a service-ips { ${elements.slice(i, i + 1000).join(', ')} }`);
  }
  return out.join('\n') + '\n';
}

/** iptables-style: one rule per Service in one chain, walked in order by every new connection. */
function linearChain(c: Cluster): string {
  const rules = c.services.slice(0, LINEAR_MAX).map((svc, i) =>
    `    ip daddr ${svc.spec.clusterIP} tcp dport 80 dnat to ${c.slices[i].endpoints[0].addresses[0]}:${svc.spec.ports[0].targetPort}`);
  return ['table ip linear {', '  chain nat-output {', '    type nat hook output priority -100 ; policy accept ;', ...rules, '  }', '}', ''].join('\n');
}

// ------------------------------------------------------------------ namespaces, memory, connects

const created = new Set<string>();

async function freshNetns(name: string): Promise<string> {
  const ns = `knet-bench-${name}`;
  await deleteNetns(ns);
  await createNetns(ns);
  created.add(ns);
  await runInNetnsChecked(ns, ['ip', 'link', 'set', 'lo', 'up']);
  return ns;
}

async function dropNetns(ns: string): Promise<void> {
  await deleteNetns(ns);
  created.delete(ns);
}

/** Unreclaimable kernel memory, machine-wide (kB): nftables objects are slab, percpu and vmalloc. */
function kernelKb(): number {
  const m = new Map(readFileSync('/proc/meminfo', 'utf8').split('\n').map((l) => {
    const [k, v] = l.split(':');
    return [k, parseInt(v ?? '0', 10)] as [string, number];
  }));
  return (m.get('SUnreclaim') ?? 0) + (m.get('Percpu') ?? 0) + (m.get('VmallocUsed') ?? 0);
}

/** Median growth of kernel memory across loading `script` into a fresh namespace. */
async function kernelMemory(tag: string, script: string): Promise<number> {
  const deltas: number[] = [];
  for (let r = 0; r < MEM_REPEATS; r++) {
    const ns = await freshNetns(`mem-${tag}`);
    await sleep(200);
    const before = kernelKb();
    await runNft(ns, script);
    await sleep(200);
    deltas.push(kernelKb() - before);
    await dropNetns(ns);
    await sleep(300); // namespace teardown is deferred to a kernel work queue
  }
  return pct(deltas, 50);
}

/** Makes the Service and pod ranges local on lo, so connects to them stay in the namespace. */
async function localRanges(ns: string): Promise<void> {
  await runInNetnsChecked(ns, ['ip', 'route', 'add', 'local', '10.96.0.0/12', 'dev', 'lo']);
  await runInNetnsChecked(ns, ['ip', 'route', 'add', 'local', '10.244.0.0/16', 'dev', 'lo']);
}

interface ConnectResult { times: number[]; failed: number }

/** Runs this file as a worker inside `ns`: listeners on TARGET_PORTS, then sequential connects. */
function connects(ns: string, targets: [string, number][]): Promise<ConnectResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('nsenter', [`--net=${netnsPath(ns)}`, '--', process.execPath, '--disable-warning=ExperimentalWarning',
      fileURLToPath(import.meta.url), '--connect-worker'], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`connect worker in ${ns} exited ${code}`))));
    child.stdin.end(JSON.stringify({ targets }));
  });
}

async function connectWorker(): Promise<void> {
  let input = '';
  for await (const chunk of process.stdin) input += chunk;
  const { targets } = JSON.parse(input) as { targets: [string, number][] };
  const servers = await Promise.all(TARGET_PORTS.map((port) => new Promise<net.Server>((res, rej) => {
    const s = net.createServer((sock) => sock.destroy());
    s.once('error', rej);
    s.listen(port, '0.0.0.0', () => res(s));
  })));
  const times: number[] = [];
  let failed = 0;
  for (let i = 0; i < targets.length; i++) {
    const [host, port] = targets[i];
    const t0 = performance.now();
    const ok = await new Promise<boolean>((res) => {
      const s = net.connect({ host, port, localAddress: CLIENT_ADDR });
      s.setTimeout(2000, () => { s.destroy(); res(false); });
      s.once('connect', () => { s.destroy(); res(true); });
      s.once('error', () => res(false));
    });
    const dt = performance.now() - t0;
    if (i < WARMUP) continue;
    if (ok) times.push(dt); else failed++;
  }
  for (const s of servers) s.close();
  process.stdout.write(JSON.stringify({ times, failed }));
}

// ------------------------------------------------------------------ through the API

/**
 * The whole path of one change as a node's proxy sees it: an EndpointSlice written to a real
 * API server (in memory, on 127.0.0.1), the proxier's watch, its incremental compile and the
 * nft transaction in its own namespace; timed from the write until the applier has sent the
 * new endpoint to the kernel. Baseline: the same write until a plain watcher of
 * EndpointSlices sees it (no proxy can be faster than its own watch).
 */
/** Returns the p99 of API write -> rule in the kernel. */
async function apiChange(n: number, c: Cluster, rows: string[][], notes: string[]): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'knet-bench-proxy-'));
  const pki = await ensurePki(join(dir, 'pki'), ['127.0.0.1'], ['localhost']);
  const api = await startApiServer({ backend: openBackend('memory:'), pki, tokens: ['bench'], host: '127.0.0.1', port: 0, serviceCIDR: '10.96.0.0/12', nodePortRange: [30000, 32767] });
  const cfg = { server: `https://127.0.0.1:${api.port}`, token: 'bench', caCert: pki.caCert };
  const client = new KubeClient(cfg);
  const slicesR = resource('endpointslices.discovery.k8s.io');
  const pool = async <T>(items: T[], fn: (x: T) => Promise<unknown>) => {
    let i = 0;
    await Promise.all(Array.from({ length: API_CONCURRENCY }, async () => {
      while (i < items.length) await fn(items[i++]);
    }));
  };
  const t0 = performance.now();
  // ClusterIPs are allocated by the API server here (the bench's own addresses may clash with
  // its allocator's choices); the ruleset's shape is the same.
  await pool(c.services.map((svc, i) => [svc, c.slices[i]] as const), async ([svc, sl]) => {
    await client.create(resource('services'), 'default', { metadata: { name: svc.metadata.name }, spec: { ports: svc.spec.ports } });
    await client.create(slicesR, 'default', sl);
  });
  const loadMs = performance.now() - t0;

  const ns = await freshNetns(`api-${n}`);
  const nft = new NftApplier({ netns: ns, table: proxyNames.PROXY_TABLE, family: 'ip' });
  const applied = new Map<string, number>(); // endpoint address -> when it reached the kernel
  const applier = {
    async applyChanges(skeleton: Table, changes: ElementChanges, full: () => Table) {
      const r = await nft.applyChanges(skeleton, changes, full);
      const now = performance.now();
      for (const ch of changes.values()) for (const v of ch.add.values()) applied.set(v.slice(0, v.indexOf(' ')), now);
      return r;
    },
    remove: () => nft.remove(),
  };
  // Baseline for the first sync: plain informers listing the same Services and slices.
  const listAbort = new AbortController();
  let t1 = performance.now();
  const plain = [resource('services'), slicesR].map((r) => new Informer(client, r, { log: () => {} }));
  const plainRuns = plain.map((i) => i.run(listAbort.signal));
  await Promise.all(plain.map((i) => i.waitForSync()));
  const listMs = performance.now() - t1;
  listAbort.abort();
  await Promise.all(plainRuns);
  t1 = performance.now();
  const rules = new ProxyRules(PROXY_OPTS, applier);
  const proxier = startProxier({ client, nodeName: NODE_NAME, log: () => {}, rules });
  await proxier.synced;
  const firstSyncMs = performance.now() - t1;
  rows.push(['proxier start -> all rules in the kernel', ms(firstSyncMs), `${ms(listMs)} (informers synced)`, ratio(firstSyncMs, listMs, 'list')]);
  const watched = new Map<string, number>(); // endpoint address -> when the plain watcher saw it
  const watcher = new Informer(client, slicesR, { log: () => {} });
  watcher.onChange((e) => {
    const now = performance.now();
    for (const ep of e.obj.endpoints ?? []) if (!watched.has(ep.addresses[0])) watched.set(ep.addresses[0], now);
  });
  const abort = new AbortController();
  const watching = watcher.run(abort.signal);
  await proxier.synced;
  await watcher.waitForSync();
  const rand = mulberry32(SEED + n + 1);
  const live: number[] = [];
  const floor: number[] = [];
  for (let x = 0; x < API_CHANGES; x++) {
    const i = Math.floor(rand() * n);
    const current = await client.get(slicesR, 'default', c.slices[i].metadata.name);
    // An address no other endpoint has (pod addresses repeat past 63,250 endpoints), so both
    // watchers see it for the first time with this write.
    const addr = `10.251.${x >> 8}.${1 + (x & 255)}`;
    const fresh = { ...endpoint(c.nextPod++), addresses: [addr] };
    current.endpoints = [...current.endpoints.slice(1), fresh];
    const started = performance.now();
    await client.update(slicesR, 'default', current);
    const deadline = started + 10_000;
    while ((!applied.has(addr) || !watched.has(addr)) && performance.now() < deadline) await sleep(1);
    if (applied.has(addr)) live.push(applied.get(addr)! - started);
    if (watched.has(addr)) floor.push(watched.get(addr)! - started);
  }
  for (const p of [50, 99]) {
    rows.push([`API write -> rule in kernel p${p}`, ms(pct(live, p)), `${ms(pct(floor, p))} (watch seen)`, ratio(pct(live, p), pct(floor, p), 'watch')]);
  }
  notes.push(`through the API: ${n} Services and slices loaded in ${ms(loadMs)}; ${live.length}/${API_CHANGES} changes reached the kernel within 10 s`);
  abort.abort();
  await watching;
  await proxier.stop({ removeRules: true });
  client.close();
  await api.close();
  rmSync(dir, { recursive: true, force: true });
  await dropNetns(ns);
  return live.length === API_CHANGES ? pct(live, 99) : Infinity;
}

// ------------------------------------------------------------------ one Service count

interface Figures {
  n: number;
  fullSync: number;
  oneChangeP99: number;
  /** API write -> rule in the kernel, p99: the issue's definition of a change being live. */
  apiChangeP99: number;
  knetConnectP50: number;
  linearConnectP50: number;
  directConnectP50: number;
}

async function benchCount(n: number): Promise<Figures> {
  const rand = mulberry32(SEED + n);
  const c = buildCluster(n, rand);
  const rows: string[][] = [];
  const notes: string[] = [];

  // ---- full sync: what the proxier does first (compile everything, one full transaction)
  const ns = await freshNetns(`knet-${n}`);
  const applier = new NftApplier({ netns: ns, table: proxyNames.PROXY_TABLE, family: 'ip' });
  const rules = new ProxyRules(PROXY_OPTS, applier);
  let t0 = performance.now();
  rules.rebuild(c.services, c.slices);
  const compileMs = performance.now() - t0;
  t0 = performance.now();
  const first = (await rules.apply()) as ApplyResult;
  const applyMs = performance.now() - t0;
  const fullSync = applyMs;
  const table = rules.table();
  t0 = performance.now();
  const script = renderTable(table);
  const renderMs = performance.now() - t0;
  const floorNs = await freshNetns(`floor-${n}`);
  t0 = performance.now();
  await runNft(floorNs, script);
  const floorFull = performance.now() - t0;
  // Services are compiled as the proxier's informers deliver them (its change tracking), so a
  // sync is the render and the transaction: what a first sync, a failed one or drift costs.
  rows.push(['compile every Service (as events arrive)', ms(compileMs), '', '']);
  rows.push(['full sync (render + whole apply)', ms(applyMs), ms(floorFull), ratio(applyMs, floorFull, 'bare nft -f')]);
  rows.push(['  of which render (timed alone)', ms(renderMs), '', '']);
  rows.push(['  of which nft -f (applier)', ms(first.ms), '', '']);
  const elements = table.sets.reduce((a, s) => a + s.elements.length, 0) + table.maps.reduce((a, m) => a + m.elements.length, 0);
  notes.push(`knet table: ${table.chains.length} chains, ${table.chains.reduce((a, ch) => a + ch.rules.length, 0)} rules, ${table.sets.length + table.maps.length} sets/maps, ${elements} elements, script ${(Buffer.byteLength(script) / 1024).toFixed(0)} KiB`);

  // ---- one endpoint change, live: the Service recompiled alone, its element changes sent
  const changeMs: number[] = [];
  const changeCompileMs: number[] = [];
  const changeNftMs: number[] = [];
  const floorChangeMs: number[] = [];
  const modes = new Set<string>();
  for (let x = 0; x < CHANGES; x++) {
    const i = Math.floor(rand() * n);
    const old = c.slices[i];
    const drop = Math.floor(rand() * old.endpoints.length);
    c.slices[i] = { ...old, endpoints: [...old.endpoints.filter((_: any, j: number) => j !== drop), endpoint(c.nextPod++)] };
    t0 = performance.now();
    rules.update(`default/svc-${i}`, c.services[i], [c.slices[i]]);
    changeCompileMs.push(performance.now() - t0);
    const res = (await rules.apply()) as ApplyResult;
    changeMs.push(performance.now() - t0);
    changeNftMs.push(res.ms);
    modes.add(res.mode);

    // The floor: the same kind of change written by hand, one map element out, one in.
    const count = old.endpoints.length;
    const map = proxyNames.groupMapName(proxyNames.SERVICE_IPS, count);
    const slot = Math.floor(rand() * count);
    const key = `${clusterIP(i)} . tcp . 80 . ${slot}`;
    const value = `${podIP(c.nextPod++)} . ${TARGET_PORTS[i % TARGET_PORTS.length]}`;
    t0 = performance.now();
    await runNft(floorNs, `delete element ip ${proxyNames.PROXY_TABLE} ${map} { ${key} }\nadd element ip ${proxyNames.PROXY_TABLE} ${map} { ${key} : ${value} }\n`);
    floorChangeMs.push(performance.now() - t0);
  }
  if (modes.size !== 1 || !modes.has('incremental')) notes.push(`WARNING: change applies ran as ${[...modes].join(', ')}`);
  const drift = await rules.verify();
  if (!drift.inSync) notes.push(`WARNING: the kernel's table differs from the rules after the changes: ${drift.differences.slice(0, 3).join('; ')}`);
  for (const p of [50, 99]) {
    rows.push([`one endpoint change p${p} (compile + apply)`, ms(pct(changeMs, p)), ms(pct(floorChangeMs, p)), ratio(pct(changeMs, p), pct(floorChangeMs, p), 'bare 2-element nft -f')]);
  }
  rows.push(['  of which compile, p50', ms(pct(changeCompileMs, 50)), '', '']);
  rows.push(['  of which nft (applier), p50 / p99', `${ms(pct(changeNftMs, 50))} / ${ms(pct(changeNftMs, 99))}`, '', '']);
  await dropNetns(floorNs);

  // ---- one endpoint change through the API: EndpointSlice write -> rule in the kernel
  const apiP99 = await apiChange(n, c, rows, notes);

  // ---- kernel memory
  const knetKb = await kernelMemory(`${n}`, renderTable(compile(c)));
  if (n <= SHAPE_A_MAX) {
    const aScript = shapeA(c);
    const aKb = await kernelMemory(`a-${n}`, aScript);
    rows.push(['kernel memory of the ruleset', mib(knetKb), `${mib(aKb)} (kube-proxy shape A)`, knetKb > 0 ? `${(knetKb / aKb).toFixed(2)}x shape A` : 'knet below resolution']);
  } else {
    rows.push(['kernel memory of the ruleset', mib(knetKb), 'shape A not loaded (~90 s)', '']);
  }

  // ---- first-packet connect latency
  // Three namespaces (knet's table, the linear chain, no ruleset), measured in interleaved
  // rounds so that drift in machine load falls on all three alike.
  await localRanges(ns);
  const linNs = await freshNetns(`linear-${n}`);
  await localRanges(linNs);
  t0 = performance.now();
  await runNft(linNs, linearChain(c));
  const linearLoad = performance.now() - t0;
  const directNs = await freshNetns(`direct-${n}`);
  await localRanges(directNs);
  const knet: ConnectResult = { times: [], failed: 0 };
  const linear: ConnectResult = { times: [], failed: 0 };
  const bare: ConnectResult = { times: [], failed: 0 };
  const add = (into: ConnectResult, r: ConnectResult) => {
    into.times.push(...r.times);
    into.failed += r.failed;
  };
  for (let round = 0; round < ROUNDS; round++) {
    const picks = Array.from({ length: CONNECTS / ROUNDS + WARMUP }, () => Math.floor(rand() * n));
    const viaService = picks.map((i): [string, number] => [clusterIP(i), 80]);
    const direct = picks.map((i): [string, number] => {
      const eps = c.slices[i].endpoints;
      return [eps[Math.floor(rand() * eps.length)].addresses[0], TARGET_PORTS[i % TARGET_PORTS.length]];
    });
    add(bare, await connects(directNs, direct));
    add(knet, await connects(ns, viaService));
    add(linear, await connects(linNs, viaService));
  }
  for (const p of [50, 99]) {
    rows.push([`connect p${p} via ClusterIP, knet`, ms(pct(knet.times, p)), `${ms(pct(bare.times, p))} (direct)`, ratio(pct(knet.times, p), pct(bare.times, p), 'direct')]);
    rows.push([`connect p${p} via ClusterIP, linear chain`, ms(pct(linear.times, p)), `${ms(pct(bare.times, p))} (direct)`, ratio(pct(linear.times, p), pct(bare.times, p), 'direct')]);
  }
  const failures = knet.failed + linear.failed + bare.failed;
  notes.push(`connects: ${CONNECTS} each in ${ROUNDS} interleaved rounds (${WARMUP} warm-up per round)${failures ? `, FAILED: knet ${knet.failed}, linear ${linear.failed}, direct ${bare.failed}` : ', none failed'}; linear chain of ${Math.min(n, LINEAR_MAX)} rules loaded in ${ms(linearLoad)}`);
  await dropNetns(linNs);
  await dropNetns(directNs);
  await applier.remove();
  await dropNetns(ns);

  console.log(`\nservice proxy at ${n} ClusterIP Services (3-10 endpoints each, ${c.slices.reduce((a, s) => a + s.endpoints.length, 0)} endpoints)`);
  const head = ['figure', 'knet', 'baseline', 'ratio'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  for (const r of [head, ...rows]) console.log(r.map((col, i) => col.padEnd(widths[i])).join('  ').trimEnd());
  for (const note of notes) console.log(`  ${note}`);
  return {
    n, fullSync, oneChangeP99: pct(changeMs, 99), apiChangeP99: apiP99, knetConnectP50: pct(knet.times, 50),
    linearConnectP50: pct(linear.times, 50), directConnectP50: pct(bare.times, 50),
  };
}

async function main(): Promise<void> {
  const figures: Figures[] = [];
  try {
    for (const n of COUNTS) figures.push(await benchCount(n));
  } finally {
    for (const ns of [...created]) await deleteNetns(ns);
  }
  const big = figures.reduce((a, f) => (f.n > a.n ? f : a));
  const small = figures.reduce((a, f) => (f.n < a.n ? f : a));
  const worstChange = Math.max(...figures.map((f) => Math.max(f.oneChangeP99, f.apiChangeP99)));
  // Per-packet cost: what DNAT adds over a direct connect, at the largest count vs the smallest.
  const added = (f: Figures, v: number) => Math.max(0, v - f.directConnectP50);
  const knetGrowth = added(big, big.knetConnectP50) - added(small, small.knetConnectP50);
  const linearGrowth = added(big, big.linearConnectP50) - added(small, small.linearConnectP50);
  const flat = knetGrowth <= FLAT_MS;
  const met = (ok: boolean) => (ok ? 'met' : 'NOT met');
  console.log(`\nissue 5 targets: full sync <= 1 s at ${big.n}: ${ms(big.fullSync)}, ${met(big.fullSync <= 1000)}; ` +
    `one change live <= 20 ms p99 (API write -> kernel, and compile + apply): worst ${ms(worstChange)}, ${met(worstChange <= 20)}; ` +
    `flat per-packet cost ${small.n} -> ${big.n} (connect p50 minus direct, growth <= ${FLAT_MS} ms): knet ${knetGrowth >= 0 ? '+' : ''}${knetGrowth.toFixed(3)} ms, ` +
    `linear chain ${linearGrowth >= 0 ? '+' : ''}${linearGrowth.toFixed(3)} ms, ${met(flat)}`);
}

if (process.argv.includes('--connect-worker')) await connectWorker();
else await main();
