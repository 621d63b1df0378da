import { test } from 'node:test';
import assert from 'node:assert/strict';
import { udpTargets } from './proxier.ts';
import { slice, svc } from './test-cluster.ts';

test('UDP conntrack targets: the ClusterIP, external and LoadBalancer addresses, and the NodePort on any address', () => {
  const s = svc('dns', { type: 'LoadBalancer', clusterIP: '10.96.0.10', externalIPs: ['192.168.1.1'], ports: [{ name: 'dns', protocol: 'UDP', port: 53, nodePort: 30053 }, { name: 'tcp', protocol: 'TCP', port: 53 }] }, ['172.18.255.200']);
  const sl = slice('dns', [['dns', 'UDP', 5353], ['tcp', 'TCP', 5353]], [['10.244.1.2', 'n1'], ['10.244.2.3', 'n2', { ready: false, serving: false, terminating: true }]]);
  const t = udpTargets(s, [sl]);
  assert.deepEqual([...t.keys()].sort(), ['*:30053', '10.96.0.10:53', '172.18.255.200:53', '192.168.1.1:53']);
  for (const eps of t.values()) assert.deepEqual([...eps], ['10.244.1.2'], 'only serving endpoints');
  assert.equal(udpTargets(undefined, [sl]).size, 0, 'a deleted Service has none');
});
