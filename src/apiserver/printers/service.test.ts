import { test } from 'node:test';
import assert from 'node:assert/strict';
import { endpointsPrinter, formatEndpoints, serviceExternalIP, servicePorts, servicePrinter } from './service.ts';

const NOW = Date.parse('2025-06-01T12:00:00Z');
const created = new Date(NOW - 5 * 60_000).toISOString();
const svc = (spec: any, status: any = {}) => ({ metadata: { name: 'web', creationTimestamp: created }, spec, status });

test('ClusterIP service with a selector', () => {
  const s = svc({ type: 'ClusterIP', clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], ports: [{ port: 80, protocol: 'TCP', targetPort: 8080 }], selector: { app: 'web', tier: 'front' } });
  assert.deepEqual(servicePrinter.cells(s, NOW), ['web', 'ClusterIP', '10.96.0.10', '<none>', '80/TCP', '5m', 'app=web,tier=front']);
});

test('headless service without selector or ports', () => {
  const s = svc({ type: 'ClusterIP', clusterIP: 'None', clusterIPs: ['None'] });
  assert.deepEqual(servicePrinter.cells(s, NOW), ['web', 'ClusterIP', 'None', '<none>', '<none>', '5m', '<none>']);
});

test('Cluster-IP falls back to clusterIP when clusterIPs is absent, <none> when both are', () => {
  assert.equal(servicePrinter.cells(svc({ type: 'ClusterIP', clusterIP: '10.96.1.1' }), NOW)[2], '10.96.1.1');
  assert.equal(servicePrinter.cells(svc({ type: 'ExternalName', externalName: 'db.example.com' }), NOW)[2], '<none>');
});

test('NodePort ports and externalIPs', () => {
  const s = svc({ type: 'NodePort', clusterIPs: ['10.96.0.20'], externalIPs: ['192.0.2.10', '192.0.2.11'],
    ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }, { port: 53, nodePort: 30053, protocol: 'UDP' }] });
  assert.deepEqual(servicePrinter.cells(s, NOW).slice(1, 5), ['NodePort', '10.96.0.20', '192.0.2.10,192.0.2.11', '80:30080/TCP,53:30053/UDP']);
});

test('LoadBalancer: <pending>, ingress IPs and hostnames sorted, then externalIPs', () => {
  const spec = { type: 'LoadBalancer', clusterIPs: ['10.96.0.30'], ports: [{ port: 443, nodePort: 31443, protocol: 'TCP' }] };
  assert.equal(serviceExternalIP(svc(spec)), '<pending>');
  assert.equal(serviceExternalIP(svc(spec, { loadBalancer: {} })), '<pending>');
  const lb = { loadBalancer: { ingress: [{ ip: '203.0.113.9' }, { hostname: 'lb.example.com' }, { ip: '203.0.113.10' }, { ip: '203.0.113.9' }] } };
  // No clipping to 16 characters: the server prints wide.
  assert.equal(serviceExternalIP(svc(spec, lb)), '203.0.113.10,203.0.113.9,lb.example.com');
  assert.equal(serviceExternalIP(svc({ ...spec, externalIPs: ['192.0.2.1'] }, lb)), '203.0.113.10,203.0.113.9,lb.example.com,192.0.2.1');
  assert.equal(serviceExternalIP(svc({ ...spec, externalIPs: ['192.0.2.1'] })), '192.0.2.1');
});

test('ExternalName shows the external name; an unknown type <unknown>', () => {
  assert.equal(serviceExternalIP(svc({ type: 'ExternalName', externalName: 'db.example.com' })), 'db.example.com');
  assert.equal(serviceExternalIP(svc({})), '<unknown>');
});

test('servicePorts defaults a missing protocol to TCP', () => {
  assert.equal(servicePorts([{ port: 8080 }]), '8080/TCP');
  assert.equal(servicePorts([]), '<none>');
});

test('endpoints: ip:port for each port, first three then + N more...', () => {
  const ep = { metadata: { name: 'web', creationTimestamp: created }, subsets: [{
    addresses: [{ ip: '10.244.0.5' }, { ip: '10.244.1.7' }],
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }, { name: 'metrics', port: 9090, protocol: 'TCP' }],
  }] };
  assert.deepEqual(endpointsPrinter.cells(ep, NOW), ['web', '10.244.0.5:8080,10.244.1.7:8080,10.244.0.5:9090 + 1 more...', '5m']);
});

test('endpoints: <none>, bare IPs for port-less subsets, IPv6 brackets', () => {
  assert.equal(formatEndpoints({ subsets: [] }), '<none>');
  assert.equal(formatEndpoints({}), '<none>');
  assert.equal(formatEndpoints({ subsets: [{ addresses: [{ ip: '10.244.0.5' }] }] }), '10.244.0.5');
  assert.equal(formatEndpoints({ subsets: [{ addresses: [{ ip: 'fd00::5' }], ports: [{ port: 80 }] }] }), '[fd00::5]:80');
  // Only not-ready addresses: subsets exist, nothing to list.
  assert.equal(formatEndpoints({ subsets: [{ notReadyAddresses: [{ ip: '10.244.0.5' }], ports: [{ port: 80 }] }] }), '');
  const many = { subsets: [{ addresses: [1, 2, 3, 4, 5].map((i) => ({ ip: `10.0.0.${i}` })), ports: [{ port: 80 }] }] };
  assert.equal(formatEndpoints(many), '10.0.0.1:80,10.0.0.2:80,10.0.0.3:80 + 2 more...');
});
