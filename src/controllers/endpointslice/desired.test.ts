import { test } from 'node:test';
import assert from 'node:assert/strict';
import { desiredEndpoints } from './desired.ts';
import { canonicalIP } from './ip-family.ts';
import { findPort } from './pod-endpoint.ts';
import { node, pod, service } from './test-fixtures.ts';

test('ready pod: conditions, targetRef, nodeName, zone from the Node', () => {
  const d = desiredEndpoints(service(), [pod('a', '10.0.0.1')], new Map([['node-a', node('node-a', 'zone-1')]]));
  assert.equal(d.groups.length, 1);
  assert.deepEqual(d.groups[0].ports, [{ name: 'http', protocol: 'TCP', port: 8080 }]);
  assert.deepEqual(d.groups[0].endpoints, [{
    addresses: ['10.0.0.1'],
    conditions: { ready: true, serving: true, terminating: false },
    targetRef: { kind: 'Pod', namespace: 'default', name: 'a', uid: 'uid-a' },
    nodeName: 'node-a',
    zone: 'zone-1',
  }]);
});

test('selector, namespace, terminal phase and missing IP filter pods', () => {
  const pods = [
    pod('match', '10.0.0.1'),
    pod('other-app', '10.0.0.2', { labels: { app: 'db' } }),
    pod('other-ns', '10.0.0.3', { ns: 'kube-system' }),
    pod('done', '10.0.0.4', { phase: 'Succeeded' }),
    pod('failed', '10.0.0.5', { phase: 'Failed' }),
    pod('pending', undefined),
  ];
  const d = desiredEndpoints(service(), pods);
  assert.deepEqual(d.groups[0].endpoints.map((e) => e.targetRef.name), ['match']);
});

test('Services without selector or of type ExternalName want nothing', () => {
  assert.deepEqual(desiredEndpoints(service({ selector: null }), [pod('a', '10.0.0.1')]).groups, []);
  assert.deepEqual(desiredEndpoints(service({ type: 'ExternalName' }), [pod('a', '10.0.0.1')]).groups, []);
  // An empty selector map selects every pod in the namespace.
  assert.equal(desiredEndpoints(service({ selector: {} }), [pod('a', '10.0.0.1', { labels: {} })]).groups[0].endpoints.length, 1);
});

test('not-ready and terminating pods: ready/serving/terminating as upstream', () => {
  const d = desiredEndpoints(service(), [
    pod('unready', '10.0.0.1', { ready: false }),
    pod('leaving', '10.0.0.2', { deleting: true }),
    pod('leaving-unready', '10.0.0.3', { deleting: true, ready: false }),
  ]);
  const c = Object.fromEntries(d.groups[0].endpoints.map((e) => [e.targetRef.name, e.conditions]));
  assert.deepEqual(c.unready, { ready: false, serving: false, terminating: false });
  assert.deepEqual(c.leaving, { ready: false, serving: true, terminating: true });
  assert.deepEqual(c['leaving-unready'], { ready: false, serving: false, terminating: true });
});

test('publishNotReadyAddresses forces ready=true and keeps pods on unknown Nodes', () => {
  const svc = service({ publishNotReadyAddresses: true });
  const d = desiredEndpoints(svc, [pod('unready', '10.0.0.1', { ready: false, node: 'ghost' }), pod('leaving', '10.0.0.2', { deleting: true })], new Map());
  const c = Object.fromEntries(d.groups[0].endpoints.map((e) => [e.targetRef.name, e.conditions]));
  assert.deepEqual(c.unready, { ready: true, serving: false, terminating: false });
  assert.deepEqual(c.leaving, { ready: true, serving: true, terminating: true });
  assert.deepEqual(d.skipped, []);
});

test('a pod on an unknown Node is skipped with upstream\'s message', () => {
  const d = desiredEndpoints(service(), [pod('a', '10.0.0.1', { node: 'ghost' }), pod('b', '10.0.0.2')], new Map([['node-a', node('node-a')]]));
  assert.deepEqual(d.groups[0].endpoints.map((e) => e.targetRef.name), ['b']);
  assert.deepEqual(d.skipped, [{ namespace: 'default', name: 'a', nodeName: 'ghost', message: 'skipping Pod a for Service default/web: Node ghost Not Found' }]);
});

test('named targetPort resolves per pod; pods lacking it form their own port group', () => {
  const svc = service({ ports: [
    { name: 'http', port: 80, protocol: 'TCP', targetPort: 'web' },
    { name: 'metrics', port: 9090, protocol: 'TCP', targetPort: 9100, appProtocol: 'http' },
  ] });
  const d = desiredEndpoints(svc, [
    pod('a', '10.0.0.1', { ports: [{ name: 'web', containerPort: 8080 }] }),
    pod('b', '10.0.0.2', { ports: [{ name: 'web', containerPort: 8081, protocol: 'TCP' }] }),
    pod('c', '10.0.0.3', { ports: [] }),
    pod('d', '10.0.0.4', { ports: [{ name: 'web', containerPort: 8080, protocol: 'UDP' }] }),
  ]);
  const byPorts = d.groups.map((g) => [JSON.stringify(g.ports), g.endpoints.map((e) => e.targetRef.name)]);
  assert.deepEqual(byPorts, [
    ['[{"name":"http","protocol":"TCP","port":8080},{"name":"metrics","protocol":"TCP","port":9100,"appProtocol":"http"}]', ['a']],
    ['[{"name":"http","protocol":"TCP","port":8081},{"name":"metrics","protocol":"TCP","port":9100,"appProtocol":"http"}]', ['b']],
    ['[{"name":"metrics","protocol":"TCP","port":9100,"appProtocol":"http"}]', ['c', 'd']],
  ]);
});

test('findPort looks in sidecar init containers but not plain init containers', () => {
  const p = pod('a', '10.0.0.1', { ports: [] });
  p.spec.initContainers = [
    { name: 'init', ports: [{ name: 'x', containerPort: 1 }] },
    { name: 'side', restartPolicy: 'Always', ports: [{ name: 'y', containerPort: 2 }] },
  ];
  assert.equal(findPort(p, { targetPort: 'x', protocol: 'TCP' }), undefined);
  assert.equal(findPort(p, { targetPort: 'y', protocol: 'TCP' }), 2);
  assert.equal(findPort(p, { port: 81 }), 81);
});

test('headless: hostname only when subdomain names the Service; no ports allowed', () => {
  const svc = service({ clusterIP: 'None', ports: [] });
  const d = desiredEndpoints(svc, [
    pod('a', '10.0.0.1', { hostname: 'a', subdomain: 'web' }),
    pod('b', '10.0.0.2', { hostname: 'b', subdomain: 'other' }),
    pod('c', '10.0.0.3', { subdomain: 'web' }),
  ]);
  assert.equal(d.groups.length, 1);
  assert.deepEqual(d.groups[0].ports, []);
  assert.deepEqual(d.groups[0].endpoints.map((e) => e.hostname), ['a', undefined, undefined]);
});

test('dual-stack: one group per family, each with only its own addresses', () => {
  const svc = service({ ipFamilies: ['IPv6', 'IPv4'] });
  const d = desiredEndpoints(svc, [pod('a', ['10.0.0.1', 'FD00:0:0::1']), pod('b', ['10.0.0.2'])]);
  assert.deepEqual(d.addressTypes, ['IPv4', 'IPv6']);
  assert.deepEqual(d.groups.map((g) => [g.addressType, g.endpoints.map((e) => e.addresses)]), [
    ['IPv4', [['10.0.0.1'], ['10.0.0.2']]],
    ['IPv6', [['fd00::1']]],
  ]);
});

test('single-stack IPv4 Service ignores pod IPv6 addresses; podIP alone is honoured', () => {
  const p = pod('a', undefined);
  p.status.podIP = '10.0.0.9';
  const d = desiredEndpoints(service(), [p, pod('v6', ['fd00::9'])]);
  assert.deepEqual(d.groups[0].endpoints.map((e) => e.addresses), [['10.0.0.9']]);
});

test('canonicalIP normalises sloppy IPv4 and IPv6 text', () => {
  assert.equal(canonicalIP('010.000.000.001'), '10.0.0.1');
  assert.equal(canonicalIP('FD00:0000:0000:0000:0000:0000:0000:0001'), 'fd00::1');
  assert.equal(canonicalIP('2001:db8:0:0:1:0:0:1'), '2001:db8::1:0:0:1');
});
