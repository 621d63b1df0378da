// Cluster DNS benchmark (issue 6) at 1,000 Services in 10 namespaces (a tenth of them headless,
// 3 ready endpoints each). knet's DNS server (startClusterDns with knet's default Corefile)
// runs in this process against knet's real API server, also in this process; its peer is Knot
// DNS (knotd, a child process) serving a `cluster.local` zone file with the same A records,
// SOA and NS. Both are driven by dnsperf over UDP in the same run; nothing passes or fails.
//   cluster names : A for <svc>.<ns>.svc.cluster.local (every Service, in file order)
//   NXDOMAIN      : A for nope-<i>.<ns>.svc.cluster.local
// For each set, two dnsperf runs per server:
//   saturated     : fixed clients and outstanding queries, no rate limit -> QPS, and p99
//                   latency under that load (mostly queueing: outstanding / QPS)
//   paced         : at a quarter of the slower server's saturated QPS -> p50/p99 service
//                   latency (on a small VM, p99 here shows scheduling noise on both sides)
// dnsperf 2.10 prints only average latency, so p99 comes from its -v output: one line per
// response with its latency, written to a file and read once every run is over (so this
// process, which hosts knet's server, makes no garbage while knet is measured).
// Knot gets one UDP worker: knet's server is one Node.js event loop, and this machine's other
// core runs dnsperf. Traffic goes to 127.0.0.1 only; every process is stopped by its PID.

import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { closeSync, createReadStream, mkdtempSync, openSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createSocket } from 'node:dgram';
import { Resolver } from 'node:dns/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ensurePki } from '../src/apiserver/certs.ts';
import { startApiServer } from '../src/apiserver/server.ts';
import { openBackend } from '../src/store/index.ts';
import { KubeClient, resource } from '../src/k8s/client.ts';
import { startClusterDns } from '../src/dns/index.ts';
import { knetCorefile } from '../src/cli/cluster-dns.ts';

const NAMESPACES = 10;
const PER_NAMESPACE = Number(process.env.BENCH_DNS_SERVICES ?? 1000) / NAMESPACES;
const HEADLESS_EVERY = 10;
const ENDPOINTS = 3;
const SECONDS = Number(process.env.BENCH_DNS_SECONDS ?? 10);
const PACED_SECONDS = Math.max(2, Math.round(SECONDS / 2));
const CLIENTS = 4;
const OUTSTANDING = 100;
const CONCURRENCY = 32;
const ZONE = 'cluster.local';
/** Where Debian's knot package puts it (scripts/bench.sh installs it when missing). */
const KNOTD = '/usr/sbin/knotd';

const servicesR = resource('services');
const slicesR = resource('endpointslices.discovery.k8s.io');
const sleep = (t: number) => new Promise((r) => setTimeout(r, t));
const endpointIP = (k: number) => `10.244.${k >> 8}.${k & 255}`;

async function pool<T>(items: T[], fn: (x: T) => Promise<unknown>): Promise<void> {
  let i = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (i < items.length) await fn(items[i++]);
  }));
}

/** A free loopback port: bound, read and released (knotd binds it a moment later). */
async function freePort(): Promise<number> {
  const s = createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  const port = s.address().port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

function resolverFor(port: number): Resolver {
  const r = new Resolver({ timeout: 500, tries: 1 });
  r.setServers([`127.0.0.1:${port}`]);
  return r;
}

async function lookup(port: number, name: string): Promise<string> {
  try {
    return (await resolverFor(port).resolve4(name)).sort().join(',');
  } catch (err) {
    return (err as { code?: string }).code ?? String(err);
  }
}

/** Polls until `name` resolves to `want` on `port`, for at most `ms`. */
async function waitAnswer(port: number, name: string, want: string, ms: number): Promise<void> {
  const deadline = performance.now() + ms;
  let got = '';
  while (performance.now() < deadline) {
    got = await lookup(port, name);
    if (got === want) return;
    await sleep(20);
  }
  throw new Error(`${name} on port ${port}: ${got}, want ${want}`);
}

/** Stops a child by its PID: SIGTERM, then SIGKILL if it has not exited within 5 s. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  process.kill(child.pid!, 'SIGTERM');
  const killer = setTimeout(() => process.kill(child.pid!, 'SIGKILL'), 5_000);
  await exited;
  clearTimeout(killer);
}

// ------------------------------------------------------------------ dnsperf

interface PerfRun {
  /** dnsperf's -v output: one line per response with its latency, then the statistics. */
  out: string;
  qps: number;
  lost: number;
  avg: number;
  rcodes: string;
}

let runs = 0;

/** One bounded dnsperf run; reads only its statistics (the tail of the output) at once. */
async function dnsperf(dir: string, port: number, queries: string, seconds: number, maxQps?: number): Promise<PerfRun> {
  const out = join(dir, `dnsperf-${runs++}.out`);
  const fd = openSync(out, 'w');
  const args = ['-s', '127.0.0.1', '-p', String(port), '-d', queries, '-l', String(seconds), '-c', String(CLIENTS),
    '-T', '1', '-q', String(OUTSTANDING), '-t', '2', '-v'];
  if (maxQps) args.push('-Q', String(Math.round(maxQps)));
  const child = spawn('dnsperf', args, { stdio: ['ignore', fd, 'pipe'] });
  closeSync(fd);
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const guard = setTimeout(() => process.kill(child.pid!, 'SIGKILL'), (seconds + 20) * 1000);
  const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
  clearTimeout(guard);
  if (code !== 0) throw new Error(`dnsperf exited ${code}: ${stderr}`);

  const size = statSync(out).size;
  const tail = Buffer.alloc(Math.min(size, 4096));
  const rfd = openSync(out, 'r');
  readSync(rfd, tail, 0, tail.length, size - tail.length);
  closeSync(rfd);
  const text = tail.toString();
  const field = (re: RegExp) => {
    const m = re.exec(text);
    if (!m) throw new Error(`dnsperf output lacks ${re}:\n${text}`);
    return m[1];
  };
  return {
    out,
    qps: Number(field(/Queries per second:\s+([\d.]+)/)),
    lost: Number(field(/Queries lost:\s+(\d+)/)),
    avg: Number(field(/Average Latency \(s\):\s+([\d.]+)/)) * 1000,
    rcodes: field(/Response codes:\s+(.*)/),
  };
}

/**
 * p50 and p99 of the per-response latencies (ms) in a run's -v output. Read after every run
 * has finished, so that this process (which hosts knet's server) makes no garbage while
 * knet is measured.
 */
async function percentiles(run: PerfRun): Promise<{ p50: number; p99: number }> {
  const lat: number[] = [];
  for await (const line of createInterface({ input: createReadStream(run.out) })) {
    // "> NOERROR name A 0.000123"; a query that timed out has no latency.
    if (!line.startsWith('> ')) continue;
    const t = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (Number.isFinite(t) && line.split(' ').length === 5) lat.push(t * 1000);
  }
  rmSync(run.out);
  const sorted = Float64Array.from(lat).sort();
  const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
  return { p50: pct(50), p99: pct(99) };
}

// ------------------------------------------------------------------ Knot DNS

function zoneFile(records: [string, string][]): string {
  const lines = [
    `$ORIGIN ${ZONE}.`, '$TTL 30',
    // knet's kubernetes plugin answers this SOA (CoreDNS's shape) and NS ns.dns.<zone>.
    `@ IN SOA ns.dns.${ZONE}. hostmaster.${ZONE}. 1 7200 1800 86400 30`,
    `@ IN NS ns.dns.${ZONE}.`,
    'ns.dns IN A 127.0.0.1',
  ];
  for (const [name, ip] of records) lines.push(`${name.slice(0, -(ZONE.length + 1))} IN A ${ip}`);
  return lines.join('\n') + '\n';
}

async function startKnot(dir: string, port: number, zone: string): Promise<ChildProcess> {
  writeFileSync(join(dir, 'cluster.local.zone'), zone);
  writeFileSync(join(dir, 'knot.conf'), [
    'server:', `    listen: 127.0.0.1@${port}`, `    rundir: ${dir}`,
    '    udp-workers: 1', '    tcp-workers: 1', '    background-workers: 1',
    'database:', `    storage: ${join(dir, 'db')}`,
    'log:', '  - target: stderr', '    any: warning',
    'zone:', `  - domain: ${ZONE}`, `    file: ${join(dir, 'cluster.local.zone')}`,
    '    journal-content: none', '    zonefile-sync: -1', '',
  ].join('\n'));
  const child = spawn(KNOTD, ['-c', join(dir, 'knot.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  child.once('exit', (c) => c && process.stderr.write(`knotd exited ${c}: ${stderr}\n`));
  return child;
}

// ------------------------------------------------------------------ main

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'knet-bench-dns-'));
  const pki = await ensurePki(join(dir, 'pki'), ['127.0.0.1'], ['localhost']);
  const backend = openBackend('memory:');
  const api = await startApiServer({ backend, pki, tokens: ['bench'], host: '127.0.0.1', port: 0, serviceCIDR: '10.96.0.0/12', nodePortRange: [30000, 32767] });
  const client = new KubeClient({ server: `https://127.0.0.1:${api.port}`, token: 'bench', caCert: pki.caCert });
  // knet's default Corefile, its lameduck shortened so that closing does not wait 5 s.
  const corefile = knetCorefile().replace('lameduck 5s', 'lameduck 100ms');
  const dns = await startClusterDns({
    client, corefile: { text: corefile }, host: '127.0.0.1', portOverride: 0,
    log: (msg, f) => f?.level === 'error' && process.stderr.write(`dns: ${msg} ${JSON.stringify(f)}\n`),
  });
  let knot: ChildProcess | undefined;
  try {
    // ---------------------------------------------------------------- setup
    const t0 = performance.now();
    const svcs: { ns: string; name: string; headless: boolean; k: number }[] = [];
    for (let n = 0; n < NAMESPACES; n++) {
      await client.create(resource('namespaces'), undefined, { metadata: { name: `ns-${n}` } });
      for (let i = 0; i < PER_NAMESPACE; i++) svcs.push({ ns: `ns-${n}`, name: `svc-${i}`, headless: i % HEADLESS_EVERY === 0, k: svcs.length });
    }
    const records: [string, string][] = [];
    await pool(svcs, async (s) => {
      const fqdn = `${s.name}.${s.ns}.svc.${ZONE}`;
      if (!s.headless) {
        const created = await client.create(servicesR, s.ns, { metadata: { name: s.name }, spec: { ports: [{ name: 'http', port: 80, targetPort: 8080 }] } });
        records.push([fqdn, created.spec.clusterIP]);
        return;
      }
      // Headless without a selector: its slice is ours (no controller runs here).
      await client.create(servicesR, s.ns, { metadata: { name: s.name }, spec: { clusterIP: 'None', ports: [{ name: 'http', port: 80, targetPort: 8080 }] } });
      const ips = Array.from({ length: ENDPOINTS }, (_, e) => endpointIP(s.k * ENDPOINTS + e));
      await client.create(slicesR, s.ns, {
        metadata: { name: `${s.name}-1`, labels: { 'kubernetes.io/service-name': s.name } }, addressType: 'IPv4',
        ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
        endpoints: ips.map((ip) => ({ addresses: [ip], conditions: { ready: true } })),
      });
      for (const ip of ips) {
        records.push([fqdn, ip]);
        records.push([`${ip.replaceAll('.', '-')}.${fqdn}`, ip]);
      }
    });
    const createdS = (performance.now() - t0) / 1000;
    const last = svcs[svcs.length - 1];
    const lastName = `${last.name}.${last.ns}.svc.${ZONE}`;
    const want = (name: string) => records.filter(([n]) => n === name).map(([, ip]) => ip).sort().join(',');
    await waitAnswer(dns.dnsPort, lastName, want(lastName), 10_000);
    const servedS = (performance.now() - t0) / 1000;

    const knotPort = await freePort();
    knot = await startKnot(dir, knotPort, zoneFile(records));
    await waitAnswer(knotPort, lastName, want(lastName), 10_000);

    // The two servers agree on a sample of both sets before anything is measured.
    const clusterNames = svcs.map((s) => `${s.name}.${s.ns}.svc.${ZONE}`);
    const nxNames = svcs.map((s, i) => `nope-${i}.${s.ns}.svc.${ZONE}`);
    for (let i = 0; i < svcs.length; i += 37) {
      for (const name of [clusterNames[i], nxNames[i]]) {
        const [a, b] = [await lookup(dns.dnsPort, name), await lookup(knotPort, name)];
        if (a !== b) throw new Error(`${name}: knet says ${a}, Knot says ${b}`);
      }
    }
    const qClusters = join(dir, 'cluster.queries');
    const qNx = join(dir, 'nxdomain.queries');
    writeFileSync(qClusters, clusterNames.map((n) => `${n} A\n`).join(''));
    writeFileSync(qNx, nxNames.map((n) => `${n} A\n`).join(''));

    // ---------------------------------------------------------------- runs
    const rows: string[][] = [];
    const notes: string[] = [];
    const ms = (x: number) => `${x.toFixed(3)} ms`;
    const qpsF = (x: number) => `${Math.round(x).toLocaleString('en-US')}`;
    const measured: { label: string; rate: number; k: PerfRun; p: PerfRun; kp: PerfRun; pp: PerfRun }[] = [];
    for (const [label, file] of [['cluster names', qClusters], ['NXDOMAIN', qNx]] as const) {
      const k = await dnsperf(dir, dns.dnsPort, file, SECONDS);
      const p = await dnsperf(dir, knotPort, file, SECONDS);
      const rate = Math.min(k.qps, p.qps) / 4;
      const kp = await dnsperf(dir, dns.dnsPort, file, PACED_SECONDS, rate);
      const pp = await dnsperf(dir, knotPort, file, PACED_SECONDS, rate);
      measured.push({ label, rate, k, p, kp, pp });
    }
    for (const { label, rate, k, p, kp, pp } of measured) {
      const [kl, pl, kpl, ppl] = [await percentiles(k), await percentiles(p), await percentiles(kp), await percentiles(pp)];
      rows.push([`${label}: QPS, saturated`, qpsF(k.qps), qpsF(p.qps), `${(k.qps / p.qps).toFixed(2)}x Knot`]);
      rows.push([`${label}: p99, saturated`, ms(kl.p99), ms(pl.p99), `${(kl.p99 / pl.p99).toFixed(1)}x Knot`]);
      rows.push([`${label}: p50 at ${qpsF(rate)} QPS`, ms(kpl.p50), ms(ppl.p50), `${(kpl.p50 / ppl.p50).toFixed(1)}x Knot`]);
      rows.push([`${label}: p99 at ${qpsF(rate)} QPS`, ms(kpl.p99), ms(ppl.p99), `${(kpl.p99 / ppl.p99).toFixed(1)}x Knot`]);
      for (const [who, r] of [['knet', k], ['Knot', p], ['knet paced', kp], ['Knot paced', pp]] as const) {
        notes.push(`  ${label}, ${who}: ${r.rcodes}; lost ${r.lost}; avg ${ms(r.avg)}`);
      }
    }

    console.log(`cluster DNS at ${svcs.length} Services in ${NAMESPACES} namespaces (${svcs.filter((s) => s.headless).length} headless x ${ENDPOINTS} endpoints; created in ${createdS.toFixed(1)} s, last one answered at ${servedS.toFixed(1)} s)`);
    console.log(`dnsperf over UDP, ${CLIENTS} clients, ${OUTSTANDING} outstanding, ${SECONDS} s saturated / ${PACED_SECONDS} s paced; peer: Knot DNS (knotd, 1 UDP worker)`);
    const head = ['figure', 'knet', 'baseline', 'ratio'];
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    for (const r of [head, ...rows]) console.log(r.map((c, i) => c.padEnd(widths[i])).join('  '));
    console.log('responses:');
    for (const n of notes) console.log(n);
  } finally {
    if (knot) await stop(knot);
    await dns.close();
    client.close();
    await api.close();
    await backend.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
