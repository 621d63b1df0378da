import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { decodeProtobufObject } from './index.ts';
import { entry, envelope } from './test-encode.ts';
import type { Fields } from './test-encode.ts';

const deployment = (spec: Fields) => decodeProtobufObject(envelope('apps/v1', 'Deployment', [[1, [[1, 'd']]], [2, spec]]));

test('replicas present as 0 is kept; absent stays absent; non-pointer zeros are dropped', () => {
  assert.deepEqual(deployment([[1, 0], [5, 0], [7, false], [6, 0]]).spec, { replicas: 0, revisionHistoryLimit: 0 });
  assert.deepEqual(deployment([[5, 0], [7, false], [4, [[1, '']]]]).spec, undefined);
  assert.deepEqual(deployment([[1, 2], [7, true], [5, 10]]).spec, { replicas: 2, paused: true, minReadySeconds: 10 });
});

test('IntOrString: pointer rolling-update values keep 0 and percentages', () => {
  const spec = deployment([[4, [[1, 'RollingUpdate'], [2, [[1, [[1, 0], [2, 0], [3, '']]], [2, [[1, 1], [2, 0], [3, '25%']]]]]]]]).spec;
  assert.deepEqual(spec, { strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '25%' } } });
});

test('ObjectMeta in full: times, int64s, maps with empty values, owner references, managed fields', () => {
  const meta: Fields = [
    [1, 'web'], [2, 'web-'], [3, 'prod'], [4, ''], [5, 'c0ffee'], [6, '42'], [7, 3n],
    [8, [[1, 1700000000], [2, 123]]], [9, [[1, 1700000600]]], [10, 0],
    [11, entry('app', 'web')], [11, entry('empty', '')], [11, [[1, 'novalue']]],
    [12, entry('note', 'x=y')],
    [13, [[5, 'apps/v1'], [1, 'ReplicaSet'], [3, 'web-1'], [4, 'u1'], [6, true], [7, false]]],
    [14, 'example.com/a'], [14, ''],
    [17, [[1, 'kubectl'], [2, 'Update'], [3, 'v1'], [4, [[1, 1700000000]]], [6, 'FieldsV1'],
      [7, [[1, new TextEncoder().encode('{"f:metadata":{"f:labels":{}}}')]]]]],
  ];
  const got = decodeProtobufObject(envelope('v1', 'ConfigMap', [[1, meta]]));
  assert.deepEqual(got, {
    apiVersion: 'v1', kind: 'ConfigMap',
    metadata: {
      name: 'web', generateName: 'web-', namespace: 'prod', uid: 'c0ffee', resourceVersion: '42', generation: 3,
      creationTimestamp: '2023-11-14T22:13:20Z', deletionTimestamp: '2023-11-14T22:23:20Z', deletionGracePeriodSeconds: 0,
      labels: { app: 'web', empty: '', novalue: '' },
      annotations: { note: 'x=y' },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', uid: 'u1', controller: true, blockOwnerDeletion: false }],
      finalizers: ['example.com/a', ''],
      managedFields: [{
        manager: 'kubectl', operation: 'Update', apiVersion: 'v1', time: '2023-11-14T22:13:20Z',
        fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': { 'f:labels': {} } },
      }],
    },
  });
});

test('pod template: inlined structs, pointer structs kept empty, quantities, packed int64 lists', () => {
  const container: Fields = [
    [1, 'app'], [2, 'img'],
    [7, [[1, 'PW'], [3, [[4, [[1, [[1, 'creds']]], [2, 'pw'], [3, true]]]]]]],
    [7, [[1, 'NODE'], [3, [[1, [[1, 'v1'], [2, 'spec.nodeName']]]]]]],
    [8, [[1, entry('cpu', [[1, '500m']])], [2, entry('memory', [[1, '64Mi']])], [2, [[1, 'empty']]]]],
    [9, [[1, 'data'], [2, true], [3, '/data']]],
    [10, [[1, [[2, [[1, '/healthz'], [2, [[1, 1], [3, 'http']]], [4, 'HTTP']]]]], [4, 5], [7, 0]]],
    [12, [[2, [[1, [[1, 'sleep'], [1, '1']]]]]]],
    [15, [[4, 0], [5, true], [1, [[2, 'ALL']]]]],
    [99, ''], [98, 0],
  ];
  const podSpec: Fields = [
    [1, [[1, 'data'], [2, [[2, []]]]]],
    [1, [[1, 'cfg'], [2, [[19, [[1, [[1, 'my-config']]], [3, 420]]]]]]],
    [2, container],
    [14, [[4, new Uint8Array([0x01, 0xe8, 0x07])]]],
  ];
  const got = decodeProtobufObject(envelope('v1', 'Pod', [[1, [[1, 'p']]], [2, podSpec]]));
  assert.deepEqual(got, {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' },
    spec: {
      volumes: [{ name: 'data', emptyDir: {} }, { name: 'cfg', configMap: { name: 'my-config', defaultMode: 420 } }],
      containers: [{
        name: 'app', image: 'img',
        env: [
          { name: 'PW', valueFrom: { secretKeyRef: { name: 'creds', key: 'pw', optional: true } } },
          { name: 'NODE', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } } },
        ],
        resources: { limits: { cpu: '500m' }, requests: { memory: '64Mi', empty: '0' } },
        volumeMounts: [{ name: 'data', readOnly: true, mountPath: '/data' }],
        livenessProbe: { httpGet: { path: '/healthz', port: 'http', scheme: 'HTTP' }, periodSeconds: 5, terminationGracePeriodSeconds: 0 },
        lifecycle: { preStop: { exec: { command: ['sleep', '1'] } } },
        securityContext: { runAsUser: 0, runAsNonRoot: true, capabilities: { drop: ['ALL'] } },
      }],
      securityContext: { supplementalGroups: [1, 1000] },
    },
  });
});

test('a field knet does not know is refused with 415 unless it is empty, so no data is lost silently', () => {
  const body = (extra: Fields) => envelope('v1', 'Service', [[1, [[1, 's']]], [2, [[4, 'ClusterIP'], ...extra]]]);
  assert.deepEqual(decodeProtobufObject(body([[99, ''], [98, 0]])).spec, { type: 'ClusterIP' });
  assert.throws(() => decodeProtobufObject(body([[99, 'data']])), (err: any) =>
    err.reason === 'UnsupportedMediaType' && /field number 99 of ServiceSpec \(at spec\) is not one knet decodes from Protobuf; send it as application\/json/.test(err.message));
  assert.throws(() => decodeProtobufObject(body([[98, 7]])), (err: any) => err.reason === 'UnsupportedMediaType');
});

test('a later occurrence of a field replaces an earlier one, down to unsetting it', () => {
  const svc = (spec: Fields) => decodeProtobufObject(envelope('v1', 'Service', [[2, spec]])).spec;
  assert.deepEqual(svc([[4, 'NodePort'], [4, 'ClusterIP']]), { type: 'ClusterIP' });
  assert.deepEqual(svc([[4, 'NodePort'], [4, '']]), undefined);
});

test('Secret data is base64 of the bytes; stringData stays text; immutable false is kept', () => {
  const got = decodeProtobufObject(envelope('v1', 'Secret', [
    [2, entry('bin', new Uint8Array([0, 255]))], [2, entry('none', new Uint8Array())],
    [4, entry('plain', 'text')], [3, 'Opaque'], [5, false],
  ]));
  assert.deepEqual(got, {
    apiVersion: 'v1', kind: 'Secret', data: { bin: 'AP8=', none: '' }, stringData: { plain: 'text' }, type: 'Opaque', immutable: false,
  });
});

test('unpacked repeated varints (the proto2 layout) decode like packed ones', () => {
  const unpacked = decodeProtobufObject(envelope('v1', 'Pod', [[2, [[14, [[4, 1], [4, 1000]]]]]]));
  assert.deepEqual(unpacked.spec.securityContext.supplementalGroups, [1, 1000]);
});

test('the test encoder lays bodies out as kubectl does', () => {
  // Guards the helper the other tests rely on: this Namespace is byte-for-byte kubectl's.
  const body = envelope('v1', 'Namespace', [
    [1, [[1, 'team-a'], [2, ''], [3, ''], [4, ''], [5, ''], [6, ''], [7, 0], [8, []]]],
    [2, []], [3, [[1, '']]],
  ]);
  assert.deepEqual(body, new Uint8Array(readFileSync(new URL('./fixtures/namespace.pb', import.meta.url))));
});
