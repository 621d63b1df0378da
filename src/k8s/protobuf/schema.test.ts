import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFieldSpec, SchemaRegistry } from './schema.ts';
import { registry, messageForKind, PROTOBUF_KINDS } from './kinds.ts';

test('parseFieldSpec reads every shape', () => {
  assert.deepEqual(parseFieldSpec('name'), { json: 'name', type: 'string', repeated: false, map: false, presence: false, inline: false });
  assert.deepEqual(parseFieldSpec('replicas?:int32'), { json: 'replicas', type: 'int32', repeated: false, map: false, presence: true, inline: false });
  assert.deepEqual(parseFieldSpec('ports[]:ServicePort'), { json: 'ports', type: 'ServicePort', repeated: true, map: false, presence: false, inline: false });
  assert.deepEqual(parseFieldSpec('limits{}:Quantity'), { json: 'limits', type: 'Quantity', repeated: false, map: true, presence: false, inline: false });
  assert.deepEqual(parseFieldSpec('...:ProbeHandler'), { json: '', type: 'ProbeHandler', repeated: false, map: false, presence: false, inline: true });
  assert.throws(() => parseFieldSpec('bad name'), /bad protobuf field spec/);
  assert.throws(() => parseFieldSpec('...:string'), /only a plain message can be inlined/);
});

test('every message a field names is defined, and every kind has a message', () => {
  assert.deepEqual(registry.unresolved(), []);
  for (const gvk of PROTOBUF_KINDS) {
    const i = gvk.lastIndexOf('/');
    const message = messageForKind(gvk.slice(0, i), gvk.slice(i + 1));
    assert.ok(message && registry.get(message), gvk);
  }
  assert.equal(messageForKind('v1', 'toString'), undefined);
});

test('unresolved() reports a typo and add() a duplicate', () => {
  const r = new SchemaRegistry().add({ A: { 1: 'b:Bee' } });
  assert.deepEqual(r.unresolved(), ['A.1 -> Bee']);
  assert.throws(() => r.add({ A: {} }), /defined twice/);
});

test('spot checks of field numbers against k8s.io/api generated.proto', () => {
  const field = (msg: string, n: number) => registry.get(msg)?.get(n)?.json;
  assert.equal(field('ObjectMeta', 17), 'managedFields');
  assert.equal(field('ServiceSpec', 18), 'clusterIPs');
  assert.equal(field('ServiceSpec', 22), 'internalTrafficPolicy');
  assert.equal(field('ServicePort', 6), 'appProtocol');
  assert.equal(field('DeploymentSpec', 9), 'progressDeadlineSeconds');
  assert.equal(field('IngressBackend', 4), 'service');
  assert.equal(field('IngressSpec', 4), 'ingressClassName');
  assert.equal(field('TokenRequestSpec', 4), 'expirationSeconds');
  assert.equal(field('OwnerReference', 5), 'apiVersion');
});
