import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { PacketTracer, tracePacket, type L4 } from '../nft/trace/index.ts';
import { renderTable } from '../nft/index.ts';
import type { Table } from '../nft/model.ts';
import { compileProxyRules, compileProxyRulesWithReport } from './compile.ts';
import { serviceView, sliceView, type ProxySnapshot } from './snapshot.ts';
import { NODE_OPTS, clusterSnapshot, slice, svc } from './test-cluster.ts';

const NODE_IP = '172.18.0.2';
// The node's address, and the pod gateway address the CNI puts on the node's side of its pod links.
const LOCAL = [NODE_IP, '10.244.1.1'];
/** numgen random mod N picks slot k when the random source returns k / 2^32. */
const slot = (k: number) => () => k / 2 ** 32;

interface Row {
  /** pod = a pod on this node (10.244.1.9), remote = a pod elsewhere, fabric = another machine, host = the node itself. */
  from: 'pod' | 'fabric' | 'host';
  src?: string;
  proto: L4;
  to: string;
  slot?: number;
  /** 'addr:port' reached, or the packet's fate. */
  expect: string | 'reject' | 'drop' | 'accept-no-dnat';
  masq?: boolean;
  rejectWith?: string;
}

const SOURCES = { pod: '10.244.1.9', fabric: '172.18.0.3', host: NODE_IP };

function run(table: Table, row: Row, tracer = new PacketTracer(table)) {
  const [dst, port] = row.to.split(':');
  return tracer.trace({
    src: row.src ?? SOURCES[row.from], dst, proto: row.proto, sport: 40000, dport: port ? Number(port) : undefined,
    hook: row.from === 'host' ? 'output' : undefined, iif: row.from === 'host' ? 'lo' : row.from === 'pod' ? 'pod' : 'eth0',
    localAddrs: LOCAL, random: slot(row.slot ?? 0), localPods: LOCAL_PODS,
  });
}

/** The pods of the fixture that run on this node (n1): each behind its own ptp link. */
const LOCAL_PODS = ['10.244.1.5', '10.244.1.12', '10.244.1.15', '10.244.1.16', '10.244.1.9'];

function check(table: Table, name: string, row: Row) {
  const r = run(table, row);
  const where = `${name}\n${r.path.join('\n')}`;
  if (row.expect === 'reject' || row.expect === 'drop') {
    assert.equal(r.verdict, row.expect, where);
    if (row.rejectWith) assert.equal(r.rejectWith, row.rejectWith, where);
    return;
  }
  assert.equal(r.verdict, 'accept', where);
  if (row.expect === 'accept-no-dnat') assert.equal(r.dnat, undefined, where);
  else assert.equal(r.dnat && `${r.dnat.addr}:${r.dnat.port}`, row.expect, where);
  assert.equal(r.masquerade, row.masq ?? false, where);
}

const table = compileProxyRules(clusterSnapshot(), NODE_OPTS);

// Each row: "from <source> <proto> to <dst:port> -> <outcome>". masq defaults to false.
const ROWS: Record<string, Row> = {
  // ClusterIP, spread over ready endpoints, numeric and named targetPorts, multiple ports
  'pod tcp to ClusterIP -> endpoint on this node (slot 0)': { from: 'pod', proto: 'tcp', to: '10.96.0.20:80', slot: 0, expect: '10.244.1.5:8080' },
  'pod tcp to ClusterIP -> endpoint on another node (slot 1)': { from: 'pod', proto: 'tcp', to: '10.96.0.20:80', slot: 1, expect: '10.244.2.7:8080' },
  'pod tcp to ClusterIP -> not-ready endpoint never chosen (slot 2 wraps)': { from: 'pod', proto: 'tcp', to: '10.96.0.20:80', slot: 2, expect: '10.244.1.5:8080' },
  'pod tcp to second Service port -> its own targetPort': { from: 'pod', proto: 'tcp', to: '10.96.0.20:9090', slot: 1, expect: '10.244.2.7:9100' },
  'pod udp to DNS ClusterIP -> UDP endpoint': { from: 'pod', proto: 'udp', to: '10.96.0.10:53', expect: '10.244.2.9:5353' },
  'pod tcp to DNS ClusterIP -> TCP endpoint': { from: 'pod', proto: 'tcp', to: '10.96.0.10:53', expect: '10.244.2.9:5353' },
  'pod sctp to ClusterIP -> endpoint': { from: 'pod', proto: 'sctp', to: '10.96.0.30:9999', expect: '10.244.2.10:9999' },
  'remote pod tcp to ClusterIP (routed here) -> not masqueraded': { from: 'fabric', src: '10.244.2.50', proto: 'tcp', to: '10.96.0.20:80', slot: 1, expect: '10.244.2.7:8080' },
  // masquerade
  'hairpin: pod to its own Service lands on itself -> masqueraded': { from: 'pod', src: '10.244.1.5', proto: 'tcp', to: '10.96.0.20:80', slot: 0, expect: '10.244.1.5:8080', masq: true },
  'hairpin pod reaching another endpoint -> not masqueraded': { from: 'pod', src: '10.244.1.5', proto: 'tcp', to: '10.96.0.20:80', slot: 1, expect: '10.244.2.7:8080' },
  'node itself to ClusterIP -> masqueraded': { from: 'host', proto: 'tcp', to: '10.96.0.20:80', slot: 1, expect: '10.244.2.7:8080', masq: true },
  'off-cluster source to ClusterIP -> masqueraded': { from: 'fabric', proto: 'tcp', to: '10.96.0.20:80', slot: 0, expect: '10.244.1.5:8080', masq: true },
  // rejects and drops
  'pod tcp to Service without endpoints -> TCP reset': { from: 'pod', proto: 'tcp', to: '10.96.0.40:80', expect: 'reject', rejectWith: 'tcp reset' },
  'pod udp to Service without endpoints -> ICMP port unreachable': { from: 'pod', proto: 'udp', to: '10.96.0.40:53', expect: 'reject', rejectWith: 'icmp port-unreachable' },
  'node itself to Service without endpoints -> rejected before DNAT': { from: 'host', proto: 'tcp', to: '10.96.0.40:80', expect: 'reject' },
  'pod tcp to a live ClusterIP on a port it lacks -> rejected': { from: 'pod', proto: 'tcp', to: '10.96.0.20:81', expect: 'reject', rejectWith: 'tcp reset' },
  'node itself to a live ClusterIP on a port it lacks -> rejected': { from: 'host', proto: 'tcp', to: '10.96.0.20:81', expect: 'reject' },
  'pod ping to a ClusterIP -> rejected': { from: 'pod', proto: 'icmp', to: '10.96.0.20', expect: 'reject' },
  'pod tcp to an unallocated Service address -> dropped': { from: 'pod', proto: 'tcp', to: '10.96.0.99:80', expect: 'drop' },
  'node itself to an unallocated Service address -> dropped': { from: 'host', proto: 'udp', to: '10.111.1.1:53', expect: 'drop' },
  'pod tcp outside the Service network -> untouched': { from: 'pod', proto: 'tcp', to: '10.244.2.7:8080', expect: 'accept-no-dnat' },
  // NodePort (externalTrafficPolicy Cluster)
  'fabric to NodePort on the node IP -> endpoint, masqueraded': { from: 'fabric', proto: 'tcp', to: `${NODE_IP}:30080`, expect: '10.244.2.11:8080', masq: true },
  'pod to NodePort on the node IP -> endpoint, masqueraded': { from: 'pod', proto: 'tcp', to: `${NODE_IP}:30080`, expect: '10.244.2.11:8080', masq: true },
  'node itself to its NodePort -> endpoint, masqueraded': { from: 'host', proto: 'tcp', to: `${NODE_IP}:30080`, expect: '10.244.2.11:8080', masq: true },
  'node itself to 127.0.0.1:NodePort -> not a NodePort (no localhost NodePorts)': { from: 'host', src: '127.0.0.1', proto: 'tcp', to: '127.0.0.1:30080', expect: 'accept-no-dnat' },
  'pod to its gateway address (local, not a node IP) on a NodePort -> not a NodePort': { from: 'pod', proto: 'tcp', to: '10.244.1.1:30080', expect: 'accept-no-dnat' },
  'fabric to NodePort on a foreign address -> untouched': { from: 'fabric', proto: 'tcp', to: '172.18.0.9:30080', expect: 'accept-no-dnat' },
  'fabric udp to a NodePort that is TCP only -> untouched': { from: 'fabric', proto: 'udp', to: `${NODE_IP}:30080`, expect: 'accept-no-dnat' },
  'fabric to NodePort of a Service without endpoints -> rejected': { from: 'fabric', proto: 'tcp', to: `${NODE_IP}:30083`, expect: 'reject' },
  // LoadBalancer and externalIPs
  'fabric to LB IP (eTP Cluster, no endpoints) -> rejected': { from: 'fabric', proto: 'tcp', to: '172.18.255.202:80', expect: 'reject' },
  'fabric to externalIP (eTP Cluster) -> endpoint, masqueraded': { from: 'fabric', proto: 'tcp', to: '192.168.50.1:80', expect: '10.244.2.14:8080', masq: true },
  'pod to externalIP (eTP Cluster) -> endpoint, masqueraded': { from: 'pod', proto: 'tcp', to: '192.168.50.1:80', expect: '10.244.2.14:8080', masq: true },
  // externalTrafficPolicy Local
  'fabric to LB IP (eTP Local) -> local endpoint only, client IP kept (slot 0)': { from: 'fabric', proto: 'tcp', to: '172.18.255.200:80', slot: 0, expect: '10.244.1.12:8080' },
  'fabric to LB IP (eTP Local) -> local endpoint only, client IP kept (slot 1)': { from: 'fabric', proto: 'tcp', to: '172.18.255.200:80', slot: 1, expect: '10.244.1.12:8080' },
  'fabric to NodePort (eTP Local) -> local endpoint only, client IP kept': { from: 'fabric', proto: 'tcp', to: `${NODE_IP}:30081`, slot: 1, expect: '10.244.1.12:8080' },
  'pod to LB IP (eTP Local) -> cluster endpoints, not masqueraded': { from: 'pod', proto: 'tcp', to: '172.18.255.200:80', slot: 1, expect: '10.244.2.12:8080' },
  'pod to NodePort (eTP Local) -> cluster endpoints, not masqueraded': { from: 'pod', proto: 'tcp', to: `${NODE_IP}:30081`, slot: 1, expect: '10.244.2.12:8080' },
  'node itself to LB IP (eTP Local) -> cluster endpoints, masqueraded': { from: 'host', proto: 'tcp', to: '172.18.255.200:80', slot: 1, expect: '10.244.2.12:8080', masq: true },
  'node itself to NodePort (eTP Local) -> cluster endpoints, masqueraded': { from: 'host', proto: 'tcp', to: `${NODE_IP}:30081`, slot: 1, expect: '10.244.2.12:8080', masq: true },
  'ClusterIP of an eTP Local Service -> all endpoints': { from: 'pod', proto: 'tcp', to: '10.96.0.60:80', slot: 1, expect: '10.244.2.12:8080' },
  'fabric to LB IP (eTP Local, no local endpoint) -> dropped': { from: 'fabric', proto: 'tcp', to: '172.18.255.201:80', expect: 'drop' },
  'fabric to NodePort (eTP Local, no local endpoint) -> dropped': { from: 'fabric', proto: 'tcp', to: `${NODE_IP}:30082`, expect: 'drop' },
  'pod to LB IP (eTP Local, no local endpoint) -> cluster endpoint': { from: 'pod', proto: 'tcp', to: '172.18.255.201:80', expect: '10.244.2.13:8080' },
  'node itself to LB IP (eTP Local, no local endpoint) -> dropped (as kube-proxy)': { from: 'host', proto: 'tcp', to: '172.18.255.201:80', expect: 'drop' },
  // internalTrafficPolicy Local
  'pod to ClusterIP (iTP Local) -> local endpoint only (slot 1)': { from: 'pod', proto: 'tcp', to: '10.96.0.90:80', slot: 1, expect: '10.244.1.16:8080' },
  'pod to ClusterIP (iTP Local, no local endpoint) -> dropped': { from: 'pod', proto: 'tcp', to: '10.96.0.91:80', expect: 'drop' },
  // terminating endpoints
  'no ready endpoint -> serving+terminating one used': { from: 'pod', proto: 'tcp', to: '10.96.0.100:80', slot: 1, expect: '10.244.2.18:8080' },
  'a ready endpoint exists -> terminating one unused': { from: 'pod', proto: 'tcp', to: '10.96.0.101:80', slot: 1, expect: '10.244.2.20:8080' },
  // Services without selector
  'user-written slice (no nodeName) -> its endpoint': { from: 'pod', proto: 'tcp', to: '10.96.0.110:80', expect: '10.1.2.3:80' },
  // loadBalancerSourceRanges (LoadBalancer addresses only; node IP 172.18.0.2 outside lb-fw's ranges)
  'source ranges: admitted source to LB IP -> endpoint, masqueraded': { from: 'fabric', src: '192.168.7.5', proto: 'tcp', to: '172.18.255.210:80', expect: '10.244.2.40:8080', masq: true },
  'source ranges: source outside them to LB IP -> dropped': { from: 'fabric', proto: 'tcp', to: '172.18.255.210:80', expect: 'drop' },
  'source ranges: pod to LB IP -> dropped (pods are filtered too)': { from: 'pod', proto: 'tcp', to: '172.18.255.210:80', expect: 'drop' },
  'source ranges: node itself (outside them) to LB IP -> dropped': { from: 'host', proto: 'tcp', to: '172.18.255.210:80', expect: 'drop' },
  'source ranges: NodePort of the same Service -> unaffected': { from: 'fabric', proto: 'tcp', to: `${NODE_IP}:30084`, expect: '10.244.2.40:8080', masq: true },
  'source ranges: ClusterIP of the same Service -> unaffected': { from: 'pod', proto: 'tcp', to: '10.96.0.130:80', expect: '10.244.2.40:8080' },
  'source ranges: LB IP on another port -> untouched, not dropped': { from: 'fabric', proto: 'tcp', to: '172.18.255.210:81', expect: 'accept-no-dnat' },
  'source ranges holding the node IP: node itself to LB IP -> endpoint': { from: 'host', proto: 'tcp', to: '172.18.255.211:80', expect: '10.244.2.41:8080', masq: true },
  'source ranges holding the node IP: the LB IP as source -> admitted': { from: 'fabric', src: '172.18.255.211', proto: 'tcp', to: '172.18.255.211:80', expect: '10.244.2.41:8080', masq: true },
  'source ranges holding the node IP: source outside them -> dropped': { from: 'fabric', src: '172.18.1.5', proto: 'tcp', to: '172.18.255.211:80', expect: 'drop' },
  'source ranges with 0.0.0.0/0 -> anyone': { from: 'fabric', src: '8.8.8.8', proto: 'tcp', to: '172.18.255.212:80', expect: '10.244.2.42:8080', masq: true },
  'source ranges, no endpoints: admitted source -> rejected': { from: 'fabric', src: '192.168.7.5', proto: 'tcp', to: '172.18.255.213:80', expect: 'reject', rejectWith: 'tcp reset' },
  'source ranges, no endpoints: source outside them -> dropped': { from: 'fabric', proto: 'tcp', to: '172.18.255.213:80', expect: 'drop' },
  'LB Service without source ranges -> any source reaches it': { from: 'fabric', src: '8.8.8.8', proto: 'tcp', to: '172.18.255.200:80', expect: '10.244.1.12:8080' },
  // invalid and conflicting Services
  'Service with no ports -> its ClusterIP is unallocated for the proxy': { from: 'pod', proto: 'tcp', to: '10.96.0.120:80', expect: 'drop' },
  'externalIP claimed twice -> the first Service keeps it': { from: 'pod', proto: 'tcp', to: '192.168.50.1:80', expect: '10.244.2.14:8080', masq: true },
  'the conflicting Service still serves its ClusterIP': { from: 'pod', proto: 'tcp', to: '10.96.0.122:80', expect: '10.244.2.31:8080' },
};

for (const [name, row] of Object.entries(ROWS)) test(name, () => check(table, name, row));

test('hairpinMode route: every row of the table has the same outcome, with no hairpin elements', () => {
  const routed = compileProxyRules(clusterSnapshot(), { ...NODE_OPTS, hairpinMode: 'route' });
  assert.deepEqual(routed.sets.find((x) => x.name === 'hairpin-endpoints')?.elements, []);
  assert.ok(table.sets.find((x) => x.name === 'hairpin-endpoints')!.elements.length > 0);
  for (const [name, row] of Object.entries(ROWS)) check(routed, `route mode: ${name}`, row);
  assert.throws(() => compileProxyRules(clusterSnapshot(), { ...NODE_OPTS, hairpinMode: 'bridge' as any }), /hairpinMode/);
});

test('sessionAffinity ClientIP: a client sticks to its first endpoint; another client is spread', () => {
  const tracer = new PacketTracer(table);
  const first = run(table, { from: 'pod', proto: 'tcp', to: '10.96.0.80:80', slot: 1, expect: '' }, tracer);
  assert.equal(first.dnat?.addr, '10.244.2.15');
  for (const k of [0, 1, 0]) {
    const again = run(table, { from: 'pod', proto: 'tcp', to: '10.96.0.80:80', slot: k, expect: '' }, tracer);
    assert.equal(again.dnat?.addr, '10.244.2.15');
  }
  const other = run(table, { from: 'pod', src: '10.244.1.77', proto: 'tcp', to: '10.96.0.80:80', slot: 0, expect: '' }, tracer);
  assert.equal(other.dnat?.addr, '10.244.1.15');
  const aff = table.sets.find((s) => s.name.startsWith('affinity-cluster-default/aff/tcp/80__'));
  assert.equal(aff?.timeout, '60s');
});

test('headless and ExternalName Services and invalid Services leave no trace; problems are reported', () => {
  const { table: t, problems } = compileProxyRulesWithReport(clusterSnapshot(), NODE_OPTS);
  const dump = JSON.stringify(t);
  assert.ok(!dump.includes('10.244.2.30'), 'headless endpoint programmed');
  assert.ok(!dump.includes('10.96.0.120') && !dump.includes('10.96.0.121'));
  assert.deepEqual(problems.map((p) => `${p.name}: ${p.message}`), [
    'broken: the Service has no ports',
    'broken2: port 1: protocol "ICMP" is not TCP, UDP or SCTP',
    'zz-conflict: address 192.168.50.1 . tcp . 80 is already used by Service default/ext',
  ]);
});

test('source ranges: elements per LoadBalancer key; nested ranges collapsed; IPv6 and /0 handled; bad entries reported', () => {
  const set = (name: string) => table.sets.find((x) => x.name === name)?.elements;
  assert.deepEqual(set('firewall-ips'), ['172.18.255.210 . tcp . 80', '172.18.255.211 . tcp . 80', '172.18.255.213 . tcp . 80']);
  assert.deepEqual(set('firewall-allow'), [
    '172.18.255.210 . tcp . 80 . 192.168.7.0/24',
    // 172.18.0.3/32 lies inside 172.18.0.0/24 (the kernel refuses it); the range holds the node IP, so the VIP is admitted.
    '172.18.255.211 . tcp . 80 . 172.18.0.0/24', '172.18.255.211 . tcp . 80 . 172.18.255.211',
    '172.18.255.213 . tcp . 80 . 192.168.7.0/24',
  ]);
  const bad: ProxySnapshot = { services: [serviceView(svc('bad-range', {
    type: 'LoadBalancer', clusterIP: '10.96.0.140', loadBalancerSourceRanges: ['10.0.0.0/33', '10.1.0.0/16'], ports: [{ protocol: 'TCP', port: 80 }],
  }, ['172.18.255.220']))], slices: [] };
  const r = compileProxyRulesWithReport(bad, NODE_OPTS);
  assert.deepEqual(r.problems.map((p) => p.message), ['loadBalancerSourceRanges entry "10.0.0.0/33" is not a CIDR; ignored']);
  assert.deepEqual(r.table.sets.find((x) => x.name === 'firewall-allow')?.elements, ['172.18.255.220 . tcp . 80 . 10.1.0.0/16']);
});

test('output is deterministic whatever the input order', () => {
  const snap = clusterSnapshot();
  const shuffled: ProxySnapshot = { services: [...snap.services].reverse(), slices: [...snap.slices].reverse() };
  assert.equal(renderTable(compileProxyRules(shuffled, NODE_OPTS)), renderTable(table));
});

test('bad options are refused before any rule is built', () => {
  assert.throws(() => compileProxyRules(clusterSnapshot(), { ...NODE_OPTS, masqueradeMark: '0x4001' }), /one bit/);
  assert.throws(() => compileProxyRules(clusterSnapshot(), { ...NODE_OPTS, serviceCIDR: '10.96.0.0/33' }), /CIDR/);
});

// ---- canonical dump ------------------------------------------------------------------------

test('canonical ruleset dump of a small cluster', () => {
  const small: ProxySnapshot = {
    services: [
      svc('web', { type: 'NodePort', clusterIP: '10.96.0.20', ports: [{ name: 'http', protocol: 'TCP', port: 80, nodePort: 30080 }] }),
      svc('dns', { clusterIP: '10.96.0.10', ports: [{ name: 'dns', protocol: 'UDP', port: 53 }] }),
    ].map(serviceView),
    slices: [
      slice('web', [['http', 'TCP', 8080]], [['10.244.1.5', 'n1'], ['10.244.2.7', 'n2']]),
    ].map(sliceView),
  };
  const text = renderTable(compileProxyRules(small, NODE_OPTS));
  const file = new URL('./testdata/small-ruleset.nft', import.meta.url);
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, text);
  assert.equal(text, readFileSync(file, 'utf8'), 'ruleset changed: review, then UPDATE_GOLDEN=1 to accept');
});

// ---- scale ---------------------------------------------------------------------------------

function bigSnapshot(count: number): ProxySnapshot {
  const services = [], slices = [];
  for (let i = 0; i < count; i++) {
    const ip = `10.${96 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`;
    const n = 3 + (i % 8);
    services.push(serviceView(svc(`s${i}`, { clusterIP: ip, ports: [{ protocol: 'TCP', port: 80 }] })));
    const eps: [string, string][] = [];
    for (let e = 0; e < n; e++) eps.push([`10.${244 + (e >> 2)}.${(i >> 6) & 255}.${((i & 63) << 2) + (e & 3)}`, e % 2 ? 'n2' : 'n1']);
    slices.push(sliceView(slice(`s${i}`, [['', 'TCP', 8080]], eps)));
  }
  return { services, slices };
}

const shape = (t: Table) => ({ chains: t.chains.length, rules: t.chains.reduce((a, c) => a + c.rules.length, 0), sets: t.sets.length, maps: t.maps.length });

test('scale: 10,000 Services x 3-10 endpoints -> chains and rules independent of the Service count', () => {
  const small = compileProxyRules(bigSnapshot(100), NODE_OPTS);
  const started = performance.now();
  const big = compileProxyRules(bigSnapshot(10_000), NODE_OPTS);
  const ms = performance.now() - started;
  console.log(`compile 10,000 Services: ${ms.toFixed(0)} ms; shape ${JSON.stringify(shape(big))}`);
  assert.deepEqual(shape(big), shape(small));
  const elements = big.maps.reduce((a, m) => a + m.elements.length, 0);
  assert.equal(elements, Array.from({ length: 10_000 }, (_, i) => 3 + (i % 8)).reduce((a, b) => a + b, 0));
  const r = tracePacket(big, { src: '10.244.1.9', dst: '10.96.39.15', proto: 'tcp', dport: 80, localAddrs: LOCAL, random: slot(2) });
  assert.ok(r.dnat && r.dnat.port === 8080, r.path.join('\n'));
});

test('compileProxyObjects takes whole API objects and gives the same table', async () => {
  const { compileProxyObjects } = await import('./compile.ts');
  const { clusterObjects } = await import('./test-cluster.ts');
  const { services, slices } = clusterObjects();
  assert.equal(renderTable(compileProxyObjects(services, slices, [], NODE_OPTS).table), renderTable(table));
});

test('trafficDistribution: zone hints keep traffic in the node\'s zone, only when every ready endpoint is hinted', () => {
  const hinted = (zones: (string | undefined)[]) => {
    const s = slice('close', [['', 'TCP', 8080]], zones.map((_, i): [string, string] => [`10.244.2.${50 + i}`, 'n2']));
    s.endpoints.forEach((e: any, i: number) => { if (zones[i]) e.hints = { forZones: [{ name: zones[i] }] }; });
    return s;
  };
  const reached = (zones: (string | undefined)[], nodeZone?: string) => {
    const snap: ProxySnapshot = {
      services: [serviceView(svc('close', { clusterIP: '10.96.5.1', trafficDistribution: 'PreferClose', ports: [{ protocol: 'TCP', port: 80 }] }))],
      slices: [sliceView(hinted(zones))],
      nodes: [{ name: 'n1', internalIPs: [NODE_IP], labels: nodeZone ? { 'topology.kubernetes.io/zone': nodeZone } : {} }],
    };
    const t = compileProxyRules(snap, NODE_OPTS);
    const seen = new Set<string>();
    for (let k = 0; k < zones.length; k++) {
      const r = run(t, { from: 'pod', proto: 'tcp', to: '10.96.5.1:80', slot: k, expect: '' });
      if (r.dnat) seen.add(r.dnat.addr);
    }
    return [...seen].sort();
  };
  assert.deepEqual(reached(['z1', 'z2', 'z1'], 'z1'), ['10.244.2.50', '10.244.2.52'], 'only the endpoints hinted for z1');
  assert.deepEqual(reached(['z1', 'z2', 'z1'], 'z3'), ['10.244.2.50', '10.244.2.51', '10.244.2.52'], 'no endpoint for this zone: all of them');
  assert.deepEqual(reached(['z1', undefined, 'z1'], 'z1'), ['10.244.2.50', '10.244.2.51', '10.244.2.52'], 'an unhinted endpoint: hints ignored');
  assert.deepEqual(reached(['z1', 'z2', 'z1']), ['10.244.2.50', '10.244.2.51', '10.244.2.52'], 'a node without a zone: hints ignored');
});
