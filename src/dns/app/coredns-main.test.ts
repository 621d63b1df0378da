import { test } from 'node:test';
import assert from 'node:assert/strict';
import { coreDnsLogger, parseCoreDnsArgs, podIPs, UsageError } from './coredns-main.ts';

test('flags in Go flag syntax', () => {
  assert.deepEqual(parseCoreDnsArgs(['-conf', '/etc/coredns/Corefile']), { conf: '/etc/coredns/Corefile', version: false });
  assert.deepEqual(parseCoreDnsArgs(['--conf=/x']), { conf: '/x', version: false });
  assert.deepEqual(parseCoreDnsArgs(['-version']), { version: true });
  assert.throws(() => parseCoreDnsArgs(['-dns.port', '53']), /flag provided but not defined: -dns.port/);
  assert.throws(() => parseCoreDnsArgs(['-conf']), UsageError);
});

test('log lines look like CoreDNS', () => {
  const lines: string[] = [];
  const log = coreDnsLogger((l) => lines.push(l));
  log('.:53', { level: 'banner' });
  log('Running configuration SHA512 = ab12', { level: 'info', plugin: 'reload' });
  log('Corefile changed but reload failed: Corefile:3: bad', { level: 'error', plugin: 'reload', source: 'configmap/kube-system/coredns' });
  log('10.0.0.1:5353 - 7 "A web.ns1.svc.cluster.local. udp" NOERROR 0.000100s', { level: 'info', plugin: 'log', rcode: 'NOERROR' });
  assert.deepEqual(lines, [
    '.:53\n',
    '[INFO] plugin/reload: Running configuration SHA512 = ab12\n',
    '[ERROR] plugin/reload: Corefile changed but reload failed: Corefile:3: bad source=configmap/kube-system/coredns\n',
    '[INFO] plugin/log: 10.0.0.1:5353 - 7 "A web.ns1.svc.cluster.local. udp" NOERROR 0.000100s\n',
  ]);
});

test('pod IPs from the downward API, else from the interfaces (no loopback, no link-local)', () => {
  assert.deepEqual(podIPs({ POD_IP: '10.244.1.9' }, {}), ['10.244.1.9']);
  const ifaces: any = {
    lo: [{ address: '127.0.0.1', internal: true }],
    eth0: [{ address: '10.244.1.9', internal: false }, { address: 'fe80::1', internal: false }, { address: 'fd00::9', internal: false }],
  };
  assert.deepEqual(podIPs({}, ifaces), ['10.244.1.9', 'fd00::9']);
});
