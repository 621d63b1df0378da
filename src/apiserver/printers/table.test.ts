import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RESOURCES, resourceKey } from '../../k8s/resources.ts';
import { buildTable, printedKeys, printerFor } from './index.ts';

const NOW = Date.parse('2025-06-01T12:00:00Z');

// Column headers of kube-apiserver 1.33 (pkg/printers/internalversion); `*` marks priority 1,
// `:integer` a non-string type.
const UPSTREAM: Record<string, string[]> = {
  namespaces: ['Name', 'Status', 'Age'],
  nodes: ['Name', 'Status', 'Roles', 'Age', 'Version', 'Internal-IP*', 'External-IP*', 'OS-Image*', 'Kernel-Version*', 'Container-Runtime*'],
  pods: ['Name', 'Ready', 'Status', 'Restarts', 'Age', 'IP*', 'Node*', 'Nominated Node*', 'Readiness Gates*'],
  services: ['Name', 'Type', 'Cluster-IP', 'External-IP', 'Port(s)', 'Age', 'Selector*'],
  endpoints: ['Name', 'Endpoints', 'Age'],
  configmaps: ['Name', 'Data', 'Age'],
  secrets: ['Name', 'Type', 'Data', 'Age'],
  serviceaccounts: ['Name', 'Secrets', 'Age'],
  events: ['Last Seen', 'Type', 'Reason', 'Object', 'Subobject*', 'Source*', 'Message', 'First Seen*', 'Count*', 'Name*'],
  'deployments.apps': ['Name', 'Ready', 'Up-to-date', 'Available', 'Age', 'Containers*', 'Images*', 'Selector*'],
  'replicasets.apps': ['Name', 'Desired:integer', 'Current:integer', 'Ready:integer', 'Age', 'Containers*', 'Images*', 'Selector*'],
  'leases.coordination.k8s.io': ['Name', 'Holder', 'Age'],
  'endpointslices.discovery.k8s.io': ['Name', 'AddressType', 'Ports', 'Endpoints', 'Age'],
  'events.events.k8s.io': ['Last Seen', 'Type', 'Reason', 'Object', 'Subobject*', 'Source*', 'Message', 'First Seen*', 'Count*', 'Name*'],
  'ingresses.networking.k8s.io': ['Name', 'Class', 'Hosts', 'Address', 'Ports', 'Age'],
  'ingressclasses.networking.k8s.io': ['Name', 'Controller', 'Parameters', 'Age'],
  'networkpolicies.networking.k8s.io': ['Name', 'Pod-Selector', 'Age'],
};

test('every served resource has its own printer with the upstream columns', () => {
  for (const r of RESOURCES) {
    const key = resourceKey(r);
    assert.ok(printedKeys().includes(key), `no printer for ${key}`);
    const got = printerFor(key).columns.map((c) => `${c.name}${c.type === 'string' ? '' : `:${c.type}`}${c.priority ? '*' : ''}`);
    assert.deepEqual(got, UPSTREAM[key], key);
    for (const c of printerFor(key).columns) {
      assert.equal(c.format, c.name === 'Name' ? 'name' : '', `${key} ${c.name} format`);
      assert.ok(c.description.length > 0, `${key} ${c.name} description`);
    }
  }
});

test('each printer yields one cell per column, even for a bare object', () => {
  for (const key of printedKeys()) {
    const p = printerFor(key);
    assert.equal(p.cells({ metadata: { name: 'x' } }, NOW).length, p.columns.length, key);
  }
});

test('unknown resources get Name and Created At', () => {
  const p = printerFor('widgets.example.com');
  assert.deepEqual(p.columns.map((c) => [c.name, c.type, c.format]), [['Name', 'string', 'name'], ['Created At', 'date', '']]);
  assert.deepEqual(p.cells({ metadata: { name: 'w', creationTimestamp: '2025-01-02T03:04:05Z' } }, NOW), ['w', '2025-01-02T03:04:05Z']);
  assert.deepEqual(p.cells({ metadata: { name: 'w' } }, NOW), ['w', '0001-01-01T00:00:00Z']);
});

const svc = {
  apiVersion: 'v1', kind: 'Service',
  metadata: { name: 'web', namespace: 'default', resourceVersion: '41', labels: { app: 'web' }, creationTimestamp: '2025-06-01T11:55:00Z' },
  spec: { type: 'ClusterIP', clusterIPs: ['10.96.0.10'], ports: [{ port: 80, protocol: 'TCP' }], selector: { app: 'web' } },
  status: {},
};

test('buildTable: default includeObject=Metadata carries PartialObjectMetadata', () => {
  const t: any = buildTable('services', [svc], { now: NOW, listMeta: { resourceVersion: '42' } });
  assert.equal(t.kind, 'Table');
  assert.equal(t.apiVersion, 'meta.k8s.io/v1');
  assert.deepEqual(t.metadata, { resourceVersion: '42' });
  assert.deepEqual(t.columnDefinitions.map((c: any) => c.name), ['Name', 'Type', 'Cluster-IP', 'External-IP', 'Port(s)', 'Age', 'Selector']);
  assert.deepEqual(t.rows, [{
    cells: ['web', 'ClusterIP', '10.96.0.10', '<none>', '80/TCP', '5m', 'app=web'],
    object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: svc.metadata },
  }]);
});

test('buildTable: includeObject None and Object, continue and remainingItemCount', () => {
  const none: any = buildTable('services', [svc], { now: NOW, includeObject: 'None', listMeta: { resourceVersion: '42', continue: 'abc', remainingItemCount: 5 } });
  assert.deepEqual(none.metadata, { resourceVersion: '42', continue: 'abc', remainingItemCount: 5 });
  assert.equal('object' in none.rows[0], false);
  const full: any = buildTable('services', [svc], { now: NOW, includeObject: 'Object' });
  assert.equal(full.rows[0].object, svc);
  assert.deepEqual(full.metadata, {});
  const emptyContinue: any = buildTable('services', [], { now: NOW, listMeta: { resourceVersion: '7', continue: '' } });
  assert.deepEqual(emptyContinue.metadata, { resourceVersion: '7' });
  assert.deepEqual(emptyContinue.rows, []);
});

test('buildTable: omitHeaders leaves column definitions empty; finished pods carry row conditions', () => {
  const pod = { metadata: { name: 'job-x' }, spec: { containers: [{ name: 'c' }] }, status: { phase: 'Succeeded' } };
  const t: any = buildTable('pods', [pod], { now: NOW, omitHeaders: true });
  assert.deepEqual(t.columnDefinitions, []);
  assert.equal(t.rows[0].conditions[0].type, 'Completed');
  assert.equal(t.rows[0].cells.length, 9);
});

test('buildTable returns column copies, so callers cannot corrupt the printers', () => {
  const t: any = buildTable('configmaps', [], { now: NOW });
  t.columnDefinitions[0].name = 'Broken';
  assert.equal(printerFor('configmaps').columns[0].name, 'Name');
});
