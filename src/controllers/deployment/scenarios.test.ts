import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TestCluster, makeDeployment, T0 } from './test-cluster.ts';
import { REVISION_ANNOTATION, REVISION_HISTORY_ANNOTATION, planDeployment, podTemplateHash, deploymentStatus } from './index.ts';

const cond = (d: any, type: string) => d.status.conditions?.find((c: any) => c.type === type);
const setImage = (c: TestCluster, image: string) => c.editSpec((s) => { s.template.spec.containers[0].image = image; });

function settle(c: TestCluster, limit = 30): void {
  for (let i = 0; i < limit; i++) {
    c.step();
    if (c.rolloutDone() && c.rss.filter((r) => r.spec.replicas > 0).length === 1) { c.syncDeployment(); return; }
  }
  throw new Error(`no convergence: ${JSON.stringify(c.sizes())}`);
}

test('Recreate: old to zero, wait for every old pod to go, then the new one at full size', () => {
  const c = new TestCluster(makeDeployment({ replicas: 3, strategy: { type: 'Recreate' } }));
  settle(c);
  const old = c.newRs().metadata.name;
  c.holdTerminating = true;
  c.events.length = 0;
  setImage(c, 'nginx:2');
  c.syncDeployment();
  assert.deepEqual(c.events, [`Scaled down replica set ${old} from 3 to 0`]);
  assert.equal(c.rss.length, 1, 'no new ReplicaSet while old ones run');
  c.syncReplicaSets();
  assert.equal(c.pods.filter((p) => p.metadata.deletionTimestamp).length, 3);
  const waiting = c.syncDeployment();
  assert.deepEqual(waiting.actions, [], 'terminating old pods still count as running');
  c.finishTerminating();
  c.syncDeployment();
  const fresh = c.newRs();
  assert.notEqual(fresh.metadata.name, old);
  assert.equal(fresh.spec.replicas, 3);
  assert.deepEqual(c.events.slice(1), [`Scaled up replica set ${fresh.metadata.name} from 0 to 3`]);
  settle(c);
  assert.equal(c.d.metadata.annotations[REVISION_ANNOTATION], '2');
});

test('paused: no rollout, Progressing=Unknown DeploymentPaused; resume carries on', () => {
  const c = new TestCluster(makeDeployment({ replicas: 3 }));
  settle(c);
  const old = c.newRs().metadata.name;
  c.editSpec((s) => { s.paused = true; });
  setImage(c, 'nginx:2');
  const p = c.syncDeployment();
  assert.equal(p.actions.length, 0);
  assert.equal(c.rss.length, 1);
  assert.deepEqual([cond(c.d, 'Progressing').status, cond(c.d, 'Progressing').reason, cond(c.d, 'Progressing').message], ['Unknown', 'DeploymentPaused', 'Deployment is paused']);
  assert.equal(c.d.status.observedGeneration, 3);
  c.editSpec((s) => { s.replicas = 5; });
  c.syncDeployment();
  assert.equal(c.rs(old).spec.replicas, 5, 'scaling still happens while paused');
  assert.equal(c.rss.length, 1);
  c.editSpec((s) => { s.paused = false; });
  c.syncDeployment();
  assert.equal(c.rss.length, 2, 'the rollout starts once resumed');
  assert.equal(cond(c.d, 'Progressing').reason, 'NewReplicaSetCreated');
  settle(c);
  assert.equal(c.newRs().spec.replicas, 5);
});

test('scaling up mid-rollout spreads the new replicas by each ReplicaSet\'s share', () => {
  const c = new TestCluster(makeDeployment({ replicas: 10 }));
  settle(c);
  const old = c.newRs().metadata.name;
  setImage(c, 'nginx:2');
  c.syncDeployment();
  c.syncReplicaSets();
  const fresh = c.newRs().metadata.name;
  assert.deepEqual([c.rs(old).spec.replicas, c.rs(fresh).spec.replicas], [8, 3]);
  c.events.length = 0;
  c.editSpec((s) => { s.replicas = 20; });
  const p = c.syncDeployment();
  // allowed 25 (20 + surge 5), 11 now: old 8*25/13 → 15 (+7), new 3*25/13 → 6 (+3), leftover 4 to the largest.
  assert.deepEqual([c.rs(old).spec.replicas, c.rs(fresh).spec.replicas], [19, 6]);
  assert.deepEqual(c.events, [`Scaled up replica set ${old} from 8 to 19`, `Scaled up replica set ${fresh} from 3 to 6`]);
  for (const a of p.actions) {
    assert.equal((a as any).replicaSet.metadata.annotations['deployment.kubernetes.io/desired-replicas'], '20');
    assert.equal((a as any).replicaSet.metadata.annotations['deployment.kubernetes.io/max-replicas'], '25');
  }
  settle(c);
  assert.deepEqual([c.rs(old).spec.replicas, c.rs(fresh).spec.replicas], [0, 20]);
});

test('scaling down mid-rollout takes from the larger and older ReplicaSets first', () => {
  const c = new TestCluster(makeDeployment({ replicas: 10 }));
  settle(c);
  const old = c.newRs().metadata.name;
  setImage(c, 'nginx:2');
  c.syncDeployment();
  c.syncReplicaSets();
  const fresh = c.newRs().metadata.name;
  c.editSpec((s) => { s.replicas = 4; });
  c.syncDeployment();
  // allowed 5 (4 + surge 1), 11 now, -6 to hand out: old 8*5/13 → 3 (-5), new only the -1 left.
  assert.deepEqual([c.rs(old).spec.replicas, c.rs(fresh).spec.replicas], [3, 2]);
  settle(c);
  assert.deepEqual([c.rs(old).spec.replicas, c.rs(fresh).spec.replicas], [0, 4]);
});

test('scaling a settled Deployment resizes its one ReplicaSet', () => {
  const c = new TestCluster(makeDeployment({ replicas: 3 }));
  settle(c);
  c.events.length = 0;
  c.editSpec((s) => { s.replicas = 1; });
  c.syncDeployment();
  assert.deepEqual(c.events, [`Scaled down replica set ${c.newRs().metadata.name} from 3 to 1`]);
});

test('revision history: old ReplicaSets beyond the limit are deleted once at zero', () => {
  const c = new TestCluster(makeDeployment({ replicas: 2, revisionHistoryLimit: 2 }));
  settle(c);
  for (const image of ['nginx:2', 'nginx:3', 'nginx:4', 'nginx:5']) {
    setImage(c, image);
    settle(c);
  }
  c.syncDeployment();
  const revisions = c.rss.map((r) => r.metadata.annotations[REVISION_ANNOTATION]).sort();
  assert.deepEqual(revisions, ['3', '4', '5']);
  assert.equal(c.d.metadata.annotations[REVISION_ANNOTATION], '5');
});

test('rollback to an old template reuses its ReplicaSet with a bumped revision', () => {
  const c = new TestCluster(makeDeployment({ replicas: 2 }));
  settle(c);
  const first = c.newRs().metadata.name;
  setImage(c, 'nginx:2');
  settle(c);
  const count = c.rss.length;
  setImage(c, 'nginx:1'); // what `kubectl rollout undo` does
  const p = c.syncDeployment();
  assert.equal(p.newReplicaSetName, first);
  assert.equal(c.rss.length, count, 'no ReplicaSet created');
  assert.equal(c.rs(first).metadata.annotations[REVISION_ANNOTATION], '3');
  assert.equal(c.rs(first).metadata.annotations[REVISION_HISTORY_ANNOTATION], '1');
  settle(c);
  assert.equal(c.d.metadata.annotations[REVISION_ANNOTATION], '3');
  assert.equal(c.rs(first).spec.replicas, 2);
});

test('adoption of a matching orphan ReplicaSet, release of one the selector no longer matches', () => {
  const d = makeDeployment({ replicas: 2 });
  const hash = podTemplateHash(d.spec.template);
  const orphan = {
    apiVersion: 'apps/v1', kind: 'ReplicaSet',
    metadata: { name: `web-${hash}`, namespace: 'default', uid: 'orphan-uid', resourceVersion: '7', labels: { app: 'web', 'pod-template-hash': hash }, creationTimestamp: '2025-01-01T00:00:00Z', generation: 1 },
    spec: { replicas: 2, selector: { matchLabels: { app: 'web', 'pod-template-hash': hash } }, template: { ...structuredClone(d.spec.template), metadata: { labels: { app: 'web', 'pod-template-hash': hash } } } },
    status: { replicas: 2, readyReplicas: 2, availableReplicas: 2, observedGeneration: 1 },
  };
  const stray = {
    apiVersion: 'apps/v1', kind: 'ReplicaSet',
    metadata: { name: 'web-old', namespace: 'default', uid: 'stray-uid', labels: { app: 'other' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'dep-uid', controller: true }] },
    spec: { replicas: 0, selector: { matchLabels: { app: 'other' } }, template: { metadata: { labels: { app: 'other' } } } },
    status: {},
  };
  const plan = planDeployment(d, [orphan, stray], new Map(), new Date(T0));
  const [adopt, release] = plan.actions;
  assert.equal(adopt.op, 'adopt');
  assert.equal(adopt.replicaSet.metadata.name, `web-${hash}`);
  assert.deepEqual((adopt as any).patch, { metadata: { uid: 'orphan-uid', resourceVersion: '7', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'dep-uid', controller: true, blockOwnerDeletion: true }] } });
  assert.equal(release.op, 'release');
  assert.deepEqual((release as any).ownerReferences, []);
  assert.equal(plan.newReplicaSetName, `web-${hash}`, 'the adopted ReplicaSet is the new one; nothing is created');
  assert.ok(!plan.actions.some((a) => a.op === 'create'));
  assert.equal(plan.status.availableReplicas, 2);
});

test('a name collision bumps collisionCount instead of creating; the next hash differs', () => {
  const d = makeDeployment({ replicas: 1 });
  const hash = podTemplateHash(d.spec.template);
  const squatter = {
    metadata: { name: `web-${hash}`, namespace: 'default', uid: 'x', labels: { app: 'else' } },
    spec: { replicas: 1, selector: { matchLabels: { app: 'else' } }, template: { metadata: { labels: { app: 'else' } } } },
  };
  const p = planDeployment(d, [squatter], new Map(), new Date(T0));
  assert.deepEqual(p.actions, []);
  assert.equal(p.status.collisionCount, 1);
  d.status = p.status;
  const p2 = planDeployment(d, [squatter], new Map(), new Date(T0));
  assert.equal(p2.actions[0].op, 'create');
  assert.equal(p2.actions[0].replicaSet.metadata.name, `web-${podTemplateHash(d.spec.template, 1)}`);
  assert.notEqual(podTemplateHash(d.spec.template, 1), hash);
});

test('no progress for progressDeadlineSeconds → ProgressDeadlineExceeded', () => {
  const c = new TestCluster(makeDeployment({ replicas: 2, progressDeadlineSeconds: 60 }));
  c.syncDeployment();
  c.syncReplicaSets(); // pods never become ready
  c.tick(10);
  const p = c.syncDeployment();
  assert.equal(cond(c.d, 'Progressing').reason, 'ReplicaSetUpdated', 'pods appearing is progress');
  assert.ok(p.requeueAfterMs! > 45_000 && p.requeueAfterMs! <= 61_000, `requeue near the deadline: ${p.requeueAfterMs}`);
  c.tick(60);
  c.syncDeployment();
  assert.equal(cond(c.d, 'Progressing').reason, 'ReplicaSetUpdated', 'exactly at the deadline is not past it');
  c.tick(1);
  c.syncDeployment();
  const pc = cond(c.d, 'Progressing');
  assert.deepEqual([pc.status, pc.reason, pc.message], ['False', 'ProgressDeadlineExceeded', `ReplicaSet "${c.newRs().metadata.name}" has timed out progressing.`]);
  c.makeReady();
  c.syncReplicaSets();
  c.syncDeployment();
  assert.equal(cond(c.d, 'Progressing').reason, 'NewReplicaSetAvailable', 'a finished rollout clears the timeout');
});

test('lastTransitionTime holds while status stays True; lastUpdateTime moves with progress', () => {
  const c = new TestCluster(makeDeployment({ replicas: 3, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } }));
  c.syncDeployment();
  const created = cond(c.d, 'Progressing');
  c.syncReplicaSets();
  c.tick(5);
  c.makeReady((p) => p.metadata.name.endsWith('-1'));
  c.syncReplicaSets();
  c.syncDeployment();
  const progressed = cond(c.d, 'Progressing');
  assert.equal(progressed.reason, 'ReplicaSetUpdated');
  assert.equal(progressed.lastTransitionTime, created.lastTransitionTime);
  assert.notEqual(progressed.lastUpdateTime, created.lastUpdateTime);
});

test('deploymentStatus computes what a sync would write', () => {
  const c = new TestCluster(makeDeployment({ replicas: 2 }));
  settle(c);
  const s = deploymentStatus(c.d, c.rss, new Date(c.now));
  assert.deepEqual(
    [s.observedGeneration, s.replicas, s.updatedReplicas, s.readyReplicas, s.availableReplicas, s.unavailableReplicas],
    [1, 2, 2, 2, 2, undefined],
  );
  assert.deepEqual(s.conditions.map((x: any) => x.type).sort(), ['Available', 'Progressing']);
});
