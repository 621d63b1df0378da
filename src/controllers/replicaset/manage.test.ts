import { test } from 'node:test';
import assert from 'node:assert/strict';
import { claimPods, planReplicaSet, podFromTemplate, slowStartBatches } from './index.ts';
import { makePod, makeRs, at, T0 } from './test-fixtures.ts';

const names = (xs: any[]) => xs.map((p) => p.metadata.name);

test('claimPods: owned by uid, orphans matching adopted, non-matching owned released', () => {
  const rs = makeRs();
  const pods = [
    makePod('mine'),
    makePod('orphan', { owner: null }),
    makePod('orphan-other-labels', { owner: null, labels: { app: 'db' } }),
    makePod('orphan-deleting', { owner: null, deleting: true }),
    makePod('someone-elses', { owner: 'other-uid' }),
    makePod('mine-relabelled', { labels: { app: 'web2' } }),
    makePod('mine-failed', { phase: 'Failed' }),
  ];
  const c = claimPods(rs, pods);
  assert.deepEqual(names(c.owned), ['mine', 'orphan']);
  assert.deepEqual(names(c.adopt), ['orphan']);
  assert.deepEqual(names(c.release), ['mine-relabelled']);
});

test('claimPods: an RS being deleted neither adopts nor releases', () => {
  const rs = makeRs();
  rs.metadata.deletionTimestamp = at(5);
  const c = claimPods(rs, [makePod('orphan', { owner: null }), makePod('mine-relabelled', { labels: { app: 'x' } }), makePod('mine')]);
  assert.deepEqual(names(c.owned), ['mine']);
  assert.equal(c.adopt.length, 0);
  assert.equal(c.release.length, 0);
});

test('slow-start batches double and cap at what is left', () => {
  assert.deepEqual(slowStartBatches(0), []);
  assert.deepEqual(slowStartBatches(1), [1]);
  assert.deepEqual(slowStartBatches(10), [1, 2, 4, 3]);
  assert.deepEqual(slowStartBatches(500).reduce((a, b) => a + b, 0), 500);
});

test('planReplicaSet creates the missing pods, ignoring inactive ones, capped at 500', () => {
  const rs = makeRs({ replicas: 3 });
  const p = planReplicaSet(rs, [makePod('a'), makePod('b', { deleting: true }), makePod('c', { phase: 'Succeeded' })]);
  assert.equal(p.create, 2);
  assert.deepEqual(p.batches, [1, 1]);
  assert.equal(planReplicaSet(makeRs({ replicas: 800 }), []).create, 500);
  assert.deepEqual(planReplicaSet(makeRs({ replicas: 1 }), [makePod('a')]), { create: 0, batches: [], delete: [] });
});

test('planReplicaSet deletes the most deletable pods when scaling down', () => {
  const rs = makeRs({ replicas: 2 });
  const pods = [
    makePod('old-ready', { ready: true, readySince: 0, created: 0 }),
    makePod('pending', { phase: 'Pending', ready: false, created: 50 }),
    makePod('unscheduled', { node: '', phase: 'Pending', created: 40 }),
    makePod('new-ready', { ready: true, readySince: 0, created: 0 }),
  ];
  const p = planReplicaSet(rs, pods, { now: new Date(T0 + 100_000) });
  assert.deepEqual(names(p.delete), ['unscheduled', 'pending']);
  assert.equal(p.create, 0);
});

test('an RS being deleted plans nothing', () => {
  const rs = makeRs({ replicas: 3 });
  rs.metadata.deletionTimestamp = at(1);
  assert.deepEqual(planReplicaSet(rs, []), { create: 0, batches: [], delete: [] });
});

test('podFromTemplate: generateName, labels, annotations, controller reference, spec, namespace', () => {
  const rs = makeRs({ name: 'web-5d4f8c9b7', uid: 'u-1' });
  rs.spec.template.metadata.annotations = { a: 'b' };
  const pod = podFromTemplate(rs);
  assert.equal(pod.metadata.generateName, 'web-5d4f8c9b7-');
  assert.equal(pod.metadata.name, undefined);
  assert.equal(pod.metadata.namespace, 'default');
  assert.deepEqual(pod.metadata.labels, { app: 'web' });
  assert.deepEqual(pod.metadata.annotations, { a: 'b' });
  assert.deepEqual(pod.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-5d4f8c9b7', uid: 'u-1', controller: true, blockOwnerDeletion: true }]);
  assert.deepEqual(pod.spec, rs.spec.template.spec);
  pod.spec.containers[0].image = 'changed';
  assert.equal(rs.spec.template.spec.containers[0].image, 'nginx', 'the template is copied, not shared');
});
