import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pod, service } from '../endpointslice/test-fixtures.ts';
import { endpointsChanged } from './compare.ts';
import { desiredEndpointsObject } from './desired.ts';
import { endpointsWriteFailedEvent, planEndpointsSync } from './plan.ts';
import { repackSubsets } from './repack.ts';

const ref = (name: string) => ({ kind: 'Pod', namespace: 'default', name, uid: `uid-${name}` });

test('ready and not-ready pods share one subset, addresses sorted', () => {
  const svc = service({ labels: { team: 'a' } });
  const ep = desiredEndpointsObject(svc, [pod('b', '10.0.0.2'), pod('a', '10.0.0.10'), pod('c', '10.0.0.3', { ready: false })], { triggerTime: '2025-01-01T00:00:00Z' });
  assert.deepEqual(ep, {
    apiVersion: 'v1', kind: 'Endpoints',
    metadata: {
      name: 'web', namespace: 'default', labels: { team: 'a' },
      annotations: { 'endpoints.kubernetes.io/last-change-trigger-time': '2025-01-01T00:00:00Z' },
    },
    subsets: [{
      // Byte order of the IP text, as upstream: "10.0.0.10" < "10.0.0.2".
      addresses: [
        { ip: '10.0.0.10', nodeName: 'node-a', targetRef: ref('a') },
        { ip: '10.0.0.2', nodeName: 'node-a', targetRef: ref('b') },
      ],
      notReadyAddresses: [{ ip: '10.0.0.3', nodeName: 'node-a', targetRef: ref('c') }],
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
    }],
  });
});

test('named port only some pods define: subsets grouped by port set', () => {
  const svc = service({ ports: [
    { name: 'http', port: 80, protocol: 'TCP', targetPort: 'web' },
    { name: 'metrics', port: 9090, protocol: 'TCP', targetPort: 9100 },
  ] });
  const ep = desiredEndpointsObject(svc, [
    pod('a', '10.0.0.1', { ports: [{ name: 'web', containerPort: 8080 }] }),
    pod('b', '10.0.0.2', { ports: [] }),
  ]);
  const shape = ep.subsets.map((s: any) => [s.addresses.map((a: any) => a.ip), s.ports.map((p: any) => `${p.name}:${p.port}`)]);
  assert.deepEqual(shape.sort(), [
    [['10.0.0.1'], ['http:8080']],
    [['10.0.0.1', '10.0.0.2'], ['metrics:9100']],
  ].sort());
});

test('repack: the same address not ready on one report stays not ready for that port', () => {
  const a = { ip: '10.0.0.1', targetRef: ref('a') };
  const p80 = { name: 'x', port: 80, protocol: 'TCP' };
  const p81 = { name: 'y', port: 81, protocol: 'TCP' };
  const out = repackSubsets([
    { addresses: [a], ports: [p80, p81] },
    { notReadyAddresses: [a], ports: [p80] },
  ]);
  assert.deepEqual(out.map((s) => [s.addresses?.length ?? 0, s.notReadyAddresses?.length ?? 0, s.ports?.map((p) => p.port)]).sort(), [
    [0, 1, [80]],
    [1, 0, [81]],
  ]);
});

test('terminating pods are left out unless publishNotReadyAddresses', () => {
  const pods = [pod('a', '10.0.0.1', { deleting: true }), pod('b', '10.0.0.2', { ready: false })];
  const plain = desiredEndpointsObject(service(), pods);
  assert.deepEqual(plain.subsets.map((s: any) => [s.addresses, s.notReadyAddresses?.map((x: any) => x.ip)]), [[undefined, ['10.0.0.2']]]);
  const published = desiredEndpointsObject(service({ publishNotReadyAddresses: true }), pods);
  assert.deepEqual(published.subsets[0].addresses.map((x: any) => x.ip), ['10.0.0.1', '10.0.0.2']);
  assert.equal(published.subsets[0].notReadyAddresses, undefined);
});

test('headless without ports: portless subset, hostname, headless label', () => {
  const svc = service({ clusterIP: 'None', ports: [] });
  const ep = desiredEndpointsObject(svc, [pod('db-0', '10.0.0.1', { hostname: 'db-0', subdomain: 'web' })]);
  assert.equal(ep.metadata.labels['service.kubernetes.io/headless'], '');
  assert.deepEqual(ep.subsets, [{ addresses: [{ ip: '10.0.0.1', hostname: 'db-0', nodeName: 'node-a', targetRef: ref('db-0') }] }]);
});

test('no pods: no subsets; dual-stack Service: only the first family', () => {
  assert.equal(desiredEndpointsObject(service(), []).subsets, undefined);
  const ep = desiredEndpointsObject(service({ ipFamilies: ['IPv6', 'IPv4'] }), [pod('a', ['10.0.0.1', 'fd00::1'])]);
  assert.deepEqual(ep.subsets[0].addresses.map((a: any) => a.ip), ['fd00::1']);
});

test('over 1000 ready addresses: truncated to 1000 with the over-capacity annotation', () => {
  const pods = Array.from({ length: 1200 }, (_, i) => pod(`p${i}`, `10.1.${i >> 8}.${i & 255}`));
  const ep = desiredEndpointsObject(service(), pods);
  assert.equal(ep.subsets[0].addresses.length, 1000);
  assert.equal(ep.metadata.annotations['endpoints.kubernetes.io/over-capacity'], 'truncated');
  assert.equal(endpointsChanged(structuredClone(ep), ep), false);
});

test('truncation keeps ready addresses and trims not-ready ones first', () => {
  const pods = Array.from({ length: 1200 }, (_, i) => pod(`p${i}`, `10.1.${i >> 8}.${i & 255}`, { ready: i < 900 }));
  const ep = desiredEndpointsObject(service(), pods);
  assert.equal(ep.subsets[0].addresses.length, 900);
  assert.equal(ep.subsets[0].notReadyAddresses.length, 100);
});

test('endpointsChanged ignores server metadata, trigger time and targetRef resourceVersion', () => {
  const svc = service({ labels: { team: 'a' } });
  const pods = [pod('a', '10.0.0.1')];
  const desired = desiredEndpointsObject(svc, pods, { triggerTime: '2025-01-01T00:00:00Z' });
  const current = structuredClone(desired);
  current.metadata = { ...current.metadata, uid: 'x', resourceVersion: '7', creationTimestamp: '2025-01-01T00:00:00Z', annotations: {} };
  current.subsets[0].addresses[0].targetRef.resourceVersion = '42';
  assert.equal(endpointsChanged(current, desired), false);
  assert.equal(endpointsChanged(current, desiredEndpointsObject(svc, [pod('a', '10.0.0.1', { ready: false })])), true);
  assert.equal(endpointsChanged(current, desiredEndpointsObject(service({ labels: { team: 'b' } }), pods)), true);
  const stale = structuredClone(current);
  stale.metadata.annotations['endpoints.kubernetes.io/over-capacity'] = 'truncated';
  assert.equal(endpointsChanged(stale, desired), true);
  assert.equal(endpointsChanged(undefined, desired), true);
});

test('planEndpointsSync: create, no-op, update keeping foreign annotations, delete, hands off', () => {
  const key = { namespace: 'default', name: 'web' };
  const svc = service();
  const created = planEndpointsSync(key, svc, [pod('a', '10.0.0.1')], undefined);
  assert.equal(created.action, 'create');
  const current = structuredClone((created as any).object);
  current.metadata.resourceVersion = '5';
  current.metadata.annotations = { 'example.com/note': 'keep' };
  assert.deepEqual(planEndpointsSync(key, svc, [pod('a', '10.0.0.1')], current, { triggerTime: '2025-06-01T00:00:00Z' }), { action: 'none' });
  const upd = planEndpointsSync(key, svc, [pod('a', '10.0.0.2')], current, { triggerTime: '2025-06-01T00:00:00Z' });
  assert.equal(upd.action, 'update');
  assert.deepEqual((upd as any).object.metadata.annotations, { 'example.com/note': 'keep', 'endpoints.kubernetes.io/last-change-trigger-time': '2025-06-01T00:00:00Z' });
  assert.equal((upd as any).object.metadata.resourceVersion, '5');
  assert.deepEqual(planEndpointsSync(key, undefined, [], current), { action: 'delete', namespace: 'default', name: 'web' });
  assert.deepEqual(planEndpointsSync(key, undefined, [], undefined), { action: 'none' });
  assert.deepEqual(planEndpointsSync(key, service({ selector: null }), [pod('a', '10.0.0.1')], current), { action: 'none' });
});

test('write failure events carry upstream reasons and messages', () => {
  assert.deepEqual(endpointsWriteFailedEvent(service(), true, 'boom').message, 'Failed to create endpoint for service default/web: boom');
  assert.equal(endpointsWriteFailedEvent(service(), false, 'boom').reason, 'FailedToUpdateEndpoint');
});
