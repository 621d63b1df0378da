// The fabric against a fake host: which commands it issues, without touching the kernel.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createFakeHost } from '../host/index.ts';
import { addNode, applyRoutes, createFabric, destroyCluster, planHostGwRoutes } from './index.ts';

describe('fabric (fake host)', () => {
  it('createFabric makes the bridge once, then only re-asserts its state', async () => {
    // The link list shows br0 once the first batch has run.
    const host = createFakeHost((c) => (c.op === 'ipJson' && host.calls.some((x) => x.op === 'ipBatch') ? [{ ifname: 'br0', ifindex: 2 }] : undefined));
    await createFabric(host, 'k');
    await createFabric(host, 'k');
    const batches = host.calls.filter((c) => c.op === 'ipBatch').map((c) => c.args);
    assert.equal(batches[0][0], 'link add br0 type bridge');
    assert.ok(!batches[1].includes('link add br0 type bridge'));
    assert.ok(batches[1].includes('addr replace 172.18.0.1/16 dev br0'));
    assert.deepEqual(host.calls.filter((c) => c.op === 'sysctl').map((c) => [c.ns, c.args[0]]), [
      ['knet-k-fabric', 'net.ipv4.ip_forward=1'], ['knet-k-fabric', 'net.ipv4.ip_forward=1'],
    ]);
  });

  it('addNode creates the veth pair into the node namespace when there is none', async () => {
    const host = createFakeHost();
    const link = await addNode(host, 'k', 'k-worker', 1);
    assert.deepEqual(link, { netns: 'knet-k-worker', ip: '172.18.0.3', ifname: 'eth0' });
    const add = host.calls.find((c) => c.op === 'ip' && c.args[0] === 'link' && c.args[1] === 'add');
    assert.deepEqual(add, { op: 'ip', ns: 'knet-k-fabric', args: ['link', 'add', 'n1', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', 'knet-k-worker'] });
    const nodeBatch = host.calls.find((c) => c.op === 'ipBatch' && c.ns === 'knet-k-worker');
    assert.ok(nodeBatch?.args.includes('route replace default via 172.18.0.1 dev eth0'));
  });

  it('applyRoutes sends nothing when the node already matches', async () => {
    const host = createFakeHost();
    const plan = planHostGwRoutes({ name: 'k-a', ip: '172.18.0.2' }, [{ name: 'k-b', ip: '172.18.0.3', podCIDR: '10.244.1.0/24' }]);
    const changes = await applyRoutes(host, 'knet-k-a', plan, { routes: plan.routes, neighbours: [], fdb: [] });
    assert.deepEqual(changes, { ip: [], bridge: [] });
  });

  it('destroyCluster deletes the fabric last and spares a cluster whose name extends this one', async () => {
    const host = createFakeHost();
    for (const n of ['knet-k-fabric', 'knet-k-worker', 'knet-k-pod-0123456789ab', 'knet-k-b-fabric', 'knet-k-b-worker', 'knet-other-fabric']) host.namespaces.add(n);
    const removed = await destroyCluster(host, 'k');
    assert.deepEqual(removed, ['knet-k-fabric', 'knet-k-pod-0123456789ab', 'knet-k-worker']);
    assert.equal(host.calls.filter((c) => c.op === 'deleteNetns').at(-1)?.ns, 'knet-k-fabric');
    assert.deepEqual([...host.namespaces].sort(), ['knet-k-b-fabric', 'knet-k-b-worker', 'knet-other-fabric']);
  });
});
