import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyStrategicMergePatch } from './strategic-merge.ts';
import { ApiError } from '../../lib/errors.ts';

const service = () => ({
  apiVersion: 'v1', kind: 'Service',
  metadata: { name: 'file-svc', namespace: 'default', resourceVersion: '7', labels: { app: 'file' }, annotations: { a: '1' } },
  spec: {
    selector: { app: 'file' },
    ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 8080 }],
  },
});

const deployment = () => ({
  apiVersion: 'apps/v1', kind: 'Deployment',
  metadata: { name: 'web' },
  spec: {
    replicas: 1,
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        containers: [
          { name: 'web', image: 'nginx:1', ports: [{ containerPort: 80, protocol: 'TCP' }], env: [{ name: 'A', value: '1' }] },
          { name: 'side', image: 'busybox' },
        ],
        tolerations: [{ key: 'a', operator: 'Exists' }],
        volumes: [{ name: 'data', emptyDir: {} }],
      },
    },
  },
});

function apiError(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ApiError, `expected ApiError, got ${err}`);
    return err;
  }
  assert.fail('expected an error');
}

test('kubectl apply patch: renames a port by deleting the old merge key and adding the new', () => {
  const live = service();
  const patch = {
    metadata: { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' } },
    spec: {
      '$setElementOrder/ports': [{ port: 81 }],
      ports: [{ name: 'http', port: 81, targetPort: 9090 }, { $patch: 'delete', port: 80 }],
    },
  };
  const out = applyStrategicMergePatch(live, patch, 'Service');
  assert.deepEqual(out.spec.ports, [{ name: 'http', port: 81, targetPort: 9090 }]);
  assert.deepEqual(out.metadata.annotations, { a: '1', 'kubectl.kubernetes.io/last-applied-configuration': '{}' });
  assert.deepEqual(out.spec.selector, { app: 'file' });
  assert.equal(live.spec.ports[0].port, 80, 'input is not mutated');
});

test('kubectl set image: merges the container by name and keeps the others and their order', () => {
  const patch = { spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'web' }], containers: [{ image: 'nginx:2', name: 'web' }] } } } };
  const out = applyStrategicMergePatch(deployment(), patch, 'Deployment');
  const containers = out.spec.template.spec.containers;
  assert.deepEqual(containers.map((c: any) => c.name), ['web', 'side']);
  assert.equal(containers[0].image, 'nginx:2');
  assert.deepEqual(containers[0].ports, [{ containerPort: 80, protocol: 'TCP' }]);
  assert.deepEqual(containers[0].env, [{ name: 'A', value: '1' }]);
});

test('nested merge lists: container ports merge by containerPort, env by name', () => {
  const patch = { spec: { template: { spec: { containers: [{ name: 'web', ports: [{ containerPort: 443 }], env: [{ name: 'A', value: '2' }, { name: 'B', value: 'x' }] }] } } } };
  const out = applyStrategicMergePatch(deployment(), patch, 'Deployment');
  const web = out.spec.template.spec.containers[0];
  // Without $setElementOrder, upstream's mergeSortedSlice puts patch items that the live list
  // does not know ahead of the server-only ones.
  assert.deepEqual(web.ports, [{ containerPort: 443 }, { containerPort: 80, protocol: 'TCP' }]);
  assert.deepEqual(web.env, [{ name: 'A', value: '2' }, { name: 'B', value: 'x' }]);
});

test('lists without a merge strategy are replaced', () => {
  const patch = { spec: { template: { spec: { tolerations: [{ key: 'b', operator: 'Exists' }] } } } };
  const out = applyStrategicMergePatch(deployment(), patch, 'Deployment');
  assert.deepEqual(out.spec.template.spec.tolerations, [{ key: 'b', operator: 'Exists' }]);
  // The same field of an unknown kind is replaced too; Service ports would be merged.
  const svc = applyStrategicMergePatch(service(), { spec: { ports: [{ port: 81 }] } }, 'Service');
  assert.equal(svc.spec.ports.length, 2);
  const unknown = applyStrategicMergePatch(service(), { spec: { ports: [{ port: 81 }] } }, 'Widget');
  assert.deepEqual(unknown.spec.ports, [{ port: 81 }]);
});

test('null deletes a key; maps merge recursively; metadata.resourceVersion stays in the result', () => {
  const out = applyStrategicMergePatch(service(), { metadata: { resourceVersion: '7', labels: { app: null, tier: 'web' } }, spec: { type: 'NodePort', missing: null } }, 'Service');
  assert.deepEqual(out.metadata.labels, { tier: 'web' });
  assert.equal(out.metadata.resourceVersion, '7');
  assert.equal(out.spec.type, 'NodePort');
  assert.ok(!('missing' in out.spec));
});

test('finalizers merge as a set; $deleteFromPrimitiveList removes values', () => {
  const live = { metadata: { name: 'x', finalizers: ['a', 'b'] } };
  assert.deepEqual(applyStrategicMergePatch(live, { metadata: { finalizers: ['b', 'c'] } }, 'ConfigMap').metadata.finalizers, ['a', 'b', 'c']);
  assert.deepEqual(applyStrategicMergePatch(live, { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } }, 'ConfigMap').metadata.finalizers, ['b']);
  assert.deepEqual(
    applyStrategicMergePatch(live, { metadata: { '$setElementOrder/finalizers': ['c', 'b'], finalizers: ['c'], '$deleteFromPrimitiveList/finalizers': ['a'] } }, 'ConfigMap').metadata.finalizers,
    ['c', 'b'],
  );
});

test('$setElementOrder reorders a merge list without changing its items', () => {
  const live = service();
  live.spec.ports.push({ name: 'https', port: 443, protocol: 'TCP', targetPort: 8443 });
  const out = applyStrategicMergePatch(live, { spec: { '$setElementOrder/ports': [{ port: 443 }, { port: 80 }] } }, 'Service');
  assert.deepEqual(out.spec.ports.map((p: any) => p.port), [443, 80]);
});

test('$patch: replace and delete in maps', () => {
  const replaced = applyStrategicMergePatch(service(), { spec: { selector: { $patch: 'replace', run: 'x' } } }, 'Service');
  assert.deepEqual(replaced.spec.selector, { run: 'x' });
  const deleted = applyStrategicMergePatch(service(), { spec: { selector: { $patch: 'delete' } } }, 'Service');
  assert.deepEqual(deleted.spec.selector, {});
  const whole = applyStrategicMergePatch(service(), { $patch: 'replace', kind: 'Service', metadata: { name: 'n' } }, 'Service');
  assert.deepEqual(whole, { kind: 'Service', metadata: { name: 'n' } });
});

test('$patch: replace as a list element replaces the whole merge list', () => {
  const patch = { spec: { template: { spec: { containers: [{ name: 'only', image: 'x' }, { $patch: 'replace' }] } } } };
  const out = applyStrategicMergePatch(deployment(), patch, 'Deployment');
  assert.deepEqual(out.spec.template.spec.containers, [{ name: 'only', image: 'x' }]);
});

test('$retainKeys clears the keys it does not list (Deployment strategy, volumes)', () => {
  const patch = { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate', rollingUpdate: null } } };
  assert.deepEqual(applyStrategicMergePatch(deployment(), patch, 'Deployment').spec.strategy, { type: 'Recreate' });
  const vol = { spec: { template: { spec: { volumes: [{ name: 'data', $retainKeys: ['configMap', 'name'], configMap: { name: 'cfg' } }] } } } };
  assert.deepEqual(applyStrategicMergePatch(deployment(), vol, 'Deployment').spec.template.spec.volumes, [{ name: 'data', configMap: { name: 'cfg' } }]);
});

test('malformed directives are 400 BadRequest with the mergepatch messages', () => {
  const cases: [unknown, string][] = [
    [{ spec: { strategy: { $retainKeys: ['type'], rollingUpdate: {} } } }, 'invalid patch format of retainKeys'],
    [{ spec: { strategy: { $retainKeys: 'type' } } }, 'invalid patch format of retainKeys'],
    [{ metadata: { '$deleteFromPrimitiveList/finalizers': 'a' } }, 'invalid patch format of primitive list'],
    [{ spec: { '$setElementOrder/': [] } }, 'invalid patch format of setElementOrder list'],
  ];
  for (const [patch, message] of cases) {
    const err = apiError(() => applyStrategicMergePatch(deployment(), patch, 'Deployment'));
    assert.equal(err.code, 400);
    assert.equal(err.message, message);
  }
});

test('a patch that is not an object is 400 as the JSON decoder reports it', () => {
  const err = apiError(() => applyStrategicMergePatch(service(), [1], 'Service'));
  assert.equal(err.reason, 'BadRequest');
  assert.equal(err.message, 'json: cannot unmarshal array into Go value of type map[string]interface {}');
});

test('library errors pass through as 500: missing merge key, unknown directive, order mismatch', () => {
  const noKey = apiError(() => applyStrategicMergePatch(service(), { spec: { ports: [{ name: 'x' }] } }, 'Service'));
  assert.equal(noKey.code, 500);
  assert.equal(noKey.message, 'map: map[name:x] does not contain declared merge key: port');
  const unknown = apiError(() => applyStrategicMergePatch(service(), { spec: { selector: { $patch: 'bogus' } } }, 'Service'));
  assert.equal(unknown.code, 500);
  assert.match(unknown.message, /^unknown patch type: bogus in map:/);
  const order = apiError(() => applyStrategicMergePatch(service(), { spec: { '$setElementOrder/ports': [{ port: 80 }], ports: [{ port: 81 }] } }, 'Service'));
  assert.equal(order.code, 500);
  assert.match(order.message, /doesn't match \$setElementOrder list/);
});

test('lists of lists are 422', () => {
  const live = { metadata: { name: 'x', finalizers: ['a'] } };
  const err = apiError(() => applyStrategicMergePatch(live, { metadata: { finalizers: [['b']] } }, 'ConfigMap'));
  assert.equal(err.code, 422);
});

test('directives inside a value that is new to the object are resolved, not stored', () => {
  const live = { kind: 'Service', metadata: { name: 'x' }, spec: {} };
  const out = applyStrategicMergePatch(live, { spec: { '$setElementOrder/ports': [{ port: 81 }], ports: [{ port: 81 }, { $patch: 'delete', port: 80 }], selector: { a: 'b', c: null } } }, 'Service');
  assert.deepEqual(out.spec, { ports: [{ port: 81 }], selector: { a: 'b' } });
});

test('Node status addresses and conditions merge by type', () => {
  const live = { kind: 'Node', status: { addresses: [{ type: 'InternalIP', address: '10.0.0.1' }, { type: 'Hostname', address: 'n1' }], conditions: [{ type: 'Ready', status: 'False' }] } };
  const out = applyStrategicMergePatch(live, { status: { addresses: [{ type: 'InternalIP', address: '10.0.0.2' }], conditions: [{ type: 'Ready', status: 'True' }] } }, 'Node');
  assert.deepEqual(out.status.addresses, [{ type: 'InternalIP', address: '10.0.0.2' }, { type: 'Hostname', address: 'n1' }]);
  assert.deepEqual(out.status.conditions, [{ type: 'Ready', status: 'True' }]);
});
