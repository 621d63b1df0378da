import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { KnetError } from '../lib/errors.ts';
import { planHostGwRoutes, planVxlan, vtepMac } from './plan.ts';
import { nodeIP, nodeMac, nodeNetns, podNetns } from './names.ts';

const nodes = [
  { name: 'k-control-plane', ip: '172.18.0.2', podCIDR: '10.244.0.0/24' },
  { name: 'k-worker', ip: '172.18.0.3', podCIDR: '10.244.1.0/24' },
  { name: 'k-worker2', ip: '172.18.0.4', podCIDR: '10.244.2.7/24' },
  { name: 'k-worker3', ip: '172.18.0.5' }, // no podCIDR yet: nothing to route
];
const self = nodes[0];

describe('fabric plans', () => {
  it('host-gw: a route per other node with a pod CIDR, via its node IP', () => {
    const p = planHostGwRoutes(self, nodes);
    assert.deepEqual(p.routes, [
      { dst: '10.244.1.0/24', via: '172.18.0.3', dev: 'eth0', onlink: false },
      { dst: '10.244.2.0/24', via: '172.18.0.4', dev: 'eth0', onlink: false },
    ]);
    assert.equal(p.vxlan, undefined);
    assert.deepEqual([p.neighbours, p.fdb], [[], []]);
  });

  it('vxlan: device from the node, then route + neighbour + fdb per remote node', () => {
    const p = planVxlan(self, nodes);
    assert.deepEqual(p.vxlan, {
      name: 'knet.1', vni: 1, port: 8472, local: '172.18.0.2', underlay: 'eth0',
      mac: '0e:6b:ac:12:00:02', mtu: 1450, address: '10.244.0.0/32',
    });
    assert.deepEqual(p.routes[1], { dst: '10.244.2.0/24', via: '10.244.2.0', dev: 'knet.1', onlink: true });
    assert.deepEqual(p.neighbours[1], { ip: '10.244.2.0', mac: '0e:6b:ac:12:00:04', dev: 'knet.1' });
    assert.deepEqual(p.fdb[1], { mac: '0e:6b:ac:12:00:04', dst: '172.18.0.4', dev: 'knet.1' });
    assert.equal(p.routes.length, 2);
  });

  it('vxlan needs the node own pod CIDR', () => {
    assert.throws(() => planVxlan({ name: 'k-worker3', ip: '172.18.0.5' }, nodes), (e: unknown) => e instanceof KnetError && e.code === 'no-pod-cidr');
  });

  it('VTEP MACs are unicast, locally administered and distinct per node', () => {
    const m = vtepMac('172.18.1.2');
    assert.equal(m, '0e:6b:ac:12:01:02');
    const first = parseInt(m.slice(0, 2), 16);
    assert.equal(first & 1, 0);
    assert.equal(first & 2, 2);
  });

  it('names: nodes and pods live under knet-<cluster>-', () => {
    assert.equal(nodeNetns('knet', 'knet-worker2'), 'knet-knet-worker2');
    assert.equal(podNetns('knet', '0123456789abcdef-x'), 'knet-knet-pod-0123456789ab');
    for (const bad of ['worker', 'knet-fabric', 'knet-x-fabric', 'knet-pod-1', 'knet-']) {
      assert.throws(() => nodeNetns('knet', bad), /does not fit cluster/);
    }
    assert.equal(nodeIP(0), '172.18.0.2');
    assert.equal(nodeIP(300), '172.18.1.46');
    assert.throws(() => nodeIP(-1), /outside/);
    assert.equal(nodeMac(1), '0a:6b:ac:12:00:03');
  });
});
