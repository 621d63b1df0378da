// Start-up without an API server, rebinding on a port change, and lameduck on close.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startTestCluster } from '../../../test/support/harness.ts';
import type { TestCluster } from '../../../test/support/harness.ts';
import { until } from '../../../test/support/until.ts';
import { KubeClient } from '../../k8s/client.ts';
import { startClusterDns } from './cluster-dns.ts';
import { dig } from './dig.test-support.ts';
import { replyTo, startFakeUpstream } from '../plugins/forward-fake-upstream.ts';
import { RRClass, RRType } from '../wire/index.ts';

const quiet = () => {};

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

function get(port: number, path: string): Promise<{ status: number; body: string }> {
  return fetch(`http://127.0.0.1:${port}${path}`).then(async (r) => ({ status: r.status, body: await r.text() }));
}

function tcpRefused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.on('connect', () => { s.destroy(); resolve(false); });
    s.on('error', () => resolve(true));
  });
}

let cluster: TestCluster;
let client: KubeClient;

before(async () => {
  cluster = await startTestCluster();
  client = new KubeClient({ server: cluster.url, token: cluster.token, caCert: cluster.caCert });
});

after(async () => {
  client?.close();
  await cluster?.close();
});

test('before the first sync: not ready (503 naming kubernetes), cluster names SERVFAIL, start-up bounded by startup_timeout', async () => {
  // Nothing listens on port 1: the informers can never list.
  const unreachable = new KubeClient({ server: 'https://127.0.0.1:1', token: 't', caCert: cluster.caCert });
  const started = Date.now();
  const dns = await startClusterDns({
    client: unreachable, host: '127.0.0.1', portOverride: 0, log: quiet,
    corefile: { text: 'cluster.local:53 {\n  ready\n  kubernetes cluster.local {\n    startup_timeout 300ms\n  }\n}\n' },
  });
  try {
    assert.ok(Date.now() - started < 2_000);
    assert.deepEqual(await get(dns.readyPort!, '/ready'), { status: 503, body: 'kubernetes' });
    assert.equal(dns.healthPort, undefined);
    assert.equal((await dig(dns.dnsPort, 'web.default.svc.cluster.local')).status, 'SERVFAIL');
    // Outside every zone of the block: REFUSED.
    assert.equal((await dig(dns.dnsPort, 'example.com')).status, 'REFUSED');
  } finally {
    await dns.close();
    unreachable.close();
  }
});

test('a reload that changes ports rebinds; close keeps health and DNS up, ready down, for the lameduck time', async () => {
  const [p1, p2, h1, r1] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
  const text = (dnsPort: number) => `.:${dnsPort} {
  health 127.0.0.1:${h1} {
    lameduck 400ms
  }
  ready 127.0.0.1:${r1}
  kubernetes cluster.local
}
`;
  const cm = '/api/v1/namespaces/kube-system/configmaps';
  assert.equal((await cluster.request('POST', cm, { metadata: { name: 'dns-ports' }, data: { Corefile: text(p1) } })).status, 201);
  const dns = await startClusterDns({ client, host: '127.0.0.1', log: quiet, corefile: { namespace: 'kube-system', name: 'dns-ports' } });
  let closed: Promise<void> | undefined;
  try {
    assert.deepEqual([dns.dnsPort, dns.healthPort, dns.readyPort], [p1, h1, r1]);
    assert.equal((await dig(p1, 'kubernetes.default.svc.cluster.local')).answers[0]?.data, '10.96.0.1');

    await cluster.request('PATCH', `${cm}/dns-ports`, { data: { Corefile: text(p2) } }, { 'Content-Type': 'application/merge-patch+json' });
    await until('the server moved', async () => dns.dnsPort === p2, 5_000, 20);
    assert.equal((await dig(p2, 'kubernetes.default.svc.cluster.local')).answers[0]?.data, '10.96.0.1');
    assert.ok(await tcpRefused(p1), 'the old port is closed');
    assert.equal(dns.healthPort, h1); // unchanged listeners are kept

    const t0 = Date.now();
    closed = dns.close();
    assert.deepEqual(await get(r1, '/ready'), { status: 503, body: 'Shutting down' });
    assert.deepEqual(await get(h1, '/health'), { status: 200, body: 'OK' });
    assert.equal((await dig(p2, 'kubernetes.default.svc.cluster.local')).status, 'NOERROR');
    await closed;
    assert.ok(Date.now() - t0 >= 350, 'lameduck lasted');
    assert.ok(await tcpRefused(p2));
    assert.ok(await tcpRefused(h1));
  } finally {
    await (closed ?? dns.close());
  }
});

test('names outside the cluster are forwarded, and an ExternalName target is chased through the forwarder', async () => {
  const upstream = await startFakeUpstream('127.0.0.1', 0, (q) => {
    const name = q.questions[0].name;
    if (q.questions[0].type !== RRType.A || !/^(www\.)?example\.com$/i.test(name)) return replyTo(q, [], { rcode: 3 });
    return replyTo(q, [{ name, type: RRType.A, class: RRClass.IN, ttl: 60, data: { type: RRType.A, address: '192.0.2.7' } }]);
  });
  const cm = '/api/v1/namespaces/kube-system/configmaps';
  const ns = '/api/v1/namespaces/default/services';
  assert.equal((await cluster.request('POST', ns, { metadata: { name: 'ext' }, spec: { type: 'ExternalName', externalName: 'www.example.com' } })).status, 201);
  const text = `.:53 {\n  errors\n  kubernetes cluster.local\n  forward . 127.0.0.1:${upstream.port}\n  cache 30 {\n    disable success cluster.local\n    disable denial cluster.local\n  }\n}\n`;
  assert.equal((await cluster.request('POST', cm, { metadata: { name: 'dns-forward' }, data: { Corefile: text } })).status, 201);
  const dns = await startClusterDns({ client, host: '127.0.0.1', portOverride: 0, log: quiet, corefile: { namespace: 'kube-system', name: 'dns-forward' } });
  try {
    const out = await dig(dns.dnsPort, 'example.com');
    assert.equal(out.status, 'NOERROR');
    assert.deepEqual(out.answers.map((a) => a.data), ['192.0.2.7']);
    const ext = await dig(dns.dnsPort, 'ext.default.svc.cluster.local');
    assert.deepEqual(ext.answers.map((a) => [a.type, a.data]), [['CNAME', 'www.example.com.'], ['A', '192.0.2.7']]);
    assert.equal((await dig(dns.dnsPort, 'nothere.example.org')).status, 'NXDOMAIN');
  } finally {
    await dns.close();
    await upstream.close();
  }
});
