// Start-up edge cases against a scripted API (FakeKube): Corefile changes that arrive while
// the server starts, failed starts that must leave nothing running, a Corefile that never
// arrives, and the reload version metric.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { until } from '../../../test/support/until.ts';
import { startClusterDns } from './cluster-dns.ts';
import { FakeKube } from './fake-kube.test-support.ts';
import { dig } from './dig.test-support.ts';
import dgram from 'node:dgram';
import { encodeMessage } from '../wire/encode.ts';
import { newQuery } from '../wire/query.ts';

const quiet = () => {};
const source = { namespace: 'kube-system', name: 'coredns' };
const corefile = (ttl: number) => `.:53 {\n  kubernetes cluster.local {\n    ttl ${ttl}\n  }\n}\n`;
const hash = (text: string) => createHash('sha512').update(text).digest('hex');
const versionLines = (render: string) => render.split('\n').filter((l) => l.startsWith('coredns_reload_version_info{'));

test('a Corefile change that arrives during start-up is applied once the server runs (the latest one)', { timeout: 10_000 }, async () => {
  const kube = new FakeKube(corefile(1));
  kube.holdInformers(); // start-up now waits for the first sync
  const starting = startClusterDns({ client: kube.asClient(), corefile: source, host: '127.0.0.1', portOverride: 0, log: quiet });
  await until('the ConfigMap is watched', async () => kube.openWatches >= 1, 2_000, 5);
  kube.setCorefile(corefile(2));
  kube.setCorefile(corefile(3));
  kube.release();
  const dns = await starting;
  try {
    await until('the change is applied', async () => dns.reloads() === 1, 2_000, 10);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(dns.reloads(), 1, 'only the latest change is applied');
    assert.deepEqual(versionLines(dns.metrics.registry.render()), [`coredns_reload_version_info{hash="sha512",value="${hash(corefile(3))}"} 1`]);
  } finally {
    await dns.close();
  }
});

test('a reload replaces the coredns_reload_version_info series instead of adding one', { timeout: 10_000 }, async () => {
  const kube = new FakeKube(corefile(1));
  const dns = await startClusterDns({ client: kube.asClient(), corefile: source, host: '127.0.0.1', portOverride: 0, log: quiet });
  try {
    kube.setCorefile(corefile(2));
    await until('reloaded', async () => dns.reloads() === 1, 2_000, 10);
    kube.setCorefile(corefile(3));
    await until('reloaded again', async () => dns.reloads() === 2, 2_000, 10);
    assert.deepEqual(versionLines(dns.metrics.registry.render()), [`coredns_reload_version_info{hash="sha512",value="${hash(corefile(3))}"} 1`]);
  } finally {
    await dns.close();
  }
});

test('a start that fails after the informers began stops them and the ConfigMap watch', { timeout: 10_000 }, async () => {
  const kube = new FakeKube('.:53 {\n  kubernetes cluster.local\n  forward . 127.0.0.1\n}\n');
  await assert.rejects(startClusterDns({
    client: kube.asClient(), corefile: source, host: '127.0.0.1', portOverride: 0, log: quiet,
    forward: () => { throw new Error('no forwarder today'); },
  }), /no forwarder today/);
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(kube.openWatches, 0, 'no watch left open');
  const lists = [...kube.lists.values()].reduce((a, b) => a + b, 0);
  await new Promise((r) => setTimeout(r, 400));
  assert.equal([...kube.lists.values()].reduce((a, b) => a + b, 0), lists, 'nothing lists any more');
});

test('a Corefile that cannot be read ends start-up after the deadline, saying what it waited for', { timeout: 10_000 }, async () => {
  const kube = new FakeKube();
  kube.configMapError = new Error('connect ECONNREFUSED 10.96.0.1:443');
  const logs: string[] = [];
  const t0 = Date.now();
  await assert.rejects(startClusterDns({
    client: kube.asClient(), corefile: source, host: '127.0.0.1', portOverride: 0, corefileTimeoutMs: 300,
    log: (msg, fields) => logs.push(`${msg} ${JSON.stringify(fields ?? {})}`),
  }), /no Corefile from configmap\/kube-system\/coredns after 300 ms.*ECONNREFUSED/);
  assert.ok(Date.now() - t0 < 2_000);
  assert.ok(logs.some((l) => /waiting for the Corefile from configmap\/kube-system\/coredns/.test(l)), logs.join('\n'));
  const lists = kube.lists.get('configmaps') ?? 0;
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(kube.lists.get('configmaps') ?? 0, lists, 'the source stopped reading');
});

function sendUdp(port: number, packet: Uint8Array): Promise<void> {
  return new Promise((resolve) => {
    const sock = dgram.createSocket('udp4');
    const done = () => {
      sock.close();
      resolve();
    };
    const timer = setTimeout(done, 1_000);
    sock.on('message', () => {
      clearTimeout(timer);
      done();
    });
    sock.send(packet, port, '127.0.0.1');
  });
}

test('answers no plugin wrote are counted as CoreDNS counts them: zone "dropped"', { timeout: 10_000 }, async () => {
  const kube = new FakeKube('cluster.local:53 {\n  prometheus 127.0.0.1:9153\n  kubernetes cluster.local\n}\n');
  const dns = await startClusterDns({ client: kube.asClient(), corefile: source, host: '127.0.0.1', portOverride: 0, log: quiet });
  try {
    assert.equal((await dig(dns.dnsPort, 'example.com')).status, 'REFUSED');
    await sendUdp(dns.dnsPort, encodeMessage(newQuery('a.cluster.local', 1, { opcode: 2 })));
    await sendUdp(dns.dnsPort, encodeMessage(newQuery('a.cluster.local', 1, { questions: [] })));
    await sendUdp(dns.dnsPort, encodeMessage(newQuery('a.cluster.local', 1, { edns: { udpPayloadSize: 1232, extendedRcode: 0, version: 1, dnssecOk: false, options: [] } })));
    const m = dns.metrics.registry.render();
    const dropped = (rcode: string) => `coredns_dns_responses_total{server="dns://:53",zone="dropped",view="",rcode="${rcode}",plugin=""} 1`;
    for (const rcode of ['REFUSED', 'NOTIMP', 'FORMERR']) assert.ok(m.includes(dropped(rcode)), `${rcode} counted:\n${m}`);
    // Named as miekg/dns names rcode 16 (BADSIG and BADVERS share it).
    assert.ok(m.includes(dropped('BADSIG')), m);
    assert.match(m, /^coredns_dns_requests_total\{server="dns:\/\/:53",zone="dropped",view="",proto="udp",family="1",type="A"\} 2$/m);
    assert.match(m, /^coredns_dns_requests_total\{server="dns:\/\/:53",zone="dropped",view="",proto="udp",family="1",type="other"\} 2$/m);
  } finally {
    await dns.close();
  }
});
