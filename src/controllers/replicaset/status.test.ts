import { test } from 'node:test';
import assert from 'node:assert/strict';
import { replicaSetStatus } from './index.ts';
import { makePod, makeRs, T0 } from './test-fixtures.ts';

test('counts replicas, fully labelled, ready and available pods', () => {
  const rs = makeRs({ replicas: 3, minReadySeconds: 10, generation: 4 });
  rs.spec.template.metadata.labels.tier = 'front';
  const pods = [
    makePod('a', { ready: true, readySince: 0, labels: { app: 'web', tier: 'front' } }),
    makePod('b', { ready: true, readySince: 95 }),
    makePod('c', { ready: false }),
    makePod('gone', { ready: true, deleting: true }),
  ];
  const r = replicaSetStatus(rs, pods, new Date(T0 + 100_000));
  assert.equal(r.status.replicas, 3);
  assert.equal(r.status.fullyLabeledReplicas, 1);
  assert.equal(r.status.readyReplicas, 2);
  assert.equal(r.status.availableReplicas, 1, 'b has been ready 5s of the 10 required');
  assert.equal(r.status.observedGeneration, 4);
  assert.equal(r.status.terminatingReplicas, undefined);
  assert.equal(r.changed, true);
});

test('availability needs strictly more than minReadySeconds', () => {
  const rs = makeRs({ replicas: 1, minReadySeconds: 10 });
  const pods = [makePod('a', { ready: true, readySince: 0 })];
  assert.equal(replicaSetStatus(rs, pods, new Date(T0 + 10_000)).status.availableReplicas, 0);
  assert.equal(replicaSetStatus(rs, pods, new Date(T0 + 10_001)).status.availableReplicas, 1);
  assert.equal(replicaSetStatus(rs, pods, new Date(T0 + 10_000)).requeueAfterMs, 10_000);
});

test('an unchanged status is reported as such', () => {
  const rs = makeRs({ replicas: 1, status: { replicas: 1, fullyLabeledReplicas: 1, readyReplicas: 1, availableReplicas: 1, observedGeneration: 1 } });
  assert.equal(replicaSetStatus(rs, [makePod('a', { ready: true })], new Date(T0)).changed, false);
});

test('ReplicaFailure appears on a failed create and goes on a clean sync', () => {
  const rs = makeRs({ replicas: 2 });
  const r = replicaSetStatus(rs, [], new Date(T0), { message: 'pods "web-abc-x" is forbidden: exceeded quota' });
  assert.deepEqual(r.status.conditions, [{
    type: 'ReplicaFailure', status: 'True', lastTransitionTime: '2025-01-01T00:00:00Z', reason: 'FailedCreate',
    message: 'pods "web-abc-x" is forbidden: exceeded quota',
  }]);
  rs.status = r.status;
  const again = replicaSetStatus(rs, [], new Date(T0 + 5000), { message: 'other' });
  assert.equal(again.status.conditions[0].message, 'pods "web-abc-x" is forbidden: exceeded quota', 'an existing failure is kept');
  const clean = replicaSetStatus(rs, [makePod('a'), makePod('b')], new Date(T0 + 9000));
  assert.equal(clean.status.conditions, undefined);
  assert.equal(clean.changed, true);
});

test('too many pods and a failed delete give FailedDelete', () => {
  const rs = makeRs({ replicas: 1 });
  const r = replicaSetStatus(rs, [makePod('a'), makePod('b')], new Date(T0), { message: 'boom' });
  assert.equal(r.status.conditions[0].reason, 'FailedDelete');
});
