// The controllers against a running API server, driven by the real kubectl: Deployments roll
// out to pods that the scheduler spreads over nodes, Services get EndpointSlices and Endpoints
// as pods become ready, LoadBalancer Services get pool addresses, nodes get pod CIDRs, and
// deleting an owner removes its children. A simulated kubelet (test/support) reports pods
// running with IPs from their node's pod CIDR, as the node agent will.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCluster } from './support/harness.ts';
import type { TestCluster } from './support/harness.ts';
import { until } from './support/until.ts';
import { kubectlHelpers } from './support/kubectl.ts';
import { startSimulatedNodes } from './support/simulated-nodes.ts';
import type { SimulatedNodes } from './support/simulated-nodes.ts';
import { DEFAULT_CONTROLLERS_CONFIG, startControllers } from '../src/controllers/index.ts';

const AGNHOST = 'registry.k8s.io/e2e-test-images/agnhost:2.53';


describe('controllers, driven by kubectl', () => {
  let c: TestCluster;
  let nodes: SimulatedNodes;
  const { kc, json } = kubectlHelpers(() => c);

  before(async () => {
    c = await startTestCluster({ store: 'sqlite', controllers: true });
    nodes = await startSimulatedNodes({ server: c.url, token: c.token, caCert: c.caCert }, ['node-a', 'node-b', 'node-c'], {
      labels: { 'node-c': { disk: 'ssd' } },
    });
  });
  after(async () => {
    await nodes?.stop();
    await c?.close();
  });

  it('gives every node its own pod CIDR from the cluster CIDR', async () => {
    const cidrs = await until('all nodes have pod CIDRs', async () => {
      const list = await json('get', 'nodes');
      const got = list.items.map((n: any) => n.spec.podCIDR);
      return got.every(Boolean) && got;
    });
    assert.equal(new Set(cidrs).size, 3);
    for (const cidr of cidrs) assert.match(cidr, /^10\.244\.\d+\.0\/24$/);
  });

  it('rolls a deployment out over three nodes and publishes its endpoints', async () => {
    await kc('create', 'deployment', 'web', `--image=${AGNHOST}`, '--replicas=3', '--port=8080', '--', '/agnhost', 'netexec', '--http-port=8080');
    await kc('expose', 'deployment', 'web', '--port=80', '--target-port=8080');
    const out = await kc('rollout', 'status', 'deployment/web', '--timeout=30s');
    assert.match(out, /deployment "web" successfully rolled out/);
    const pods = await json('get', 'pods', '-l', 'app=web');
    assert.equal(pods.items.length, 3);
    assert.equal(new Set(pods.items.map((p: any) => p.spec.nodeName)).size, 3, 'one replica per node');
    const ips = pods.items.map((p: any) => p.status.podIP).sort();
    const slices = await until('the slice lists three ready endpoints', async () => {
      const s = await json('get', 'endpointslices', '-l', 'kubernetes.io/service-name=web');
      const eps = s.items.flatMap((x: any) => x.endpoints ?? []);
      return eps.length === 3 && eps.every((e: any) => e.conditions.ready) && s;
    });
    const slice = slices.items[0];
    assert.equal(slice.metadata.labels['endpointslice.kubernetes.io/managed-by'], 'endpointslice-controller.k8s.io');
    assert.equal(slice.metadata.ownerReferences[0].kind, 'Service');
    assert.deepEqual(slice.ports.map((p: any) => p.port), [8080]);
    assert.deepEqual(slice.endpoints.map((e: any) => e.addresses[0]).sort(), ips);
    assert.ok(slice.endpoints.every((e: any) => e.targetRef.kind === 'Pod' && e.nodeName));
    const describe = await kc('describe', 'service', 'web');
    const endpointsLine = describe.split('\n').find((l) => l.startsWith('Endpoints:'))!;
    for (const ip of ips) assert.ok(endpointsLine.includes(`${ip}:8080`), `${endpointsLine} lists ${ip}:8080`);
    const ep = await json('get', 'endpoints', 'web');
    assert.equal(ep.subsets[0].addresses.length, 3);
  });

  it('moves a pod that turns not-ready out of the ready addresses', async () => {
    const pods = await json('get', 'pods', '-l', 'app=web');
    const victim = pods.items[0].metadata.name;
    nodes.setReadiness((p) => p.metadata.name !== victim);
    await until('the endpoint is not ready', async () => {
      const s = await json('get', 'endpointslices', '-l', 'kubernetes.io/service-name=web');
      const e = s.items.flatMap((x: any) => x.endpoints).find((x: any) => x.targetRef.name === victim);
      return e && e.conditions.ready === false;
    });
    const ep = await json('get', 'endpoints', 'web');
    assert.deepEqual(ep.subsets[0].notReadyAddresses.map((a: any) => a.targetRef.name), [victim]);
    nodes.setReadiness(() => true);
    await until('it is ready again', async () => (await json('get', 'endpoints', 'web')).subsets[0].addresses.length === 3);
  });

  it('scales, and rolls out a new image with a new ReplicaSet', async () => {
    await kc('scale', 'deployment', 'web', '--replicas=5');
    await kc('rollout', 'status', 'deployment/web', '--timeout=30s');
    await until('five endpoints', async () => (await json('get', 'endpoints', 'web')).subsets[0].addresses.length === 5);
    await kc('set', 'image', 'deployment/web', `agnhost=registry.k8s.io/e2e-test-images/agnhost:2.54`);
    assert.match(await kc('rollout', 'status', 'deployment/web', '--timeout=60s'), /successfully rolled out/);
    const rs = await json('get', 'replicasets', '-l', 'app=web');
    assert.equal(rs.items.length, 2);
    const byRev = rs.items.sort((a: any, b: any) => Number(a.metadata.annotations['deployment.kubernetes.io/revision']) - Number(b.metadata.annotations['deployment.kubernetes.io/revision']));
    assert.equal(byRev[0].spec.replicas, 0, 'the old ReplicaSet is scaled to zero');
    assert.equal(byRev[1].spec.replicas, 5);
    assert.equal(byRev[1].spec.template.spec.containers[0].image, 'registry.k8s.io/e2e-test-images/agnhost:2.54');
    const dep = await json('get', 'deployment', 'web');
    assert.equal(dep.status.updatedReplicas, 5);
    assert.equal(dep.status.availableReplicas, 5);
    assert.equal(dep.status.conditions.find((x: any) => x.type === 'Available').status, 'True');
    const pods = await json('get', 'pods', '-l', 'app=web');
    assert.equal(pods.items.filter((p: any) => !p.metadata.deletionTimestamp).length, 5);
    assert.ok(pods.items.every((p: any) => p.metadata.labels['pod-template-hash'] === byRev[1].metadata.labels['pod-template-hash']));
    const describe = await kc('describe', 'deployment', 'web');
    assert.match(describe, /ScalingReplicaSet\s+.*Scaled up replica set web-\w+ .*to 5/);
  });

  it('rolls back with kubectl rollout undo to the previous ReplicaSet', async () => {
    const before = await json('get', 'replicasets', '-l', 'app=web');
    const oldRs = before.items.find((r: any) => r.spec.replicas === 0);
    await kc('rollout', 'undo', 'deployment/web');
    assert.match(await kc('rollout', 'status', 'deployment/web', '--timeout=60s'), /successfully rolled out/);
    const after = await json('get', 'replicasets', '-l', 'app=web');
    assert.equal(after.items.length, 2, 'the old ReplicaSet is reused, not copied');
    const back = after.items.find((r: any) => r.metadata.name === oldRs.metadata.name);
    assert.equal(back.spec.replicas, 5);
    assert.equal(back.metadata.annotations['deployment.kubernetes.io/revision'], '3');
    assert.equal((await json('get', 'deployment', 'web')).spec.template.spec.containers[0].image, AGNHOST);
  });

  it('reports an unschedulable pod with upstream\'s condition and event', async () => {
    await kc('run', 'picky', `--image=${AGNHOST}`, '--overrides={"spec":{"nodeSelector":{"disk":"nvme"}}}');
    const pod = await until('PodScheduled=False', async () => {
      const p = await json('get', 'pod', 'picky');
      return p.status?.conditions?.find((x: any) => x.type === 'PodScheduled' && x.status === 'False') && p;
    });
    assert.equal(pod.status.phase, 'Pending');
    const cond = pod.status.conditions.find((x: any) => x.type === 'PodScheduled');
    assert.equal(cond.reason, 'Unschedulable');
    assert.match(cond.message, /^0\/3 nodes are available: 3 node\(s\) didn't match Pod's node affinity\/selector\./);
    const describe = await kc('describe', 'pod', 'picky');
    assert.match(describe, /FailedScheduling/);
    await kc('label', 'node', 'node-b', 'disk=nvme');
    await until('it lands on node-b', async () => (await json('get', 'pod', 'picky')).spec.nodeName === 'node-b');
  });

  it('gives LoadBalancer Services an address from the pool and takes it back', async () => {
    await kc('create', 'service', 'loadbalancer', 'lb', '--tcp=80:8080');
    const svc = await until('an ingress IP', async () => {
      const s = await json('get', 'service', 'lb');
      return s.status?.loadBalancer?.ingress?.[0]?.ip && s;
    });
    assert.match(svc.status.loadBalancer.ingress[0].ip, /^172\.18\.255\.\d+$/);
    const wide = await kc('get', 'service', 'lb');
    assert.ok(wide.includes(svc.status.loadBalancer.ingress[0].ip), 'EXTERNAL-IP column shows it');
    await kc('patch', 'service', 'lb', '-p', '{"spec":{"type":"ClusterIP"}}');
    await until('the address is released', async () => !(await json('get', 'service', 'lb')).status?.loadBalancer?.ingress);
  });

  it('refuses a LoadBalancer address another Service holds, with an Event', async () => {
    await kc('create', 'service', 'loadbalancer', 'lb-a', '--tcp=80:8080');
    const ip = await until('lb-a has an address', async () => (await json('get', 'service', 'lb-a')).status?.loadBalancer?.ingress?.[0]?.ip);
    await kc('create', 'service', 'loadbalancer', 'lb-b', '--tcp=80:8080');
    await kc('annotate', 'service', 'lb-b', `metallb.universe.tf/loadBalancerIPs=${ip}`);
    await until('lb-b is refused with an event', async () => /AllocationFailed/.test(await kc('describe', 'service', 'lb-b')));
    assert.equal((await json('get', 'service', 'lb-a')).status.loadBalancer.ingress[0].ip, ip, 'the holder keeps it');
    await kc('delete', 'service', 'lb-a');
    await until('lb-b gets the address once it is free', async () => (await json('get', 'service', 'lb-b')).status?.loadBalancer?.ingress?.[0]?.ip === ip);
    await kc('delete', 'service', 'lb-b');
  });

  it('orphans the pods of a ReplicaSet deleted with --cascade=orphan', async () => {
    await kc('create', 'deployment', 'solo', `--image=${AGNHOST}`, '--replicas=2');
    await kc('rollout', 'status', 'deployment/solo', '--timeout=30s');
    await kc('delete', 'deployment', 'solo', '--cascade=orphan');
    const rs = await until('the ReplicaSet is orphaned', async () => {
      const list = await json('get', 'replicasets', '-l', 'app=solo');
      return list.items.length === 1 && !list.items[0].metadata.ownerReferences && list.items[0];
    });
    await kc('delete', 'replicaset', rs.metadata.name, '--cascade=orphan');
    const pods = await until('the pods are orphaned and still there', async () => {
      const list = await json('get', 'pods', '-l', 'app=solo');
      return list.items.length === 2 && list.items.every((p: any) => !p.metadata.ownerReferences) && list;
    });
    assert.equal(pods.items.length, 2);
    await kc('delete', 'pods', '-l', 'app=solo', '--wait=true');
  });

  it('converges again after a controller restart, without duplicates', async () => {
    const count = async () => {
      const [rs, pods, slices] = await Promise.all([json('get', 'replicasets'), json('get', 'pods'), json('get', 'endpointslices')]);
      return `${rs.items.length}/${pods.items.filter((p: any) => !p.metadata.deletionTimestamp).length}/${slices.items.length}`;
    };
    const before = await count();
    await c.controllers!.stop();
    c.controllers = startControllers({
      api: { server: c.url, token: c.token, caCert: c.caCert }, config: DEFAULT_CONTROLLERS_CONFIG,
      log: (m, f) => process.stderr.write(`controllers: ${m} ${JSON.stringify(f ?? {})}\n`),
    });
    await c.controllers.synced;
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(await count(), before);
  });

  it('removes every child of a deleted deployment', async () => {
    await kc('delete', 'deployment', 'web', '--cascade=foreground', '--wait=true', '--timeout=30s');
    await until('no ReplicaSets and no pods remain', async () => {
      const [rs, pods] = await Promise.all([json('get', 'replicasets', '-l', 'app=web'), json('get', 'pods', '-l', 'app=web')]);
      return rs.items.length === 0 && pods.items.length === 0;
    });
    await until('the slice is empty', async () => {
      const s = await json('get', 'endpointslices', '-l', 'kubernetes.io/service-name=web');
      return s.items.flatMap((x: any) => x.endpoints ?? []).length === 0;
    });
  });
});
