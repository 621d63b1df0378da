import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { diffRoutes } from './apply.ts';
import type { RouteState } from './apply.ts';
import { planHostGwRoutes, planVxlan } from './plan.ts';

const a = { name: 'k-a', ip: '172.18.0.2', podCIDR: '10.244.0.0/24' };
const b = { name: 'k-b', ip: '172.18.0.3', podCIDR: '10.244.1.0/24' };
const c = { name: 'k-c', ip: '172.18.0.4', podCIDR: '10.244.2.0/24' };
const empty: RouteState = { routes: [], neighbours: [], fdb: [] };

/** The state the kernel would report after applying `plan` to nothing. */
function applied(plan: ReturnType<typeof planVxlan>): RouteState {
  const v = plan.vxlan;
  return {
    vxlan: v && { vni: v.vni, port: v.port, local: v.local, learning: false, mac: v.mac, mtu: v.mtu, up: true, addresses: [v.address] },
    routes: plan.routes, neighbours: plan.neighbours, fdb: plan.fdb,
  };
}

describe('fabric diffRoutes', () => {
  it('host-gw from nothing: one replace per route, nothing for bridge', () => {
    const d = diffRoutes(planHostGwRoutes(a, [a, b, c]), empty);
    assert.deepEqual(d.ip, [
      'route replace 10.244.1.0/24 via 172.18.0.3 dev eth0 proto 75',
      'route replace 10.244.2.0/24 via 172.18.0.4 dev eth0 proto 75',
    ]);
    assert.deepEqual(d.bridge, []);
  });

  it('nothing to do when the state matches the plan', () => {
    const p = planVxlan(a, [a, b, c]);
    assert.deepEqual(diffRoutes(p, applied(p)), { ip: [], bridge: [] });
  });

  it('a node leaving: its route, neighbour and fdb entry are deleted, the rest kept', () => {
    const before = applied(planVxlan(a, [a, b, c]));
    const d = diffRoutes(planVxlan(a, [a, b]), before);
    assert.deepEqual(d.ip, ['route del 10.244.2.0/24 via 10.244.2.0 dev knet.1 proto 75', 'neigh del 10.244.2.0 dev knet.1']);
    assert.deepEqual(d.bridge, ['fdb del 0e:6b:ac:12:00:04 dev knet.1 dst 172.18.0.4 self']);
  });

  it('vxlan to host-gw: the device goes (with its entries), routes move to eth0', () => {
    const d = diffRoutes(planHostGwRoutes(a, [a, b]), applied(planVxlan(a, [a, b])));
    assert.deepEqual(d.ip, ['link del knet.1', 'route replace 10.244.1.0/24 via 172.18.0.3 dev eth0 proto 75']);
    assert.deepEqual(d.bridge, []);
  });

  it('a device with the wrong local address is re-created and refilled', () => {
    const p = planVxlan(a, [a, b]);
    const st = applied(p);
    st.vxlan!.local = '172.18.0.9';
    const d = diffRoutes(p, st);
    assert.equal(d.ip[0], 'link del knet.1');
    assert.match(d.ip[1], /^link add knet.1 type vxlan id 1 dstport 8472 local 172.18.0.2 dev eth0 nolearning$/);
    assert.ok(d.ip.includes('route replace 10.244.1.0/24 via 10.244.1.0 dev knet.1 onlink proto 75'));
    assert.deepEqual(d.bridge, ['fdb replace 0e:6b:ac:12:00:03 dev knet.1 dst 172.18.0.3 self permanent']);
  });
});
