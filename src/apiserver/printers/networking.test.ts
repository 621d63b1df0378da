import { test } from 'node:test';
import assert from 'node:assert/strict';
import { endpointSlicePrinter, ingressClassPrinter, ingressHosts, ingressPrinter, networkPolicyPrinter } from './networking.ts';

const NOW = Date.parse('2025-06-01T12:00:00Z');
const meta = (name: string) => ({ name, namespace: 'default', creationTimestamp: new Date(NOW - 7 * 60_000).toISOString() });

test('ingress with class, hosts, TLS and an address', () => {
  const ing = {
    metadata: meta('shop'),
    spec: { ingressClassName: 'knet', tls: [{ hosts: ['shop.example.com'], secretName: 'shop-tls' }], rules: [{ host: 'shop.example.com' }, { host: 'api.example.com' }] },
    status: { loadBalancer: { ingress: [{ ip: '172.18.255.1' }, { hostname: 'ingress.knet.local' }] } },
  };
  assert.deepEqual(ingressPrinter.cells(ing, NOW), ['shop', 'knet', 'shop.example.com,api.example.com', '172.18.255.1,ingress.knet.local', '80, 443', '7m']);
});

test('ingress defaults: <none> class, * host, empty address, port 80', () => {
  const ing = { metadata: meta('catch-all'), spec: { defaultBackend: { service: { name: 'web', port: { number: 80 } } } }, status: {} };
  assert.deepEqual(ingressPrinter.cells(ing, NOW), ['catch-all', '<none>', '*', '', '80', '7m']);
});

test('ingress hosts: first three, + N more counts every further rule', () => {
  assert.equal(ingressHosts([{ host: 'a' }, {}, { host: 'b' }]), 'a,b');
  assert.equal(ingressHosts([{ host: 'a' }, { host: 'b' }, { host: 'c' }]), 'a,b,c');
  assert.equal(ingressHosts([{ host: 'a' }, { host: 'b' }, { host: 'c' }, { host: 'd' }, {}]), 'a,b,c + 2 more...');
  assert.equal(ingressHosts([{}, {}]), '*');
});

test('ingressclass: controller and parameters reference', () => {
  const ic = { metadata: { name: 'knet', creationTimestamp: meta('x').creationTimestamp }, spec: { controller: 'knet.dev/ingress' } };
  assert.deepEqual(ingressClassPrinter.cells(ic, NOW), ['knet', 'knet.dev/ingress', '<none>', '7m']);
  const withParams = { ...ic, spec: { controller: 'k8s.io/ingress-nginx', parameters: { apiGroup: 'k8s.example.com', kind: 'IngressParameters', name: 'external-lb' } } };
  assert.equal(ingressClassPrinter.cells(withParams, NOW)[2], 'IngressParameters.k8s.example.com/external-lb');
  const coreParams = { ...ic, spec: { controller: 'c', parameters: { kind: 'ConfigMap', name: 'cfg', scope: 'Namespace', namespace: 'ing' } } };
  assert.equal(ingressClassPrinter.cells(coreParams, NOW)[2], 'ConfigMap/cfg');
});

test('networkpolicy: pod selector string, <none> for all pods', () => {
  const np = { metadata: meta('db-ingress'), spec: { podSelector: { matchLabels: { app: 'db' }, matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['test', 'dev'] }] } } };
  assert.deepEqual(networkPolicyPrinter.cells(np, NOW), ['db-ingress', 'app=db,tier notin (dev,test)', '7m']);
  assert.equal(networkPolicyPrinter.cells({ metadata: meta('deny-all'), spec: { podSelector: {}, policyTypes: ['Ingress'] } }, NOW)[1], '<none>');
});

test('endpointslice: address type, ports, endpoints with + N more... and <unset>', () => {
  const slice = {
    metadata: meta('web-abc12'), addressType: 'IPv4',
    ports: [{ name: 'http', port: 8080, protocol: 'TCP' }, { name: 'metrics', protocol: 'TCP' }, { protocol: 'TCP' }, { port: 9, name: 'x' }],
    endpoints: [{ addresses: ['10.244.0.5'] }, { addresses: ['10.244.1.7', '10.244.1.8'] }, { addresses: ['10.244.2.9'] }, { addresses: ['10.244.2.10'] }],
  };
  assert.deepEqual(endpointSlicePrinter.cells(slice, NOW), ['web-abc12', 'IPv4', '8080,metrics,* + 1 more...', '10.244.0.5,10.244.1.7,10.244.1.8 + 2 more...', '7m']);
  const empty = { metadata: meta('web-empty'), addressType: 'IPv6', ports: null, endpoints: null };
  assert.deepEqual(endpointSlicePrinter.cells(empty, NOW), ['web-empty', 'IPv6', '<unset>', '<unset>', '7m']);
});
