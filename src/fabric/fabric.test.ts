// Real namespaces (root): a 3-node fabric, then pod traffic across nodes on host-gw and vxlan.
// Each node gets a stand-in pod (a namespace with a veth into the node), so packets are routed
// through the nodes as they would be for real pods. (This kernel has no dummy link type.)

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { realHost as host } from '../host/index.ts';
import {
  addNode, applyRoutes, createFabric, destroyCluster, fabricNetns, nodeNetns, planHostGwRoutes,
  planVxlan, podNetns, readRouteState, removeNode,
} from './index.ts';
import type { NodeLink, NodeSelf, NodeView, RoutePlan } from './index.ts';

const cluster = `test-${process.pid}`;
const sibling = `${cluster}-b`; // a cluster whose prefix extends ours: must survive our destroy
const names = [`${cluster}-control-plane`, `${cluster}-worker`, `${cluster}-worker2`];
const podIP = (i: number) => `10.244.${i}.2`;
let links: NodeLink[] = [];
let views: NodeSelf[] = [];
let live = [0, 1, 2];

const pingArgv = existsSync('/usr/bin/ping') || existsSync('/bin/ping') ? ['ping'] : ['busybox', 'ping'];
async function ping(ns: string, addr: string): Promise<boolean> {
  const r = await host.runInNetns(ns, [...pingArgv, '-c1', '-W1', addr], { timeoutMs: 5000 });
  return r.code === 0;
}

async function addPod(i: number): Promise<void> {
  const node = links[i].netns;
  const pod = podNetns(cluster, `pod${i}`);
  await host.createNetns(pod);
  await host.ip(node, ['link', 'add', `vp${i}`, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', pod]);
  await host.ipBatch(node, [`addr add 10.244.${i}.1/24 dev vp${i}`, `link set vp${i} up`]);
  await host.ipBatch(pod, ['link set lo up', `addr add ${podIP(i)}/24 dev eth0`, 'link set eth0 up', `route add default via 10.244.${i}.1`]);
}

async function applyAll(plan: (self: NodeSelf, nodes: NodeView[]) => RoutePlan): Promise<number> {
  let changes = 0;
  const nodes = live.map((i) => views[i]);
  for (const i of live) {
    const c = await applyRoutes(host, links[i].netns, plan(views[i], nodes));
    changes += c.ip.length + c.bridge.length;
  }
  return changes;
}

async function reachAll(): Promise<string[]> {
  const missed: string[] = [];
  for (const from of live) {
    for (const to of live) {
      if (from === to) continue;
      if (!(await ping(links[from].netns, podIP(to)))) missed.push(`node${from}->pod${to}`);
      if (!(await ping(podNetns(cluster, `pod${from}`), podIP(to)))) missed.push(`pod${from}->pod${to}`);
    }
  }
  return missed;
}

before(async () => {
  await createFabric(host, cluster);
  links = await Promise.all(names.map((n, i) => addNode(host, cluster, n, i)));
  views = links.map((l, i) => ({ name: names[i], ip: l.ip, podCIDR: `10.244.${i}.0/24` }));
  for (const i of live) await addPod(i);
});

after(async () => {
  for (const n of await host.listNetns(`knet-${cluster}-`)) await host.deleteNetns(n);
});

describe('fabric with real namespaces', () => {
  it('wires nodes onto the bridge: node-to-node ping over eth0, no way out', async () => {
    assert.deepEqual(links.map((l) => [l.netns, l.ip, l.ifname]), [
      [`knet-${names[0]}`, '172.18.0.2', 'eth0'], [`knet-${names[1]}`, '172.18.0.3', 'eth0'], [`knet-${names[2]}`, '172.18.0.4', 'eth0'],
    ]);
    assert.ok(await ping(links[0].netns, '172.18.0.3'));
    assert.ok(await ping(links[2].netns, '172.18.0.2'));
    assert.ok(await ping(links[1].netns, '172.18.0.1'), 'the fabric gateway answers');
    const routes = await host.ip(links[0].netns, ['route', 'show']);
    assert.match(routes, /^default via 172\.18\.0\.1 dev eth0/m);
    // Pods are not reachable across nodes before a backend programs routes.
    assert.equal(await ping(links[0].netns, podIP(1)), false);
  });

  it('createFabric and addNode are idempotent and repair a broken link', async () => {
    await createFabric(host, cluster);
    assert.deepEqual(await addNode(host, cluster, names[1], 1), links[1]);
    await host.ip(fabricNetns(cluster), ['link', 'set', 'n1', 'nomaster']);
    await host.ip(links[1].netns, ['addr', 'add', '172.18.9.9/16', 'dev', 'eth0']);
    await addNode(host, cluster, names[1], 1);
    const addrs = await host.ip(links[1].netns, ['-4', '-o', 'addr', 'show', 'dev', 'eth0']);
    assert.doesNotMatch(addrs, /172\.18\.9\.9/);
    assert.ok(await ping(links[0].netns, '172.18.0.3'));
    // A node namespace left without its eth0 (crash between steps) gets a new pair.
    await host.ip(links[2].netns, ['link', 'del', 'eth0']);
    await addNode(host, cluster, names[2], 2);
    assert.ok(await ping(links[0].netns, '172.18.0.4'));
  });

  it('host-gw: every node and pod reaches every other pod; a leaving node loses its route', async () => {
    assert.ok((await applyAll(planHostGwRoutes)) > 0);
    assert.deepEqual(await reachAll(), []);
    assert.equal(await applyAll(planHostGwRoutes), 0, 'a second apply changes nothing');
    assert.match(await host.ip(links[0].netns, ['route', 'get', podIP(1)]), /via 172\.18\.0\.3 dev eth0/);

    await applyRoutes(host, links[0].netns, planHostGwRoutes(views[0], [views[0], views[1]]));
    assert.equal((await host.ip(links[0].netns, ['route', 'show', '10.244.2.0/24'])).trim(), '');
    assert.equal(await ping(links[0].netns, podIP(2)), false);
  });

  it('vxlan: traffic moves onto knet.1 and still reaches every pod', async () => {
    assert.ok((await applyAll(planVxlan)) > 0);
    const st = await readRouteState(host, links[0].netns);
    assert.equal(st.vxlan?.mac, '0e:6b:ac:12:00:02');
    assert.equal(st.vxlan?.mtu, 1450);
    assert.deepEqual(st.vxlan?.addresses, ['10.244.0.0/32']);
    assert.deepEqual(st.fdb.map((f) => f.dst).sort(), ['172.18.0.3', '172.18.0.4']);
    assert.match(await host.ip(links[0].netns, ['route', 'get', podIP(2)]), /via 10\.244\.2\.0 dev knet\.1/);
    assert.deepEqual(await reachAll(), []);
    assert.equal(await applyAll(planVxlan), 0, 'a second apply changes nothing');
  });

  it('vxlan: removing a node removes the routes, neighbours and fdb entries to it', async () => {
    await removeNode(host, cluster, names[2], 2);
    assert.equal(await host.netnsExists(links[2].netns), false);
    assert.doesNotMatch(await host.ip(fabricNetns(cluster), ['-o', 'link', 'show']), /\bn2@/);
    live = [0, 1];
    await applyAll(planVxlan);
    for (const i of live) {
      const st = await readRouteState(host, links[i].netns);
      assert.deepEqual(st.routes.map((r) => r.dst), [`10.244.${1 - i}.0/24`]);
      assert.deepEqual(st.neighbours.map((n) => n.ip), [`10.244.${1 - i}.0`]);
      assert.deepEqual(st.fdb.map((f) => f.dst), [links[1 - i].ip]);
    }
    assert.deepEqual(await reachAll(), []);
  });

  it('destroyCluster removes every namespace of the cluster and nothing of another', async () => {
    await createFabric(host, sibling);
    await addNode(host, sibling, `${sibling}-worker`, 0);
    const removed = await destroyCluster(host, cluster);
    assert.deepEqual(removed.sort(), [
      fabricNetns(cluster), nodeNetns(cluster, names[0]), nodeNetns(cluster, names[1]),
      podNetns(cluster, 'pod0'), podNetns(cluster, 'pod1'), podNetns(cluster, 'pod2'),
    ].sort());
    assert.deepEqual(await host.listNetns(`knet-${cluster}-`), [`knet-${sibling}-fabric`, `knet-${sibling}-worker`]);
    assert.deepEqual((await destroyCluster(host, sibling)).sort(), [`knet-${sibling}-fabric`, `knet-${sibling}-worker`]);
    assert.deepEqual(await destroyCluster(host, cluster), []);
  });
});
