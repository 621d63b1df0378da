import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TestCluster, makeDeployment } from './test-cluster.ts';
import { REVISION_ANNOTATION } from './index.ts';

const cond = (d: any, type: string) => d.status.conditions?.find((c: any) => c.type === type);

function runToCompletion(c: TestCluster, limit = 20): number {
  for (let i = 0; i < limit; i++) {
    c.step();
    if (c.rolloutDone() && c.rss.filter((r) => r.spec.replicas > 0).length === 1) {
      c.syncDeployment(); // the sync that notices completion
      return i;
    }
  }
  throw new Error(`no convergence: ${JSON.stringify(c.sizes())}`);
}

test('a new 3-replica Deployment creates its ReplicaSet, then reports success', () => {
  const c = new TestCluster(makeDeployment({ replicas: 3, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } }));
  const p1 = c.syncDeployment();
  assert.equal(p1.actions.length, 1);
  const create = p1.actions[0];
  assert.equal(create.op, 'create');
  const rs = (create as any).replicaSet;
  assert.match(rs.metadata.name, /^web-[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
  const hash = rs.metadata.name.slice(4);
  assert.deepEqual(rs.metadata.labels, { app: 'web', 'pod-template-hash': hash });
  assert.deepEqual(rs.spec.selector, { matchLabels: { app: 'web', 'pod-template-hash': hash } });
  assert.equal(rs.spec.template.metadata.labels['pod-template-hash'], hash);
  assert.equal(rs.spec.replicas, 3);
  assert.deepEqual(rs.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'dep-uid', controller: true, blockOwnerDeletion: true }]);
  assert.deepEqual(rs.metadata.annotations, {
    'deployment.kubernetes.io/revision': '1', 'deployment.kubernetes.io/desired-replicas': '3', 'deployment.kubernetes.io/max-replicas': '4',
  });
  assert.equal(rs.metadata.uid, undefined);
  assert.equal(rs.metadata.creationTimestamp, undefined);
  assert.deepEqual((create as any).events.map((e: any) => [e.reason, e.message]), [['ScalingReplicaSet', `Scaled up replica set ${rs.metadata.name} from 0 to 3`]]);
  assert.equal(p1.annotations?.[REVISION_ANNOTATION], '1');
  assert.equal(p1.status.observedGeneration, 1);
  assert.equal(p1.status.replicas, undefined, 'zero counts are omitted, as the API serves them');
  assert.equal(cond(c.d, 'Progressing').reason, 'NewReplicaSetCreated');
  assert.equal(cond(c.d, 'Progressing').message, `Created new replica set "${rs.metadata.name}"`);
  assert.deepEqual(
    [cond(c.d, 'Available').status, cond(c.d, 'Available').reason, cond(c.d, 'Available').message],
    ['False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.'],
  );
  c.syncReplicaSets();
  c.makeReady();
  c.syncReplicaSets();
  const p2 = c.syncDeployment();
  assert.equal(p2.actions.length, 0);
  assert.equal(cond(c.d, 'Available').reason, 'MinimumReplicasAvailable');
  assert.equal(cond(c.d, 'Progressing').reason, 'NewReplicaSetAvailable');
  assert.equal(c.rolloutDone(), true);
  assert.equal(c.syncDeployment().status, undefined, 'a steady state writes nothing');
});

test('3 replicas, maxSurge 1 / maxUnavailable 0: one pod at a time, never below 3 available', () => {
  const c = new TestCluster(makeDeployment({ replicas: 3, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } }));
  runToCompletion(c);
  const first = c.newRs().metadata.name;
  assert.equal(cond(c.d, 'Progressing').reason, 'NewReplicaSetAvailable');
  assert.equal(cond(c.d, 'Progressing').message, `ReplicaSet "${first}" has successfully progressed.`);
  c.events.length = 0;

  c.editSpec((s) => { s.template.spec.containers[0].image = 'nginx:2'; });
  assert.equal(c.rolloutDone(), false, 'observedGeneration lags generation');
  for (let i = 0; i < 20 && !(c.rolloutDone() && c.rs(first).spec.replicas === 0); i++) {
    c.step();
    const total = c.rss.reduce((n, r) => n + r.spec.replicas, 0);
    assert.ok(total <= 4, `surge bounded: ${total}`);
    const available = c.rss.reduce((n, r) => n + (r.status.availableReplicas ?? 0), 0);
    assert.ok(available >= 3, `never below 3 available: ${available}`);
  }
  const second = c.newRs().metadata.name;
  assert.notEqual(second, first);
  assert.deepEqual(c.events, [
    `Scaled up replica set ${second} from 0 to 1`,
    `Scaled down replica set ${first} from 3 to 2`,
    `Scaled up replica set ${second} from 1 to 2`,
    `Scaled down replica set ${first} from 2 to 1`,
    `Scaled up replica set ${second} from 2 to 3`,
    `Scaled down replica set ${first} from 1 to 0`,
  ]);
  c.syncDeployment();
  assert.equal(c.d.metadata.annotations[REVISION_ANNOTATION], '2');
  assert.equal(c.rs(second).metadata.annotations[REVISION_ANNOTATION], '2');
  const s = c.d.status;
  assert.deepEqual([s.replicas, s.updatedReplicas, s.readyReplicas, s.availableReplicas, s.unavailableReplicas], [3, 3, 3, 3, undefined]);
  assert.equal(cond(c.d, 'Progressing').message, `ReplicaSet "${second}" has successfully progressed.`);
  assert.equal(c.rolloutDone(), true);
});

test('intermediate status: kubectl rollout status sees updated/available counts move', () => {
  const c = new TestCluster(makeDeployment({ replicas: 3, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } }));
  runToCompletion(c);
  c.editSpec((s) => { s.template.spec.containers[0].image = 'nginx:2'; });
  c.step(false); // new ReplicaSet at 1, its pod not ready
  c.syncDeployment();
  const s = c.d.status;
  assert.equal(s.observedGeneration, 2);
  assert.equal(s.updatedReplicas, 1);
  assert.equal(s.replicas, 4);
  assert.equal(s.availableReplicas, 3);
  assert.equal(s.unavailableReplicas, 1);
  assert.equal(cond(c.d, 'Progressing').reason, 'ReplicaSetUpdated');
  assert.equal(cond(c.d, 'Progressing').message, `ReplicaSet "${c.newRs().metadata.name}" is progressing.`);
  assert.equal(c.rolloutDone(), false);
});

test('25%/25% with 10 replicas: surge 3, unavailable 2', () => {
  const c = new TestCluster(makeDeployment({ replicas: 10 }));
  runToCompletion(c);
  const old = c.newRs().metadata.name;
  assert.equal(c.rs(old).metadata.annotations['deployment.kubernetes.io/max-replicas'], '13');
  c.editSpec((s) => { s.template.spec.containers[0].image = 'nginx:2'; });
  c.syncDeployment(); // creating the new ReplicaSet does not end the sync: old drops by maxUnavailable
  const fresh = c.newRs().metadata.name;
  assert.deepEqual([c.rs(old).spec.replicas, c.rs(fresh).spec.replicas], [8, 3]);
  c.syncReplicaSets();
  c.syncDeployment(); // new pods not ready: the new side refills the surge, the old may not drop
  assert.deepEqual([c.rs(old).spec.replicas, c.rs(fresh).spec.replicas], [8, 5]);
  c.syncReplicaSets();
  c.syncDeployment();
  assert.deepEqual([c.rs(old).spec.replicas, c.rs(fresh).spec.replicas], [8, 5], 'stuck until new pods are available');
  c.syncReplicaSets();
  for (let i = 0; i < 20 && !c.rolloutDone(); i++) {
    c.step();
    const total = c.rss.reduce((n, r) => n + r.spec.replicas, 0);
    assert.ok(total <= 13, `at most 13 pods wanted: ${total}`);
  }
  assert.deepEqual([c.rs(old).spec.replicas, c.rs(fresh).spec.replicas], [0, 10]);
});

test('percentages round as upstream: surge up, unavailable down, both zero → unavailable 1', async () => {
  const { maxSurge, maxUnavailable } = await import('./index.ts');
  const d = (n: number, s: any, u: any) => makeDeployment({ replicas: n, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: s, maxUnavailable: u } } });
  assert.deepEqual([maxSurge(d(10, '25%', '25%')), maxUnavailable(d(10, '25%', '25%'))], [3, 2]);
  assert.deepEqual([maxSurge(d(1, '25%', '25%')), maxUnavailable(d(1, '25%', '25%'))], [1, 0]);
  assert.deepEqual([maxSurge(d(3, 0, 0)), maxUnavailable(d(3, 0, 0))], [0, 1]);
  assert.deepEqual([maxSurge(d(3, '10%', '10%')), maxUnavailable(d(3, '10%', '10%'))], [1, 0]);
  assert.equal(maxUnavailable(d(2, 0, 5)), 2, 'capped at replicas');
  assert.equal(maxUnavailable(makeDeployment({ replicas: 3, strategy: { type: 'Recreate' } })), 0);
});
