import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planPodCIDRs, podCidrPatch } from './range-allocator.ts';

const opts = { clusterCIDR: '10.244.0.0/16', nodeMaskSize: 24 };
let clock = 0;
function node(name: string, podCIDR?: string, uid = `uid-${name}`): any {
  clock++;
  const ts = `2025-01-01T00:00:${String(clock).padStart(2, '0')}Z`;
  return { metadata: { name, uid, creationTimestamp: ts }, spec: podCIDR ? { podCIDR, podCIDRs: [podCIDR] } : {} };
}
const apply = (nodes: any[], plan: ReturnType<typeof planPodCIDRs>) =>
  nodes.map((n) => {
    const a = plan.assign.find((x) => x.node === n.metadata.name);
    return a ? { ...n, spec: { ...n.spec, ...podCidrPatch(a).spec } } : n;
  });

test('new nodes get the lowest free blocks, oldest node first', () => {
  const nodes = [node('b'), node('a'), node('c')];
  const plan = planPodCIDRs(nodes, opts);
  assert.deepEqual(plan.assign, [
    { node: 'b', podCIDR: '10.244.0.0/24', podCIDRs: ['10.244.0.0/24'] },
    { node: 'a', podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24'] },
    { node: 'c', podCIDR: '10.244.2.0/24', podCIDRs: ['10.244.2.0/24'] },
  ]);
  assert.deepEqual(plan.errors, []);
  // Re-planning over the patched nodes changes nothing.
  assert.deepEqual(planPodCIDRs(apply(nodes, plan), opts), { assign: [], errors: [], events: [] });
});

test('existing CIDRs are kept and never handed out again', () => {
  const nodes = [node('x', '10.244.0.0/24'), node('y', '10.244.2.0/24'), node('z')];
  assert.deepEqual(planPodCIDRs(nodes, opts).assign, [{ node: 'z', podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24'] }]);
});

test('a deleted node frees its block for the next new node', () => {
  const first = [node('n1', '10.244.0.0/24'), node('n2', '10.244.1.0/24'), node('n3', '10.244.2.0/24')];
  const afterDelete = [first[0], first[2], node('n4')];
  assert.deepEqual(planPodCIDRs(afterDelete, opts).assign, [{ node: 'n4', podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24'] }]);
});

test('full range: CIDRNotAvailable error and node event', () => {
  const small = { clusterCIDR: '10.244.0.0/23', nodeMaskSize: 24 };
  const nodes = [node('a'), node('b'), node('c', undefined, 'uid-c')];
  const plan = planPodCIDRs(nodes, small);
  assert.deepEqual(plan.assign.map((a) => a.podCIDR), ['10.244.0.0/24', '10.244.1.0/24']);
  assert.deepEqual(plan.errors, [{
    node: 'c', reason: 'CIDRNotAvailable',
    message: 'failed to allocate cidr from cluster cidr at idx:0: CIDR allocation failed; there are no remaining CIDRs left to allocate in the accepted range',
  }]);
  assert.deepEqual(plan.events, [{ type: 'Normal', reason: 'CIDRNotAvailable', message: 'Node c status is now: CIDRNotAvailable', object: { apiVersion: 'v1', kind: 'Node', metadata: { name: 'c', uid: 'uid-c' } } }]);
});

test('a CIDR outside the cluster CIDR is reported and the node keeps it', () => {
  const nodes = [node('odd', '10.99.0.0/24'), node('new')];
  const plan = planPodCIDRs(nodes, opts);
  assert.deepEqual(plan.errors, [{
    node: 'odd', reason: 'InvalidPodCIDR',
    message: 'failed to mark cidr[10.99.0.0/24] at idx [0] as occupied for node: odd: cidr 10.99.0.0/24 is out the range of cluster cidr 10.244.0.0/16',
  }]);
  assert.deepEqual(plan.assign, [{ node: 'new', podCIDR: '10.244.0.0/24', podCIDRs: ['10.244.0.0/24'] }]);
});

test('two nodes claiming one block both keep it, as upstream', () => {
  const nodes = [node('a', '10.244.0.0/24'), node('b', '10.244.0.0/24'), node('c')];
  const plan = planPodCIDRs(nodes, opts);
  assert.deepEqual(plan.errors, []);
  assert.deepEqual(plan.assign.map((a) => a.podCIDR), ['10.244.1.0/24']);
});

test('a larger existing CIDR occupies every block it covers; the service range is skipped', () => {
  const nodes = [node('big', '10.244.0.0/23'), node('n')];
  assert.equal(planPodCIDRs(nodes, opts).assign[0].podCIDR, '10.244.2.0/24');
  const withSvc = { ...opts, serviceCIDR: '10.244.0.0/24' };
  assert.equal(planPodCIDRs([node('m')], withSvc).assign[0].podCIDR, '10.244.1.0/24');
});

test('garbage and dual-stack leftovers are reported', () => {
  const bad = node('bad');
  bad.spec = { podCIDR: 'nope', podCIDRs: ['nope'] };
  const dual = node('dual');
  dual.spec = { podCIDR: '10.244.5.0/24', podCIDRs: ['10.244.5.0/24', 'fd00:10:244::/64'] };
  const plan = planPodCIDRs([bad, dual], opts);
  assert.deepEqual(plan.errors.map((e) => e.message), [
    'failed to parse node bad, CIDR nope',
    'node:dual has an allocated cidr: fd00:10:244::/64 at index:1 that does not exist in cluster cidrs configuration',
  ]);
});

test('bad options throw', () => {
  assert.throws(() => planPodCIDRs([], { clusterCIDR: '10.244.0.0/16', nodeMaskSize: 8 }), /mask size/);
  assert.throws(() => planPodCIDRs([], { clusterCIDR: 'x', nodeMaskSize: 24 }), /CIDR/);
});
