import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deploymentPrinter, replicaSetPrinter } from './apps.ts';

const NOW = Date.parse('2025-06-01T12:00:00Z');
const created = new Date(NOW - 2 * 86400_000 - 5 * 3600_000).toISOString();
const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }, { name: 'sidecar', image: 'busybox' }] } };

test('deployment: ready/desired, up-to-date, available, wide cells', () => {
  const d = {
    metadata: { name: 'web', creationTimestamp: created },
    spec: { replicas: 3, selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['b', 'a'] }] }, template },
    status: { replicas: 3, updatedReplicas: 2, readyReplicas: 1, availableReplicas: 1 },
  };
  assert.deepEqual(deploymentPrinter.cells(d, NOW), ['web', '1/3', 2, 1, '2d5h', 'app,sidecar', 'nginx:1.27,busybox', 'app=web,tier in (a,b)']);
});

test('deployment: fresh object with empty status; empty and invalid selectors', () => {
  const d = { metadata: { name: 'new' }, spec: { selector: {}, template }, status: {} };
  assert.deepEqual(deploymentPrinter.cells(d, NOW).slice(1, 4), ['0/1', 0, 0]);
  assert.equal(deploymentPrinter.cells(d, NOW)[7], '');
  const bad = { metadata: { name: 'bad' }, spec: { replicas: 0, selector: { matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }, template } };
  assert.deepEqual([deploymentPrinter.cells(bad, NOW)[1], deploymentPrinter.cells(bad, NOW)[7]], ['0/0', '<invalid>']);
});

test('replicaset: integer counts and a formatted selector', () => {
  const rs = {
    metadata: { name: 'web-7d9f8', creationTimestamp: created },
    spec: { replicas: 3, selector: { matchLabels: { app: 'web', 'pod-template-hash': '7d9f8' } }, template },
    status: { replicas: 3, readyReplicas: 2 },
  };
  assert.deepEqual(replicaSetPrinter.cells(rs, NOW), ['web-7d9f8', 3, 3, 2, '2d5h', 'app,sidecar', 'nginx:1.27,busybox', 'app=web,pod-template-hash=7d9f8']);
  const empty = { metadata: { name: 'e' }, spec: { replicas: 0, selector: {}, template: { spec: { containers: [] } } }, status: {} };
  assert.deepEqual(replicaSetPrinter.cells(empty, NOW).slice(1), [0, 0, 0, '<unknown>', '', '', '<none>']);
});
