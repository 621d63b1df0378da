// startClusterDns against knet's real API server in this process, queried with the real dig.
// Run inside a throwaway network namespace (see the repository preamble).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCluster } from '../../../test/support/harness.ts';
import type { TestCluster } from '../../../test/support/harness.ts';
import { until } from '../../../test/support/until.ts';
import { KubeClient } from '../../k8s/client.ts';
import { startClusterDns } from './cluster-dns.ts';
import type { ClusterDns } from './cluster-dns.ts';
import { dig } from './dig.test-support.ts';

const corefile = (ttl: number) => `.:53 {
    errors
    health {
       lameduck 100ms
    }
    ready
    kubernetes cluster.local in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl ${ttl}
    }
    prometheus :9153
    loadbalance
}
`;

let cluster: TestCluster;
let client: KubeClient;
let dns: ClusterDns;
const logs: string[] = [];

async function api(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<any> {
  const res = await cluster.request(method, path, body, headers);
  assert.ok(res.status < 300, `${method} ${path}: ${res.status} ${res.text}`);
  return res.body;
}

function httpGet(port: number, path: string): Promise<{ status: number; body: string }> {
  return fetch(`http://127.0.0.1:${port}${path}`).then(async (r) => ({ status: r.status, body: await r.text() }));
}

before(async () => {
  cluster = await startTestCluster();
  client = new KubeClient({ server: cluster.url, token: cluster.token, caCert: cluster.caCert });
  await api('POST', '/api/v1/namespaces', { metadata: { name: 'ns1' } });
  await api('POST', '/api/v1/namespaces/kube-system/configmaps', { metadata: { name: 'coredns' }, data: { Corefile: corefile(30) } });
  // A Service and its slice that exist before the server starts: served from the first list.
  await api('POST', '/api/v1/namespaces/ns1/services', {
    metadata: { name: 'db' }, spec: { clusterIP: 'None', selector: { app: 'db' }, ports: [{ name: 'pg', port: 5432 }] },
  });
  dns = await startClusterDns({
    client, corefile: { namespace: 'kube-system', name: 'coredns' }, host: '127.0.0.1', portOverride: 0,
    log: (msg, fields) => logs.push(`${msg} ${JSON.stringify(fields ?? {})}`),
  });
});

after(async () => {
  await dns?.close();
  client?.close();
  await cluster?.close();
});

test('a ClusterIP Service answers A and SRV within a second of its creation, authoritatively', async () => {
  const created = Date.now();
  const svc = await api('POST', '/api/v1/namespaces/ns1/services', {
    metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80 }, { port: 81, name: 'alt' }] },
  });
  const ip = svc.spec.clusterIP;
  const r = await until('web resolves', async () => {
    const d = await dig(dns.dnsPort, 'web.ns1.svc.cluster.local');
    return d.answers.length > 0 && d;
  }, 5_000, 20);
  assert.ok(Date.now() - created < 1_000, `resolved after ${Date.now() - created} ms`);
  assert.equal(r.status, 'NOERROR');
  assert.ok(r.flags.includes('aa'));
  assert.deepEqual(r.answers.map((a) => [a.type, a.data, a.ttl]), [['A', ip, 30]]);

  const srv = await dig(dns.dnsPort, '_http._tcp.web.ns1.svc.cluster.local', 'SRV', ['+tcp']);
  assert.deepEqual(srv.answers.map((a) => a.data.split(' ').slice(2)), [['80', 'web.ns1.svc.cluster.local.']]);
  assert.match(srv.raw, /ADDITIONAL SECTION:\nweb\.ns1\.svc\.cluster\.local\.\s+30\s+IN\s+A\s+/);
});

test('a headless Service answers its ready endpoints, per-endpoint names and N×M SRV', async () => {
  await api('POST', '/apis/discovery.k8s.io/v1/namespaces/ns1/endpointslices', {
    metadata: {
      name: 'db-abc', labels: { 'kubernetes.io/service-name': 'db' },
      annotations: { 'endpoints.kubernetes.io/last-change-trigger-time': new Date().toISOString() },
    },
    addressType: 'IPv4',
    endpoints: [
      { addresses: ['10.244.1.5'], hostname: 'db-0', conditions: { ready: true } },
      { addresses: ['10.244.1.6'], conditions: { ready: true } },
      { addresses: ['10.244.1.7'], conditions: { ready: false } },
    ],
    ports: [{ name: 'pg', port: 5432, protocol: 'TCP' }],
  });
  const a = await until('db has endpoints', async () => {
    const d = await dig(dns.dnsPort, 'db.ns1.svc.cluster.local');
    return d.answers.length === 2 && d;
  }, 5_000, 20);
  assert.deepEqual(a.answers.map((x) => x.data).sort(), ['10.244.1.5', '10.244.1.6']);
  const one = await dig(dns.dnsPort, 'db-0.db.ns1.svc.cluster.local');
  assert.deepEqual(one.answers.map((x) => x.data), ['10.244.1.5']);
  const srv = await dig(dns.dnsPort, '_pg._tcp.db.ns1.svc.cluster.local', 'SRV');
  assert.deepEqual(srv.answers.map((x) => x.data.split(' ').slice(2).join(' ')).sort(),
    ['5432 10-244-1-6.db.ns1.svc.cluster.local.', '5432 db-0.db.ns1.svc.cluster.local.']);
  const ptr = await dig(dns.dnsPort, '5.1.244.10.in-addr.arpa', 'PTR');
  assert.deepEqual(ptr.answers.map((x) => x.data), ['db-0.db.ns1.svc.cluster.local.']);
});

test('NXDOMAIN for names that do not exist, NODATA with the SOA for names without the type', async () => {
  const nx = await dig(dns.dnsPort, 'nothere.ns1.svc.cluster.local');
  assert.equal(nx.status, 'NXDOMAIN');
  assert.match(nx.authority.join('\n'), /SOA\s+ns\.dns\.cluster\.local\./);
  assert.equal((await dig(dns.dnsPort, 'web.nons.svc.cluster.local')).status, 'NXDOMAIN');
  const nodata = await until('web exists', async () => {
    const d = await dig(dns.dnsPort, 'web.ns1.svc.cluster.local', 'AAAA');
    return d.status === 'NOERROR' && d;
  }, 5_000, 20);
  assert.equal(nodata.answers.length, 0);
  assert.match(nodata.authority.join('\n'), /SOA/);
  const ns = await dig(dns.dnsPort, 'ns1.svc.cluster.local');
  assert.equal(ns.status, 'NOERROR'); // an empty non-terminal
});

test('a deleted Service is gone within a second', async () => {
  await api('POST', '/api/v1/namespaces/ns1/services', { metadata: { name: 'brief' }, spec: { ports: [{ port: 80 }] } });
  await until('brief resolves', async () => (await dig(dns.dnsPort, 'brief.ns1.svc.cluster.local')).answers.length > 0, 5_000, 20);
  const deleted = Date.now();
  await api('DELETE', '/api/v1/namespaces/ns1/services/brief');
  await until('brief is gone', async () => (await dig(dns.dnsPort, 'brief.ns1.svc.cluster.local')).status === 'NXDOMAIN', 5_000, 20);
  assert.ok(Date.now() - deleted < 1_000, `gone after ${Date.now() - deleted} ms`);
});

test('a name outside the cluster fails fast with SERVFAIL when nothing forwards', async () => {
  const r = await dig(dns.dnsPort, 'example.com');
  assert.equal(r.status, 'SERVFAIL');
  assert.ok(r.ms < 1_000, `took ${r.ms} ms`);
});

test('health, ready and metrics endpoints', async () => {
  assert.deepEqual(await httpGet(dns.healthPort!, '/health'), { status: 200, body: 'OK' });
  assert.deepEqual(await httpGet(dns.readyPort!, '/ready'), { status: 200, body: 'OK' });
  assert.equal((await httpGet(dns.healthPort!, '/nope')).status, 404);
  const m = await httpGet(dns.metricsPort!, '/metrics');
  assert.equal(m.status, 200);
  assert.match(m.body, /^coredns_dns_requests_total\{server="dns:\/\/:53",zone="\.",view="",proto="udp",family="1",type="A"\} \d+$/m);
  assert.match(m.body, /^coredns_dns_responses_total\{.*rcode="NXDOMAIN".*\} \d+$/m);
  // The slice written after start carried a trigger time; the ClusterIP Service was new.
  assert.match(m.body, /^coredns_kubernetes_dns_programming_duration_seconds_count\{service_kind="headless_with_selector"\} [1-9]/m);
  assert.match(m.body, /^coredns_kubernetes_dns_programming_duration_seconds_count\{service_kind="cluster_ip"\} [1-9]/m);
  assert.match(m.body, /^coredns_reload_failed_total 0$/m);
});

test('a changed ConfigMap is reloaded; a bad one is refused and the running configuration keeps answering', async () => {
  const patch = (text: string) => api('PATCH', '/api/v1/namespaces/kube-system/configmaps/coredns', { data: { Corefile: text } },
    { 'Content-Type': 'application/merge-patch+json' });
  await patch(corefile(7));
  await until('ttl 7 is served', async () => (await dig(dns.dnsPort, 'web.ns1.svc.cluster.local')).answers[0]?.ttl === 7, 5_000, 50);
  assert.equal(dns.reloads(), 1);

  await patch(corefile(7).replace('ttl 7', 'ttl 7\n       bogus_option'));
  await until('the bad Corefile is refused', async () => dns.reloadFailures() === 1, 5_000, 50);
  const refused = logs.find((l) => l.startsWith('Corefile changed but reload failed'));
  assert.match(refused ?? '', /Corefile:11: unknown option "bogus_option" in kubernetes/);
  const still = await dig(dns.dnsPort, 'web.ns1.svc.cluster.local');
  assert.equal(still.answers[0]?.ttl, 7);
  const m = await httpGet(dns.metricsPort!, '/metrics');
  assert.match(m.body, /^coredns_reload_failed_total 1$/m);
  assert.equal(dns.reloads(), 1);
});
