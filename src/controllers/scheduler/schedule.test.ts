import { test } from 'node:test';
import assert from 'node:assert/strict';
import { schedulePod } from './schedule.ts';

const ready = [{ type: 'Ready', status: 'True' }];

function node(name: string, extra: { labels?: Record<string, string>; taints?: any[]; unschedulable?: boolean; conditions?: any[] } = {}): any {
  return {
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...(extra.labels ?? {}) } },
    spec: { taints: extra.taints, unschedulable: extra.unschedulable },
    status: { conditions: extra.conditions ?? ready },
  };
}

function pod(name: string, spec: any = {}, meta: any = {}): any {
  return { metadata: { name, namespace: 'default', uid: `uid-${name}`, ...meta }, spec: { containers: [{ name: 'c' }], ...spec }, status: { phase: 'Pending' } };
}

const CP_TAINT = { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' };
const NOT_HELPFUL = (n: number) => `preemption: 0/${n} nodes are available: ${n} Preemption is not helpful for scheduling.`;

test('no nodes at all: upstream ErrNoNodesAvailable text', () => {
  assert.deepEqual(schedulePod(pod('p'), [], new Map()), { unschedulable: true, reason: 'Unschedulable', message: 'no nodes available to schedule pods' });
});

test('a ready node is chosen', () => {
  assert.deepEqual(schedulePod(pod('p'), [node('a')], new Map()), { nodeName: 'a' });
});

test('combined reasons are counted and sorted, preemption not helpful', () => {
  const nodes = [node('cp', { taints: [CP_TAINT] }), node('w1'), node('w2')];
  const r = schedulePod(pod('p', { nodeSelector: { disk: 'ssd' } }), nodes, new Map());
  assert.equal(r.message,
    "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) didn't match Pod's node affinity/selector. " + NOT_HELPFUL(3));
});

test('reason counts sort as strings, as Go sort.Strings does (10 before 2)', () => {
  const nodes = [...Array(10)].map((_, i) => node(`t${i}`, { taints: [{ key: 'k', value: 'v', effect: 'NoSchedule' }] }));
  nodes.push(node('u1', { unschedulable: true }), node('u2', { unschedulable: true }));
  const r = schedulePod(pod('p'), nodes, new Map());
  assert.equal(r.message, '0/12 nodes are available: 10 node(s) had untolerated taint {k: v}, 2 node(s) were unschedulable. ' + NOT_HELPFUL(12));
});

test('not-ready and unknown nodes fail on the taints the lifecycle controller would add', () => {
  const nodes = [node('a', { conditions: [{ type: 'Ready', status: 'False' }] }), node('b', { conditions: [] })];
  const r = schedulePod(pod('p'), nodes, new Map());
  assert.equal(r.message,
    '0/2 nodes are available: 1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }, 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }. ' + NOT_HELPFUL(2));
  const tolerant = pod('ds', { tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists' }] });
  assert.deepEqual(schedulePod(tolerant, nodes, new Map()), { nodeName: 'a' });
});

test('spec.unschedulable filters unless the unschedulable taint is tolerated', () => {
  const nodes = [node('a', { unschedulable: true })];
  assert.equal(schedulePod(pod('p'), nodes, new Map()).message, '0/1 nodes are available: 1 node(s) were unschedulable. ' + NOT_HELPFUL(1));
  const t = pod('p', { tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }] });
  assert.deepEqual(schedulePod(t, nodes, new Map()), { nodeName: 'a' });
});

test('tolerations: Equal needs the value, Exists with empty key tolerates all, effect must match', () => {
  const nodes = [node('a', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] })];
  const ok = (tols: any[]) => schedulePod(pod('p', { tolerations: tols }), nodes, new Map()).nodeName === 'a';
  assert.equal(ok([{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }]), true);
  assert.equal(ok([{ key: 'dedicated', value: 'gpu' }]), true);
  assert.equal(ok([{ key: 'dedicated', operator: 'Equal', value: 'cpu' }]), false);
  assert.equal(ok([{ key: 'dedicated', operator: 'Exists', effect: 'NoExecute' }]), false);
  assert.equal(ok([{ operator: 'Exists' }]), true);
  assert.equal(ok([]), false);
  // PreferNoSchedule never filters.
  const soft = [node('b', { taints: [{ key: 'x', effect: 'PreferNoSchedule' }] })];
  assert.deepEqual(schedulePod(pod('p'), soft, new Map()), { nodeName: 'b' });
});

test('required node affinity: operators and ORed terms', () => {
  const nodes = [node('a', { labels: { zone: 'z1', cores: '8' } }), node('b', { labels: { zone: 'z2', cores: '2' } }), node('c', { labels: {} })];
  const place = (terms: any[]) => {
    const p = pod('p', { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } } });
    const r = schedulePod(p, nodes, new Map());
    return r.nodeName ?? r.message;
  };
  assert.equal(place([{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['z2'] }] }]), 'b');
  assert.equal(place([{ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['z1', 'z2'] }] }]), 'c');
  assert.equal(place([{ matchExpressions: [{ key: 'zone', operator: 'DoesNotExist' }] }]), 'c');
  assert.equal(place([{ matchExpressions: [{ key: 'cores', operator: 'Gt', values: ['4'] }] }]), 'a');
  assert.equal(place([{ matchExpressions: [{ key: 'cores', operator: 'Lt', values: ['4'] }] }]), 'b');
  assert.equal(place([{ matchExpressions: [{ key: 'zone', operator: 'Exists' }, { key: 'cores', operator: 'Lt', values: ['4'] }] }]), 'b');
  assert.equal(place([{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['nowhere'] }] }, { matchExpressions: [{ key: 'cores', operator: 'Gt', values: ['4'] }] }]), 'a');
  assert.equal(place([{}]), "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector. " + NOT_HELPFUL(3));
});

test('matchFields metadata.name narrows in PreFilter; absent nodes report the plugin', () => {
  const nodes = [node('a'), node('b', { taints: [{ key: 'k', effect: 'NoExecute' }] }), node('c')];
  const pin = (names: string[]) => pod('p', { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: names }] }] } } } });
  assert.deepEqual(schedulePod(pin(['c']), nodes, new Map()), { nodeName: 'c' });
  assert.equal(schedulePod(pin(['b']), nodes, new Map()).message,
    "0/3 nodes are available: 1 node(s) had untolerated taint {k: }, 2 node(s) didn't satisfy plugin(s) [NodeAffinity]. " + NOT_HELPFUL(3));
  const conflict = pod('p', { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [
    { key: 'metadata.name', operator: 'In', values: ['a'] }, { key: 'metadata.name', operator: 'In', values: ['b'] }] }] } } } });
  assert.equal(schedulePod(conflict, nodes, new Map()).message, '0/3 nodes are available: pod affinity terms conflict. ' + NOT_HELPFUL(3));
});

test('hostPort conflicts are resolvable: preemption finds no victims', () => {
  const web = (name: string, hostIP?: string, protocol?: string) => pod(name, { containers: [{ name: 'c', ports: [{ containerPort: 80, hostPort: 8080, hostIP, protocol }] }] });
  const nodes = [node('a'), node('b', { taints: [CP_TAINT] })];
  const busy = new Map([['a', [web('old')]]]);
  assert.equal(schedulePod(web('new'), nodes, busy).message,
    "0/2 nodes are available: 1 node(s) didn't have free ports for the requested pod ports, 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }. "
    + 'preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.');
  // Different protocol, or two distinct host IPs, do not collide; 0.0.0.0 collides with any IP.
  assert.deepEqual(schedulePod(web('udp', undefined, 'UDP'), [node('a')], busy), { nodeName: 'a' });
  const pinned = new Map([['a', [web('old', '10.0.0.1')]]]);
  assert.deepEqual(schedulePod(web('other', '10.0.0.2'), [node('a')], pinned), { nodeName: 'a' });
  assert.equal(schedulePod(web('any'), [node('a')], pinned).unschedulable, true);
  // A finished pod no longer holds its port.
  const done = web('old'); done.status.phase = 'Succeeded';
  assert.deepEqual(schedulePod(web('new'), [node('a')], new Map([['a', [done]]])), { nodeName: 'a' });
});

test('preemptionPolicy Never says so instead', () => {
  const p = pod('p', { preemptionPolicy: 'Never', nodeSelector: { x: 'y' } });
  assert.equal(schedulePod(p, [node('a')], new Map()).message,
    "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector. preemption: not eligible due to preemptionPolicy=Never.");
});

test('replicas of one owner spread over three nodes, then fewest pods, then name', () => {
  const owner = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', uid: 'rs-1', controller: true };
  const nodes = [node('n3'), node('n1'), node('n2')];
  const placed = new Map<string, any[]>();
  // n1 already runs two unrelated pods: siblings count first, total pods second.
  placed.set('n1', [pod('x1'), pod('x2')]);
  const got: string[] = [];
  for (let i = 0; i < 3; i++) {
    const p = pod(`web-${i}`, {}, { ownerReferences: [owner] });
    const r = schedulePod(p, nodes, placed);
    assert.ok(r.nodeName);
    got.push(r.nodeName);
    placed.set(r.nodeName, [...(placed.get(r.nodeName) ?? []), p]);
  }
  assert.deepEqual(got, ['n2', 'n3', 'n1']);
  // A fourth replica goes where the pod count is lowest among nodes with one sibling.
  const r = schedulePod(pod('web-3', {}, { ownerReferences: [owner] }), nodes, placed);
  assert.equal(r.nodeName, 'n2');
});
