import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nodePrinter, nodeRoles, nodeStatus } from './node.ts';

const NOW = Date.parse('2025-06-01T12:00:00Z');

const node = {
  metadata: {
    name: 'knet-control-plane', creationTimestamp: new Date(NOW - 3 * 86400_000).toISOString(),
    labels: { 'kubernetes.io/hostname': 'knet-control-plane', 'node-role.kubernetes.io/control-plane': '', 'node-role.kubernetes.io/worker': '' },
  },
  spec: {},
  status: {
    conditions: [{ type: 'MemoryPressure', status: 'False' }, { type: 'Ready', status: 'True' }],
    addresses: [{ type: 'Hostname', address: 'knet-control-plane' }, { type: 'InternalIP', address: '172.18.0.2' }, { type: 'InternalIP', address: '172.18.0.3' }],
    nodeInfo: { kubeletVersion: 'v1.33.0', osImage: 'Debian GNU/Linux 12 (bookworm)', kernelVersion: '6.1.0-18-amd64', containerRuntimeVersion: 'knet://0.1.0' },
  },
};

test('a ready control-plane node, wide cells included', () => {
  assert.deepEqual(nodePrinter.cells(node, NOW), [
    'knet-control-plane', 'Ready', 'control-plane,worker', '3d', 'v1.33.0',
    '172.18.0.2', '<none>', 'Debian GNU/Linux 12 (bookworm)', '6.1.0-18-amd64', 'knet://0.1.0',
  ]);
});

test('status: NotReady, Unknown, SchedulingDisabled', () => {
  assert.equal(nodeStatus({ status: { conditions: [{ type: 'Ready', status: 'False' }] } }), 'NotReady');
  assert.equal(nodeStatus({ status: { conditions: [{ type: 'Ready', status: 'Unknown' }] } }), 'NotReady');
  assert.equal(nodeStatus({ status: {} }), 'Unknown');
  assert.equal(nodeStatus({ spec: { unschedulable: true }, status: { conditions: [{ type: 'Ready', status: 'True' }] } }), 'Ready,SchedulingDisabled');
  assert.equal(nodeStatus({ spec: { unschedulable: true } }), 'Unknown,SchedulingDisabled');
});

test('roles: prefix labels, legacy kubernetes.io/role, <none>', () => {
  assert.equal(nodeRoles({ metadata: { labels: { 'kubernetes.io/role': 'master', 'node-role.kubernetes.io/': '' } } }), 'master');
  assert.equal(nodeRoles({ metadata: { labels: { 'kubernetes.io/role': '' } } }), '<none>');
  assert.equal(nodeRoles({ metadata: {} }), '<none>');
});

test('missing system info prints <unknown>, external IP shows', () => {
  const n = { metadata: { name: 'n2' }, status: { addresses: [{ type: 'ExternalIP', address: '198.51.100.4' }] } };
  assert.deepEqual(nodePrinter.cells(n, NOW), ['n2', 'Unknown', '<none>', '<unknown>', '', '<none>', '198.51.100.4', '<unknown>', '<unknown>', '<unknown>']);
});
