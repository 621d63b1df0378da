import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planLoadBalancerIPs, loadBalancerStatusPatch } from './plan.ts';
import { DEFAULT_LB_POOL, parsePool } from './pool.ts';

let clock = 0;
function svc(name: string, opts: { type?: string; ip?: string; ann?: string; cls?: string; status?: string; ts?: number } = {}): any {
  clock++;
  const ts = `2025-01-01T00:${String(opts.ts ?? clock).padStart(2, '0')}:00Z`;
  return {
    metadata: { name, namespace: 'default', uid: `uid-${name}`, creationTimestamp: ts, annotations: opts.ann ? { 'metallb.universe.tf/loadBalancerIPs': opts.ann } : {} },
    spec: { type: opts.type ?? 'LoadBalancer', loadBalancerIP: opts.ip, loadBalancerClass: opts.cls },
    status: opts.status ? { loadBalancer: { ingress: [{ ip: opts.status, ipMode: 'VIP' }] } } : {},
  };
}
const ref = (name: string) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default', uid: `uid-${name}` } });
/** Applies a plan the way the loop would, for re-planning. */
function apply(services: any[], plan: ReturnType<typeof planLoadBalancerIPs>): any[] {
  return services.map((s) => {
    const u = plan.update.find((x) => x.service.metadata.name === s.metadata.name);
    if (u) return { ...s, status: { loadBalancer: { ingress: u.ingress } } };
    if (plan.clear.some((c) => c.metadata.name === s.metadata.name)) return { ...s, status: { loadBalancer: {} } };
    return s;
  });
}

test('allocation: lowest free pool address, IPAllocated event in MetalLB words', () => {
  const plan = planLoadBalancerIPs([svc('a'), svc('b')], DEFAULT_LB_POOL);
  assert.deepEqual(plan.update, [
    { service: ref('a'), ingress: [{ ip: '172.18.255.200', ipMode: 'VIP' }] },
    { service: ref('b'), ingress: [{ ip: '172.18.255.201', ipMode: 'VIP' }] },
  ]);
  assert.deepEqual(plan.events[0], { type: 'Normal', reason: 'IPAllocated', message: 'Assigned IP ["172.18.255.200"]', object: ref('a') });
  assert.deepEqual(plan.allocations, [
    { ip: '172.18.255.200', namespace: 'default', name: 'a' },
    { ip: '172.18.255.201', namespace: 'default', name: 'b' },
  ]);
});

test('stability: re-planning the applied result changes nothing and emits nothing', () => {
  const services = [svc('a'), svc('b', { ip: '172.18.255.220' }), svc('c', { ann: '172.18.255.230' })];
  const first = planLoadBalancerIPs(services, DEFAULT_LB_POOL);
  const again = planLoadBalancerIPs(apply(services, first), DEFAULT_LB_POOL);
  assert.deepEqual(again.update, []);
  assert.deepEqual(again.clear, []);
  assert.deepEqual(again.events, []);
  assert.deepEqual(again.allocations, first.allocations);
});

test('a held address is kept even when a lower one is free', () => {
  const plan = planLoadBalancerIPs([svc('old', { status: '172.18.255.240' }), svc('new')], DEFAULT_LB_POOL);
  assert.deepEqual(plan.update, [{ service: ref('new'), ingress: [{ ip: '172.18.255.200', ipMode: 'VIP' }] }]);
});

test('requested IP honoured from spec.loadBalancerIP and both annotations', () => {
  const io = svc('io');
  io.metadata.annotations = { 'metallb.io/loadBalancerIPs': '172.18.255.212' };
  const plan = planLoadBalancerIPs([svc('spec', { ip: '172.18.255.210' }), svc('ann', { ann: '172.18.255.211' }), io], DEFAULT_LB_POOL);
  assert.deepEqual(plan.allocations.map((a) => `${a.name}=${a.ip}`), ['spec=172.18.255.210', 'ann=172.18.255.211', 'io=172.18.255.212']);
});

test('a changed request moves the Service to the new address', () => {
  const plan = planLoadBalancerIPs([svc('a', { status: '172.18.255.200', ann: '172.18.255.205' })], DEFAULT_LB_POOL);
  assert.deepEqual(plan.update, [{ service: ref('a'), ingress: [{ ip: '172.18.255.205', ipMode: 'VIP' }] }]);
});

test('requested IP outside the pool is refused with an AllocationFailed Warning', () => {
  const plan = planLoadBalancerIPs([svc('a', { ip: '10.0.0.9' })], DEFAULT_LB_POOL);
  assert.deepEqual(plan.update, []);
  assert.deepEqual(plan.events, [{
    type: 'Warning', reason: 'AllocationFailed', object: ref('a'),
    message: 'Failed to allocate IP for "default/a": requested IP "10.0.0.9" is outside the LoadBalancer pool 172.18.255.200-172.18.255.250',
  }]);
});

test('two Services asking for the same IP: the older gets it, then it sticks', () => {
  const younger = svc('young', { ip: '172.18.255.222', ts: 50 });
  const older = svc('elder', { ann: '172.18.255.222', ts: 10 });
  const plan = planLoadBalancerIPs([younger, older], DEFAULT_LB_POOL);
  assert.deepEqual(plan.update, [{ service: ref('elder'), ingress: [{ ip: '172.18.255.222', ipMode: 'VIP' }] }]);
  assert.deepEqual(plan.events.filter((e) => e.type === 'Warning'), [{
    type: 'Warning', reason: 'AllocationFailed', object: ref('young'),
    message: 'Failed to allocate IP for "default/young": requested IP "172.18.255.222" is already used by service default/elder',
  }]);
  const again = planLoadBalancerIPs(apply([younger, older], plan), DEFAULT_LB_POOL);
  assert.deepEqual(again.update, []);
  assert.equal(again.events.length, 1);
  assert.equal(again.events[0].object.metadata.name, 'young');
});

test('release on delete and on type change; the freed address is reused', () => {
  const a = svc('a', { status: '172.18.255.200' });
  const b = svc('b', { status: '172.18.255.201' });
  // a deleted: its address is free for c.
  assert.equal(planLoadBalancerIPs([b, svc('c')], DEFAULT_LB_POOL).update[0].ingress[0].ip, '172.18.255.200');
  // a turned into ClusterIP: status cleared, address reusable at once.
  const clusterIP = { ...a, spec: { type: 'ClusterIP' } };
  const plan = planLoadBalancerIPs([clusterIP, b, svc('d')], DEFAULT_LB_POOL);
  assert.deepEqual(plan.clear, [ref('a')]);
  assert.deepEqual(plan.update, [{ service: ref('d'), ingress: [{ ip: '172.18.255.200', ipMode: 'VIP' }] }]);
  assert.deepEqual(loadBalancerStatusPatch(), { status: { loadBalancer: { ingress: null } } });
});

test('a foreign loadBalancerClass is not touched, but its address is avoided', () => {
  const foreign = svc('f', { cls: 'example.com/other', status: '172.18.255.200' });
  const unserved = svc('g', { cls: 'example.com/other' });
  const plan = planLoadBalancerIPs([foreign, unserved, svc('ours', { cls: 'knet.dev/lb' })], DEFAULT_LB_POOL);
  assert.deepEqual(plan.update, [{ service: ref('ours'), ingress: [{ ip: '172.18.255.201', ipMode: 'VIP' }] }]);
  assert.deepEqual(plan.clear, []);
  assert.ok(plan.events.every((e) => e.object.metadata.name === 'ours'));
  assert.deepEqual(plan.allocations.map((a) => a.name), ['ours']);
});

test('exhaustion: the Service beyond the pool gets a Warning and no address', () => {
  const pool = ['172.18.255.200-172.18.255.201'];
  const plan = planLoadBalancerIPs([svc('a'), svc('b'), svc('c')], pool);
  assert.equal(plan.update.length, 2);
  assert.deepEqual(plan.events.at(-1), {
    type: 'Warning', reason: 'AllocationFailed', object: ref('c'),
    message: 'Failed to allocate IP for "default/c": no available IPs in pool 172.18.255.200-172.18.255.201',
  });
});

test('an address outside a shrunk pool is replaced; a malformed request keeps what is held', () => {
  const plan = planLoadBalancerIPs([svc('a', { status: '172.18.0.50' })], DEFAULT_LB_POOL);
  assert.deepEqual(plan.update, [{ service: ref('a'), ingress: [{ ip: '172.18.255.200', ipMode: 'VIP' }] }]);
  const typo = planLoadBalancerIPs([svc('b', { status: '172.18.255.207', ann: '172.18.255.3OO' })], DEFAULT_LB_POOL);
  assert.deepEqual(typo.update, []);
  assert.deepEqual(typo.clear, []);
  assert.deepEqual(typo.events.map((e) => `${e.reason}: ${e.message}`), ['LoadBalancerFailed: invalid requested loadbalancer IPs: "172.18.255.3OO" is not an IPv4 address']);
});

test('ipMode is written when the status lacks it, without a new IPAllocated event', () => {
  const s = svc('a');
  s.status = { loadBalancer: { ingress: [{ ip: '172.18.255.200' }] } };
  const plan = planLoadBalancerIPs([s], DEFAULT_LB_POOL);
  assert.deepEqual(plan.update, [{ service: ref('a'), ingress: [{ ip: '172.18.255.200', ipMode: 'VIP' }] }]);
  assert.deepEqual(plan.events, []);
});

test('pool parsing: CIDRs and ranges; bad entries throw', () => {
  assert.deepEqual(parsePool(['10.0.0.0/30', '10.0.1.5-10.0.1.6']).ranges, [[167772160, 167772163], [167772421, 167772422]]);
  assert.throws(() => parsePool(['10.0.0.9-10.0.0.1']), /range/);
  assert.throws(() => parsePool([]), /empty/);
});
