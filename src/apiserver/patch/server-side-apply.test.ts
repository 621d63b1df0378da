import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverSideApply, updateManagedFields } from './server-side-apply.ts';
import { ApiError } from '../../lib/errors.ts';

const T1 = '2025-01-01T00:00:00Z';
const T2 = '2025-01-01T00:01:00Z';
const opts = (manager: string, force = false, now = T2) => ({ manager, force, kind: 'Service', apiVersion: 'v1', now });

const config = (targetPort = 9090, labels: Record<string, string> = { app: 'file' }) => ({
  apiVersion: 'v1', kind: 'Service',
  metadata: { name: 'file-svc', namespace: 'default', labels },
  spec: { selector: { app: 'file' }, ports: [{ name: 'http', port: 80, targetPort }] },
});

const portKey = 'k:{"port":80,"protocol":"TCP"}';

test('create: the object is the applied configuration and the applier owns what it set', () => {
  const out = serverSideApply(undefined, config(), opts('kubectl', false, T1));
  assert.deepEqual(out.spec, config().spec);
  assert.deepEqual(out.metadata.managedFields, [{
    manager: 'kubectl', operation: 'Apply', apiVersion: 'v1', time: T1, fieldsType: 'FieldsV1',
    fieldsV1: {
      'f:metadata': { 'f:labels': { 'f:app': {} } },
      'f:spec': { 'f:ports': { [portKey]: { '.': {}, 'f:name': {}, 'f:port': {}, 'f:targetPort': {} } }, 'f:selector': {} },
    },
  }]);
});

test('re-apply by the same manager changes values and removes fields it no longer applies', () => {
  const live = serverSideApply(undefined, config(9090, { app: 'file', tier: 'web' }), opts('kubectl', false, T1));
  live.metadata.uid = 'u1';
  live.metadata.resourceVersion = '5';
  const out = serverSideApply(live, config(9191, { app: 'file' }), opts('kubectl'));
  assert.equal(out.spec.ports[0].targetPort, 9191);
  assert.deepEqual(out.metadata.labels, { app: 'file' }, 'the dropped label is removed');
  assert.equal(out.metadata.uid, 'u1', 'fields nobody applies are kept');
  assert.equal(out.metadata.managedFields.length, 1);
  assert.equal(out.metadata.managedFields[0].time, T2);
});

function createdByClientSideApply() {
  const obj: any = {
    apiVersion: 'v1', kind: 'Service',
    metadata: { name: 'file-svc', namespace: 'default', labels: { app: 'file' } },
    spec: { selector: { app: 'file' }, ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }], type: 'ClusterIP' },
  };
  updateManagedFields(undefined, obj, { manager: 'kubectl-client-side-apply', operation: 'Update', apiVersion: 'v1', now: T1 });
  return obj;
}

test('conflict: changing a field another manager owns is 409 with kube-apiserver\'s message', () => {
  const live = createdByClientSideApply();
  let err: unknown;
  try {
    serverSideApply(live, config(9090), opts('kubectl'));
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof ApiError);
  assert.equal(err.code, 409);
  assert.equal(err.reason, 'Conflict');
  assert.equal(err.message, 'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using v1: .spec.ports[port=80,protocol="TCP"].targetPort');
  assert.deepEqual(err.details?.causes, [{
    reason: 'FieldManagerConflict', message: 'conflict with "kubectl-client-side-apply" using v1', field: '.spec.ports[port=80,protocol="TCP"].targetPort',
  }]);
});

test('no conflict when the applied value equals the live one: ownership is shared', () => {
  const live = createdByClientSideApply();
  const out = serverSideApply(live, config(8080), opts('kubectl'));
  const managers = out.metadata.managedFields.map((e: any) => `${e.manager}/${e.operation}`);
  assert.deepEqual(managers, ['kubectl/Apply', 'kubectl-client-side-apply/Update']);
  const csa = out.metadata.managedFields[1].fieldsV1['f:spec']['f:ports'][portKey];
  assert.ok('f:targetPort' in csa, 'the other manager still owns the shared field');

  // The applier stops applying the label; the other manager owns it too, so it stays.
  const again = serverSideApply(out, { ...config(8080), metadata: { name: 'file-svc' } }, opts('kubectl'));
  assert.deepEqual(again.metadata.labels, { app: 'file' });
});

test('force takes the conflicting field from the other manager', () => {
  const live = createdByClientSideApply();
  const out = serverSideApply(live, config(9090), opts('kubectl', true));
  assert.equal(out.spec.ports[0].targetPort, 9090);
  assert.equal(out.spec.ports[0].protocol, 'TCP');
  assert.equal(out.spec.type, 'ClusterIP');
  const csa = out.metadata.managedFields.find((e: any) => e.manager === 'kubectl-client-side-apply');
  const port = csa.fieldsV1['f:spec']['f:ports'][portKey];
  assert.ok(!('f:targetPort' in port));
  assert.ok('f:protocol' in port && 'f:name' in port);
});

test('several conflicts are listed by manager, one path a line', () => {
  const live = createdByClientSideApply();
  const cfg = config(9090);
  cfg.spec.selector = { app: 'other' };
  assert.throws(() => serverSideApply(live, cfg, opts('kubectl')), (err: unknown) => {
    assert.ok(err instanceof ApiError);
    assert.equal(err.message, 'Apply failed with 2 conflicts: conflicts with "kubectl-client-side-apply" using v1:\n' +
      '- .spec.ports[port=80,protocol="TCP"].targetPort\n- .spec.selector');
    assert.equal(err.details?.causes?.length, 2);
    return true;
  });
});

test('list-map items merge by key: an applied port is added beside a live one', () => {
  const live = serverSideApply(undefined, config(), opts('kubectl', false, T1));
  const other = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'file-svc' }, spec: { ports: [{ port: 53, protocol: 'UDP' }] } };
  const out = serverSideApply(live, other, opts('dns-manager'));
  assert.deepEqual(out.spec.ports.map((p: any) => p.port), [80, 53]);
  // The first manager re-applies without change: its port and the other's both stay.
  const again = serverSideApply(out, config(), opts('kubectl'));
  assert.deepEqual(again.spec.ports.map((p: any) => p.port), [80, 53]);
});

test('apply refuses managedFields in the configuration', () => {
  const cfg: any = config();
  cfg.metadata.managedFields = [];
  assert.throws(() => serverSideApply(undefined, cfg, opts('kubectl')), (e: unknown) => e instanceof ApiError && e.code === 400);
});

test('updateManagedFields: an update takes the fields it changed from other managers', () => {
  const live = createdByClientSideApply();
  assert.deepEqual(live.metadata.managedFields[0].fieldsV1['f:spec']['f:ports'][portKey], { '.': {}, 'f:name': {}, 'f:port': {}, 'f:protocol': {}, 'f:targetPort': {} });
  const next = structuredClone(live);
  next.spec.ports[0].targetPort = 7070;
  next.metadata.labels.tier = 'web';
  updateManagedFields(live, next, { manager: 'kubectl-edit', operation: 'Update', apiVersion: 'v1', now: T2 });
  const [csa, edit] = next.metadata.managedFields;
  assert.equal(csa.manager, 'kubectl-client-side-apply');
  assert.ok(!('f:targetPort' in csa.fieldsV1['f:spec']['f:ports'][portKey]));
  assert.deepEqual(edit, {
    manager: 'kubectl-edit', operation: 'Update', apiVersion: 'v1', time: T2, fieldsType: 'FieldsV1',
    fieldsV1: { 'f:metadata': { 'f:labels': { 'f:tier': {} } }, 'f:spec': { 'f:ports': { [portKey]: { 'f:targetPort': {} } } } },
  });
  // Now an apply that sets targetPort conflicts with kubectl-edit, not the creator.
  assert.throws(() => serverSideApply(next, config(9090), opts('kubectl')), /conflict with "kubectl-edit" using v1/);
});

test('updateManagedFields: a removed field leaves every manager; status writes own status only', () => {
  const live = createdByClientSideApply();
  const next = structuredClone(live);
  delete next.metadata.labels;
  updateManagedFields(live, next, { manager: 'kubectl-edit', operation: 'Update', apiVersion: 'v1', now: T2 });
  assert.equal(next.metadata.managedFields.length, 1, 'no entry for a manager that only removed');
  assert.ok(!('f:labels' in (next.metadata.managedFields[0].fieldsV1['f:metadata'] ?? {})));

  const withStatus = structuredClone(next);
  withStatus.status = { loadBalancer: { ingress: [{ ip: '10.0.0.9' }] } };
  updateManagedFields(next, withStatus, { manager: 'knet-lb', operation: 'Update', apiVersion: 'v1', now: T2, subresource: 'status' });
  const lb = withStatus.metadata.managedFields.find((e: any) => e.manager === 'knet-lb');
  assert.deepEqual(lb.fieldsV1, { 'f:status': { 'f:loadBalancer': { 'f:ingress': {} } } });
  assert.equal(lb.subresource, 'status');
});

test('a list-map item the applier no longer applies is removed unless someone else owns part of it', () => {
  const two = config();
  two.spec.ports.push({ name: 'https', port: 443, targetPort: 8443 });
  const live = serverSideApply(undefined, two, opts('kubectl', false, T1));
  const out = serverSideApply(live, config(), opts('kubectl'));
  assert.deepEqual(out.spec.ports.map((p: any) => p.port), [80]);
  assert.ok(!(JSON.stringify(out.metadata.managedFields).includes('443')));

  // Another writer changed the 443 port's targetPort: it owns that field, so the item stays.
  const edited = structuredClone(live);
  edited.spec.ports[1].targetPort = 9443;
  updateManagedFields(live, edited, { manager: 'kubectl-edit', operation: 'Update', apiVersion: 'v1', now: T2 });
  const kept = serverSideApply(edited, config(), opts('kubectl'));
  assert.deepEqual(kept.spec.ports.map((p: any) => p.port), [80, 443]);
});
