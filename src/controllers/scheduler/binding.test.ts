import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bindingFor, failedSchedulingEvent, needsScheduling, scheduledEvent, unschedulableCondition } from './binding.ts';

const p = { metadata: { name: 'web-0', namespace: 'shop', uid: 'u1' }, spec: { containers: [] }, status: { phase: 'Pending' } };
const now = new Date('2025-05-01T10:00:00.123Z');

test('binding body targets the node and carries the pod uid', () => {
  assert.deepEqual(bindingFor(p, 'n1'), {
    apiVersion: 'v1', kind: 'Binding', metadata: { name: 'web-0', namespace: 'shop', uid: 'u1' }, target: { kind: 'Node', name: 'n1' },
  });
});

test('unschedulable condition as upstream writes it; transition time kept while False', () => {
  const c = unschedulableCondition('0/1 nodes are available: x.', now);
  assert.deepEqual(c, {
    type: 'PodScheduled', status: 'False', lastProbeTime: null, lastTransitionTime: '2025-05-01T10:00:00Z', reason: 'Unschedulable', message: '0/1 nodes are available: x.',
  });
  const later = unschedulableCondition('other', new Date('2025-05-01T11:00:00Z'), c);
  assert.equal(later.lastTransitionTime, '2025-05-01T10:00:00Z');
  assert.equal(later.message, 'other');
});

test('events: Scheduled and FailedScheduling (truncated to the note limit)', () => {
  assert.deepEqual(scheduledEvent(p, 'n1'), {
    type: 'Normal', reason: 'Scheduled', action: 'Binding', message: 'Successfully assigned shop/web-0 to n1',
    object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-0', namespace: 'shop', uid: 'u1' } },
  });
  const long = 'x'.repeat(2000);
  const ev = failedSchedulingEvent(p, long);
  assert.equal(ev.type, 'Warning');
  assert.equal(ev.reason, 'FailedScheduling');
  assert.equal(ev.message.length, 1024);
  assert.ok(ev.message.endsWith(' ...'));
  assert.equal(failedSchedulingEvent(p, 'short').message, 'short');
});

test('needsScheduling skips bound, finished, gated, deleted and foreign-scheduler pods', () => {
  assert.equal(needsScheduling(p), true);
  assert.equal(needsScheduling({ ...p, spec: { nodeName: 'n1' } }), false);
  assert.equal(needsScheduling({ ...p, spec: { schedulerName: 'other' } }), false);
  assert.equal(needsScheduling({ ...p, spec: { schedulingGates: [{ name: 'g' }] } }), false);
  assert.equal(needsScheduling({ ...p, status: { phase: 'Failed' } }), false);
  assert.equal(needsScheduling({ ...p, metadata: { ...p.metadata, deletionTimestamp: 'x' } }), false);
});
