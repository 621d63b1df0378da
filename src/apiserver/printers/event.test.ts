import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventPrinter, eventsV1Printer } from './event.ts';

const NOW = Date.parse('2025-06-01T12:00:00Z');
const ago = (ms: number) => new Date(NOW - ms).toISOString();

test('core event: default and wide cells in column order', () => {
  const ev = {
    metadata: { name: 'web-7d9f8.17f1a2b3c4d5e6f7', namespace: 'default' },
    involvedObject: { kind: 'Pod', name: 'web-7d9f8', fieldPath: 'spec.containers{app}' },
    reason: 'Pulled', message: 'Successfully pulled image "nginx"\n', type: 'Normal',
    source: { component: 'kubelet', host: 'node-1' },
    firstTimestamp: ago(10 * 60_000), lastTimestamp: ago(2 * 60_000), count: 4,
  };
  assert.deepEqual(eventPrinter.cells(ev, NOW), [
    '2m', 'Normal', 'Pulled', 'pod/web-7d9f8', 'spec.containers{app}', 'kubelet, node-1',
    'Successfully pulled image "nginx"', '10m', 4, 'web-7d9f8.17f1a2b3c4d5e6f7',
  ]);
  const names = eventPrinter.columns.map((c) => `${c.name}${c.priority ? '*' : ''}`);
  assert.deepEqual(names, ['Last Seen', 'Type', 'Reason', 'Object', 'Subobject*', 'Source*', 'Message', 'First Seen*', 'Count*', 'Name*']);
  assert.equal(eventPrinter.columns[9].format, 'name');
});

test('core event without timestamps falls back to eventTime, count 1, reporting fields', () => {
  const ev = {
    metadata: { name: 'x' }, involvedObject: { kind: 'Node' }, reason: 'RegisteredNode', type: 'Normal',
    eventTime: ago(30_000), reportingComponent: 'node-controller', reportingInstance: '', source: {},
  };
  assert.deepEqual(eventPrinter.cells(ev, NOW).slice(0, 9), ['30s', 'Normal', 'RegisteredNode', 'node', '', 'node-controller', '', '30s', 1]);
});

test('a series reports its last observation and its count', () => {
  const ev = { metadata: { name: 'x' }, involvedObject: { kind: 'Pod', name: 'p' }, eventTime: ago(3600_000), series: { count: 7, lastObservedTime: ago(15_000) } };
  const cells = eventPrinter.cells(ev, NOW);
  assert.equal(cells[0], '15s');
  assert.equal(cells[7], '60m');
  assert.equal(cells[8], 7);
});

test('events.k8s.io events print like their core view', () => {
  const ev = {
    apiVersion: 'events.k8s.io/v1', kind: 'Event',
    metadata: { name: 'web.1', namespace: 'default' },
    regarding: { kind: 'Deployment', name: 'web' }, reason: 'ScalingReplicaSet', note: 'Scaled up replica set web-7d9f8 to 3', type: 'Normal',
    eventTime: ago(5 * 60_000), reportingController: 'deployment-controller', reportingInstance: 'knet-controller-manager',
  };
  assert.deepEqual(eventsV1Printer.cells(ev, NOW), [
    '5m', 'Normal', 'ScalingReplicaSet', 'deployment/web', '', 'deployment-controller, knet-controller-manager',
    'Scaled up replica set web-7d9f8 to 3', '5m', 1, 'web.1',
  ]);
  const legacy = { metadata: { name: 'old' }, regarding: { kind: 'Pod', name: 'p' }, deprecatedFirstTimestamp: ago(20 * 60_000), deprecatedLastTimestamp: ago(60_000), deprecatedCount: 3, deprecatedSource: { component: 'kubelet' } };
  const cells = eventsV1Printer.cells(legacy, NOW);
  assert.deepEqual([cells[0], cells[5], cells[7], cells[8]], ['60s', 'kubelet', '20m', 3]);
});

test('an event with no time at all shows <unknown>', () => {
  const cells = eventPrinter.cells({ metadata: { name: 'x' }, involvedObject: { kind: 'Pod', name: 'p' } }, NOW);
  assert.equal(cells[0], '<unknown>');
  assert.equal(cells[7], '<unknown>');
});
