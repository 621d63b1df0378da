import { test } from 'node:test';
import assert from 'node:assert/strict';
import { desiredEndpoints } from './desired.ts';
import { reconcileSlices, type ReconcileOptions, type SlicePlan } from './reconcile.ts';
import { ips, pod, service, SliceStore } from './test-fixtures.ts';

function sync(store: SliceStore, svc: any, pods: any[], opts: ReconcileOptions = {}): SlicePlan {
  const plan = reconcileSlices(svc, desiredEndpoints(svc, pods), store.list(), opts);
  store.apply(plan);
  return plan;
}

function counts(p: SlicePlan): [number, number, number] {
  return [p.create.length, p.update.length, p.delete.length];
}

const many = (from: number, to: number, over = {}) =>
  Array.from({ length: to - from }, (_, i) => pod(`p${from + i}`, `10.1.${Math.floor((from + i) / 250)}.${(from + i) % 250}`, over));

test('a new slice: generateName, labels, owner reference, ports, trigger time', () => {
  const store = new SliceStore();
  const svc = service({ labels: { team: 'a', 'kubernetes.io/service-name': 'spoof' } });
  const plan = sync(store, svc, [pod('a', '10.0.0.1')], { triggerTime: '2025-01-01T00:00:10Z' });
  assert.deepEqual(counts(plan), [1, 0, 0]);
  const s = plan.create[0];
  assert.deepEqual(s.metadata, {
    generateName: 'web-',
    namespace: 'default',
    labels: { team: 'a', 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' },
    ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: 'web', uid: 'svc-uid-1', controller: true, blockOwnerDeletion: true }],
    annotations: { 'endpoints.kubernetes.io/last-change-trigger-time': '2025-01-01T00:00:10Z' },
  });
  assert.equal(s.apiVersion, 'discovery.k8s.io/v1');
  assert.equal(s.kind, 'EndpointSlice');
  assert.equal(s.addressType, 'IPv4');
  assert.deepEqual(s.ports, [{ name: 'http', protocol: 'TCP', port: 8080 }]);
  assert.deepEqual(ips(s), ['10.0.0.1']);
});

test('no-op: reconciling the same state again plans nothing', () => {
  const store = new SliceStore();
  const svc = service({ ipFamilies: ['IPv4', 'IPv6'], labels: { x: 'y' } });
  const pods = [...many(0, 120), pod('v6', ['10.9.9.9', 'fd00::9'], { ready: false })];
  sync(store, svc, pods);
  const again = reconcileSlices(svc, desiredEndpoints(svc, pods), store.list(), { triggerTime: '2030-01-01T00:00:00Z' });
  assert.deepEqual(counts(again), [0, 0, 0]);
  // Pod resourceVersion churn in targetRef does not count as a change either.
  const listed = store.list();
  for (const s of listed) for (const e of s.endpoints) e.targetRef.resourceVersion = '999';
  assert.deepEqual(counts(reconcileSlices(svc, desiredEndpoints(svc, pods), listed)), [0, 0, 0]);
});

test('pod readiness flip updates its endpoint in place', () => {
  const store = new SliceStore();
  const svc = service();
  sync(store, svc, [pod('a', '10.0.0.1'), pod('b', '10.0.0.2')]);
  const [name] = store.slices.keys();
  const plan = sync(store, svc, [pod('a', '10.0.0.1', { ready: false }), pod('b', '10.0.0.2')]);
  assert.deepEqual(counts(plan), [0, 1, 0]);
  assert.equal(plan.update[0].metadata.name, name);
  assert.equal(plan.update[0].metadata.resourceVersion, '101');
  const a = plan.update[0].endpoints.find((e: any) => e.targetRef.name === 'a');
  assert.deepEqual(a.conditions, { ready: false, serving: false, terminating: false });
});

test('pod IP change rewrites the same slice instead of delete + create', () => {
  const store = new SliceStore();
  const svc = service();
  sync(store, svc, [pod('a', '10.0.0.1')]);
  const [name] = store.slices.keys();
  const plan = sync(store, svc, [pod('a', '10.0.0.7')]);
  assert.deepEqual(counts(plan), [0, 1, 0]);
  assert.equal(plan.update[0].metadata.name, name);
  assert.deepEqual(ips(store.slices.get(name)), ['10.0.0.7']);
});

test('pod deleted while terminating: terminating endpoint, then gone, slice becomes the placeholder', () => {
  const store = new SliceStore();
  const svc = service();
  sync(store, svc, [pod('a', '10.0.0.1'), pod('b', '10.0.0.2')]);
  let plan = sync(store, svc, [pod('a', '10.0.0.1', { deleting: true }), pod('b', '10.0.0.2')]);
  const a = plan.update[0].endpoints.find((e: any) => e.targetRef.name === 'a');
  assert.deepEqual(a.conditions, { ready: false, serving: true, terminating: true });
  plan = sync(store, svc, [pod('b', '10.0.0.2')]);
  assert.deepEqual(counts(plan), [0, 1, 0]);
  assert.deepEqual(ips(plan.update[0]), ['10.0.0.2']);
  // Last pod leaves: the slice is rewritten as the empty placeholder, not deleted.
  plan = sync(store, svc, []);
  assert.deepEqual(counts(plan), [0, 1, 0]);
  assert.deepEqual(plan.update[0].endpoints, []);
  assert.deepEqual(plan.update[0].ports, []);
  assert.deepEqual(counts(sync(store, svc, [])), [0, 0, 0]);
  assert.equal(store.slices.size, 1);
});

test('a Service with no pods gets one placeholder slice per family', () => {
  const store = new SliceStore();
  const plan = sync(store, service({ ipFamilies: ['IPv4', 'IPv6'] }), []);
  assert.deepEqual(plan.create.map((s) => [s.addressType, s.endpoints, s.ports]), [['IPv4', [], []], ['IPv6', [], []]]);
});

test('selector edit: old endpoints leave, new ones arrive', () => {
  const store = new SliceStore();
  const pods = [pod('old1', '10.0.0.1'), pod('old2', '10.0.0.2'), pod('new1', '10.0.0.3', { labels: { app: 'api' } })];
  sync(store, service(), pods);
  const plan = sync(store, service({ selector: { app: 'api' } }), pods);
  assert.deepEqual(counts(plan), [0, 1, 0]);
  assert.deepEqual(store.list().map(ips), [['10.0.0.3']]);
});

test('named port only some pods define: two port groups, two slices', () => {
  const store = new SliceStore();
  const svc = service({ ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 'web' }] });
  const plan = sync(store, svc, [
    pod('a', '10.0.0.1', { ports: [{ name: 'web', containerPort: 8080 }] }),
    pod('b', '10.0.0.2', { ports: [] }),
  ]);
  assert.equal(plan.create.length, 2);
  const byPorts = Object.fromEntries(store.list().map((s) => [JSON.stringify(s.ports), ips(s)]));
  assert.deepEqual(byPorts, { '[{"name":"http","protocol":"TCP","port":8080}]': ['10.0.0.1'], '[]': ['10.0.0.2'] });
  // Pod b gains the port: its slice's port group disappears and the slice is reused.
  const plan2 = sync(store, svc, [
    pod('a', '10.0.0.1', { ports: [{ name: 'web', containerPort: 8080 }] }),
    pod('b', '10.0.0.2', { ports: [{ name: 'web', containerPort: 8080 }] }),
  ]);
  assert.deepEqual(counts(plan2), [0, 1, 1]);
  assert.deepEqual(store.list().map(ips), [['10.0.0.1', '10.0.0.2']]);
});

test('250 endpoints split 100/100/50, then churn refills existing slices before creating', () => {
  const store = new SliceStore();
  const svc = service();
  const plan = sync(store, svc, many(0, 250));
  assert.deepEqual(plan.create.map((s) => s.endpoints.length), [100, 100, 50]);
  const first = store.list().find((s) => s.endpoints.length === 100)!;
  const gone = new Set(first.endpoints.slice(0, 30).map((e: any) => e.targetRef.name));
  const pods = [...many(0, 250).filter((p) => !gone.has(p.metadata.name)), ...many(300, 340)];
  const plan2 = sync(store, svc, pods);
  assert.deepEqual(plan2.create, []);
  assert.deepEqual(plan2.delete, []);
  // The slice that lost 30 is refilled to 100 and the 10 left over go to the 50-slice.
  assert.deepEqual(plan2.update.map((s) => s.endpoints.length).sort(), [100, 60]);
  assert.deepEqual(store.list().map((s) => s.endpoints.length).sort(), [100, 100, 60]);
  assert.equal(store.list().reduce((n, s) => n + s.endpoints.length, 0), 260);
  // Endpoints that did not change stay where they were.
  const untouched = store.list().find((s) => !plan2.update.some((u) => u.metadata.name === s.metadata.name))!;
  assert.equal(untouched.endpoints.length, 100);
  assert.deepEqual(counts(sync(store, svc, pods)), [0, 0, 0]);
});

test('maxEndpointsPerSlice is honoured', () => {
  const store = new SliceStore();
  const plan = sync(store, service(), many(0, 5), { maxEndpointsPerSlice: 2 });
  assert.deepEqual(plan.create.map((s) => s.endpoints.length), [2, 2, 1]);
});

test('publishNotReadyAddresses: unready pod published ready', () => {
  const store = new SliceStore();
  const plan = sync(store, service({ publishNotReadyAddresses: true }), [pod('a', '10.0.0.1', { ready: false })]);
  assert.deepEqual(plan.create[0].endpoints[0].conditions, { ready: true, serving: false, terminating: false });
});

test('headless: hostname set, headless label, no ports', () => {
  const store = new SliceStore();
  const svc = service({ clusterIP: 'None', ports: [] });
  const plan = sync(store, svc, [pod('db-0', '10.0.0.1', { hostname: 'db-0', subdomain: 'web' })]);
  const s = plan.create[0];
  assert.equal(s.metadata.labels['service.kubernetes.io/headless'], '');
  assert.deepEqual(s.ports, []);
  assert.equal(s.endpoints[0].hostname, 'db-0');
  assert.deepEqual(counts(sync(store, svc, [pod('db-0', '10.0.0.1', { hostname: 'db-0', subdomain: 'web' })])), [0, 0, 0]);
});

test('dual-stack: a slice per family; dropping a family deletes its slices', () => {
  const store = new SliceStore();
  const pods = [pod('a', ['10.0.0.1', 'fd00::1'])];
  const plan = sync(store, service({ ipFamilies: ['IPv4', 'IPv6'] }), pods);
  assert.deepEqual(plan.create.map((s) => [s.addressType, ips(s)]), [['IPv4', ['10.0.0.1']], ['IPv6', ['fd00::1']]]);
  const plan2 = sync(store, service({ ipFamilies: ['IPv4'] }), pods);
  assert.deepEqual(counts(plan2), [0, 0, 1]);
  assert.equal(plan2.delete[0].addressType, 'IPv6');
});

test('Service label change updates slice labels only', () => {
  const store = new SliceStore();
  sync(store, service({ labels: { tier: 'a' } }), [pod('a', '10.0.0.1')]);
  const plan = sync(store, service({ labels: { tier: 'b' } }), [pod('a', '10.0.0.1')]);
  assert.deepEqual(counts(plan), [0, 1, 0]);
  assert.equal(plan.update[0].metadata.labels.tier, 'b');
});

test('slices of other managers, other Services, or being deleted are left alone', () => {
  const svc = service();
  const foreign = { metadata: { name: 'web-manual', namespace: 'default', labels: { 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'someone-else' } }, addressType: 'IPv4', endpoints: [], ports: [] };
  const plan = reconcileSlices(svc, desiredEndpoints(svc, [pod('a', '10.0.0.1')]), [foreign]);
  assert.deepEqual(counts(plan), [1, 0, 0]);
});

test('slices owned by an earlier Service of the same name are deleted, never reused', () => {
  const store = new SliceStore();
  sync(store, service({ uid: 'old' }), [pod('a', '10.0.0.1')]);
  const plan = sync(store, service({ uid: 'new' }), [pod('a', '10.0.0.1')]);
  assert.deepEqual(counts(plan), [1, 0, 1]);
  assert.equal(plan.create[0].metadata.ownerReferences[0].uid, 'new');
});

test('a Service being deleted gets no new slices', () => {
  const svc = service();
  svc.metadata.deletionTimestamp = '2025-01-01T00:00:00Z';
  assert.deepEqual(counts(reconcileSlices(svc, desiredEndpoints(svc, [pod('a', '10.0.0.1')]), [])), [0, 0, 0]);
});

test('pods on unknown Nodes: requeue and a FailedToUpdateEndpointSlices event', () => {
  const svc = service();
  const d = desiredEndpoints(svc, [pod('a', '10.0.0.1', { node: 'ghost' })], new Map());
  const plan = reconcileSlices(svc, d, []);
  assert.equal(plan.requeue, true);
  assert.deepEqual(plan.events.map((e) => [e.type, e.reason, e.message]), [[
    'Warning', 'FailedToUpdateEndpointSlices',
    'Error updating Endpoint Slices for Service default/web: skipping Pod a for Service default/web: Node ghost Not Found',
  ]]);
});

test('updated slices without a trigger time lose a stale annotation', () => {
  const store = new SliceStore();
  const svc = service();
  sync(store, svc, [pod('a', '10.0.0.1')], { triggerTime: '2025-01-01T00:00:10Z' });
  const plan = sync(store, svc, [pod('a', '10.0.0.1', { ready: false })]);
  assert.equal(plan.update[0].metadata.annotations, undefined);
});

test('first pod arrives: the placeholder slice is rewritten, not replaced', () => {
  const store = new SliceStore();
  const svc = service();
  sync(store, svc, []);
  const [name] = store.slices.keys();
  const plan = sync(store, svc, [pod('a', '10.0.0.1')]);
  assert.deepEqual(counts(plan), [0, 1, 0]);
  assert.equal(plan.update[0].metadata.name, name);
  assert.deepEqual(plan.update[0].ports, [{ name: 'http', protocol: 'TCP', port: 8080 }]);
  assert.deepEqual(ips(store.slices.get(name)), ['10.0.0.1']);
});

test('trafficDistribution PreferClose: each ready endpoint hints its own zone; turning it off removes hints', () => {
  const store = new SliceStore();
  const nodes = new Map([
    ['node-a', { metadata: { name: 'node-a', labels: { 'topology.kubernetes.io/zone': 'z1' } } }],
    ['node-b', { metadata: { name: 'node-b', labels: { 'topology.kubernetes.io/zone': 'z2' } } }],
    ['node-c', { metadata: { name: 'node-c' } }],
  ]);
  const pods = [pod('a', '10.0.0.1'), pod('b', '10.0.0.2', { node: 'node-b' }), pod('c', '10.0.0.3', { node: 'node-c' }), pod('d', '10.0.0.4', { ready: false })];
  const plain = service();
  const close = { ...plain, spec: { ...plain.spec, trafficDistribution: 'PreferClose' } };
  const run = (svc: any) => {
    const plan = reconcileSlices(svc, desiredEndpoints(svc, pods, nodes), store.list());
    store.apply(plan);
    return plan;
  };
  run(plain);
  const hints = () => Object.fromEntries(store.list()[0].endpoints.map((e: any) => [e.targetRef.name, e.hints]));
  assert.deepEqual(hints(), { a: undefined, b: undefined, c: undefined, d: undefined });
  // Turning it on rewrites the (otherwise unchanged) slice.
  assert.deepEqual(counts(run(close)), [0, 1, 0]);
  assert.deepEqual(hints(), { a: { forZones: [{ name: 'z1' }] }, b: { forZones: [{ name: 'z2' }] }, c: undefined, d: undefined });
  assert.deepEqual(counts(run(close)), [0, 0, 0], 'stable once hinted');
  assert.deepEqual(counts(run(plain)), [0, 1, 0]);
  assert.deepEqual(hints(), { a: undefined, b: undefined, c: undefined, d: undefined });
});
