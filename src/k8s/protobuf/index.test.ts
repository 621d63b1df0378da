import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ApiError } from '../../lib/errors.ts';
import { decodeProtobufObject, hasProtobufMagic, PROTOBUF_KINDS } from './index.ts';
import { encode, envelope } from './test-encode.ts';

const nodeport = new Uint8Array(readFileSync(new URL('./fixtures/service-nodeport.pb', import.meta.url)));

function rejects(body: Uint8Array, reason: string, message: RegExp): void {
  assert.throws(() => decodeProtobufObject(body), (err: unknown) => {
    assert.ok(err instanceof ApiError, `expected ApiError, got ${String(err)}`);
    assert.equal(err.reason, reason);
    assert.match(err.message, message);
    return true;
  });
}

test('PROTOBUF_KINDS lists every kind kubectl sends as Protobuf', () => {
  for (const k of ['v1/Service', 'apps/v1/Deployment', 'v1/Namespace', 'v1/ConfigMap', 'v1/Secret',
    'networking.k8s.io/v1/Ingress', 'batch/v1/Job', 'v1/ServiceAccount', 'authentication.k8s.io/v1/TokenRequest',
    'authorization.k8s.io/v1/SelfSubjectAccessReview']) {
    assert.ok(PROTOBUF_KINDS.includes(k), k);
  }
});

test('hasProtobufMagic', () => {
  assert.equal(hasProtobufMagic(nodeport), true);
  assert.equal(hasProtobufMagic(new TextEncoder().encode('{"kind":"Service"}')), false);
  assert.equal(hasProtobufMagic(new Uint8Array([0x6b, 0x38])), false);
});

test('a truncated body is BadRequest naming the kind once TypeMeta was read', () => {
  for (const cut of [40, nodeport.length - 1]) {
    rejects(nodeport.subarray(0, cut), 'BadRequest', /^the Protobuf body of v1\/Service is malformed: it ends early \(truncated\)$/);
  }
  // Cut inside TypeMeta itself: the kind is not known yet.
  rejects(nodeport.subarray(0, 10), 'BadRequest', /^the Protobuf request body is malformed: it ends early \(truncated\)$/);
});

test('a truncated object inside a whole envelope is BadRequest naming the kind', () => {
  const raw = encode([[2, [[4, 'NodePort']]]]);
  rejects(envelope('v1', 'Service', raw.subarray(0, raw.length - 2)), 'BadRequest', /^the Protobuf body of v1\/Service is malformed: it ends early/);
});

test('a body without the magic is BadRequest', () => {
  rejects(new TextEncoder().encode('{"apiVersion":"v1","kind":"Service"}'), 'BadRequest', /does not start with the Kubernetes Protobuf magic/);
  rejects(new Uint8Array(), 'BadRequest', /does not start with the Kubernetes Protobuf magic/);
  rejects(nodeport.subarray(4), 'BadRequest', /magic/);
});

test('a kind without a schema is UnsupportedMediaType naming the kind', () => {
  rejects(envelope('apps/v1', 'StatefulSet', []), 'UnsupportedMediaType', /^knet cannot decode apps\/v1\/StatefulSet from application\/vnd\.kubernetes\.protobuf; send it as application\/json/);
  rejects(envelope('v2', 'Service', []), 'UnsupportedMediaType', /v2\/Service/);
});

test('an envelope without TypeMeta is BadRequest', () => {
  const body = new Uint8Array([0x6b, 0x38, 0x73, 0x00, ...encode([[2, new Uint8Array()]])]);
  rejects(body, 'BadRequest', /carries no apiVersion and kind/);
});

test('a content-encoded raw object is UnsupportedMediaType', () => {
  rejects(envelope('v1', 'Service', [], 'gzip'), 'UnsupportedMediaType', /v1\/Service uses content encoding "gzip"/);
});

test('a field of the wrong wire type is BadRequest with its path', () => {
  rejects(envelope('apps/v1', 'Deployment', [[2, [[1, 'three']]]]), 'BadRequest',
    /^the Protobuf body of apps\/v1\/Deployment is malformed: spec\.replicas: expected varint data for int32, found length-delimited$/);
  rejects(envelope('v1', 'Service', [[1, 7]]), 'BadRequest', /metadata: expected length-delimited data for ObjectMeta, found varint/);
});

test('an illegal tag is BadRequest', () => {
  rejects(envelope('v1', 'Service', new Uint8Array([0x07, 0x01])), 'BadRequest', /v1\/Service is malformed: .*(wire type|tag)/);
});
