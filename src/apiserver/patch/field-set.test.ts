import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collectFields, formatPath, fromFieldsV1, toFieldsV1, valueAt, removeAt } from './field-set.ts';
import { ApiError } from '../../lib/errors.ts';

const deployment = {
  apiVersion: 'apps/v1', kind: 'Deployment',
  metadata: { name: 'web', labels: { app: 'web' }, finalizers: ['x/y'] },
  spec: {
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 80 }], args: ['-v'] }] },
    },
  },
};

test('FieldsV1 of a Deployment: list-map keys with defaults, sets, atomic values', () => {
  const fields = toFieldsV1(collectFields(deployment, 'Deployment', true));
  assert.deepEqual(fields, {
    'f:apiVersion': {}, 'f:kind': {},
    'f:metadata': { 'f:finalizers': { 'v:"x/y"': {} }, 'f:labels': { 'f:app': {} }, 'f:name': {} },
    'f:spec': {
      'f:selector': {},
      'f:template': {
        'f:metadata': { 'f:labels': { 'f:app': {} } },
        'f:spec': {
          'f:containers': {
            'k:{"name":"web"}': {
              '.': {}, 'f:args': {}, 'f:image': {}, 'f:name': {},
              'f:ports': { 'k:{"containerPort":80,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {} } },
            },
          },
        },
      },
    },
  });
});

test('FieldsV1 decodes to the same set it was encoded from', () => {
  const set = collectFields(deployment, 'Deployment', true);
  const back = fromFieldsV1(toFieldsV1(set));
  assert.deepEqual([...back].map((p) => p.join('/')).sort(), [...set].map((p) => p.join('/')).sort());
});

test('paths print as structured-merge-diff prints them', () => {
  assert.equal(formatPath(['f:spec', 'f:ports', 'k:{"port":80,"protocol":"TCP"}', 'f:targetPort']), '.spec.ports[port=80,protocol="TCP"].targetPort');
  assert.equal(formatPath(['f:metadata', 'f:finalizers', 'v:"a"']), '.metadata.finalizers[="a"]');
});

test('valueAt and removeAt follow keyed elements, defaulting key fields', () => {
  const svc = { spec: { ports: [{ port: 53, protocol: 'UDP' }, { port: 80, targetPort: 8080 }] } };
  const path = ['f:spec', 'f:ports', 'k:{"port":80,"protocol":"TCP"}', 'f:targetPort'];
  assert.deepEqual(valueAt(svc, path, 'Service'), { found: true, value: 8080 });
  removeAt(svc, path.slice(0, 3), 'Service');
  assert.deepEqual(svc.spec.ports, [{ port: 53, protocol: 'UDP' }]);
  assert.equal(valueAt(svc, path, 'Service').found, false);
});

test('an applied list-map item without its key is 422', () => {
  assert.throws(() => collectFields({ spec: { ports: [{ name: 'x' }] } }, 'Service', true),
    (e: unknown) => e instanceof ApiError && e.code === 422 && /omits key field "port"/.test(e.message));
  // Bookkeeping for updates never fails: the list is owned as one value instead.
  assert.deepEqual([...collectFields({ spec: { ports: [{ name: 'x' }] } }, 'Service', false)], [['f:spec', 'f:ports']]);
});
