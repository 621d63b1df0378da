// The pod network end to end, as root with real namespaces: a 3-node cluster (fabric, node
// namespaces, node agents, CNI) on each backend, driven by kubectl. Pods get IPs from their
// node's pod CIDR, see that IP on eth0, reach pods on every node without NAT, share localhost
// within a pod, find their hostname, resolv.conf, hosts file and Service variables, cannot
// change the network, and leave nothing behind when deleted or when the cluster stops.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { KNET_CNI_BIN_DIR, REFERENCE_CNI_BIN_DIR } from '../src/cni/index.ts';
import { startTestCluster } from './support/harness.ts';
import type { TestCluster } from './support/harness.ts';
import { until } from './support/until.ts';
import { kubectlHelpers } from './support/kubectl.ts';
import { startDataPlane } from '../src/cli/data-plane.ts';
import type { DataPlane } from '../src/cli/data-plane.ts';

const AGNHOST = 'registry.k8s.io/e2e-test-images/agnhost:2.53';


const netnsList = () => execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' }).split('\n').map((l) => l.split(' ')[0]).filter(Boolean);

function podNetworkSuite(backend: 'host-gw' | 'vxlan') {
  describe(`pod network (${backend})`, () => {
    const cluster = `pn${process.pid % 10000}${backend === 'vxlan' ? 'v' : 'h'}`;
    let c: TestCluster;
    let dp: DataPlane;
    const { kc, json, apply } = kubectlHelpers(() => c);
    const podOn = (name: string, node: string, command: string[], extra: object = {}) => ({
      apiVersion: 'v1', kind: 'Pod', metadata: { name },
      spec: { nodeName: node, restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox:1.36', command }], ...extra },
    });
    const phaseOf = async (name: string, want: string[]) => until(`pod ${name} is ${want.join(' or ')}`, async () => {
      const p = await json('get', 'pod', name);
      return want.includes(p.status?.phase) && p;
    });

    before(async () => {
      c = await startTestCluster({ controllers: true });
      // A `knet` plugin first on CNI_PATH that fails ADD for one pod and hands every other
      // call to the real one, as a broken network plugin would for that pod.
      mkdirSync(`${c.dir}/cni-bin`);
      writeFileSync(`${c.dir}/cni-bin/knet`, `#!/bin/sh
case "$CNI_COMMAND:$CNI_ARGS" in
  ADD:*K8S_POD_NAME=cni-broken*) printf '{"cniVersion":"1.0.0","code":11,"msg":"no addresses left for this pod","details":"test plugin"}'; exit 1 ;;
esac
exec ${KNET_CNI_BIN_DIR}/knet
`, { mode: 0o755 });
      dp = await startDataPlane({
        cluster, nodes: 3, backend, api: { server: c.url, token: c.token, caCert: c.caCert }, dataDir: `${c.dir}/data`,
        restartBackoff: { initialMs: 400, maxMs: 3200 },
        cniPath: [`${c.dir}/cni-bin`, KNET_CNI_BIN_DIR, REFERENCE_CNI_BIN_DIR],
        log: (m, f) => process.stderr.write(`node: ${m} ${JSON.stringify(f ?? {})}\n`),
      });
      await dp.ready;
    });
    after(async () => {
      await dp?.stop();
      await c?.close();
    });

    it('runs pods on every node with IPs from the node\'s pod CIDR, seen on their eth0', async () => {
      await kc('create', 'deployment', 'web', `--image=${AGNHOST}`, '--replicas=3', '--', '/agnhost', 'netexec', '--http-port=8080');
      await kc('rollout', 'status', 'deployment/web', '--timeout=60s');
      const pods = (await json('get', 'pods', '-l', 'app=web')).items;
      const nodes = new Map((await json('get', 'nodes')).items.map((n: any) => [n.metadata.name, n.spec.podCIDR]));
      assert.equal(new Set(pods.map((p: any) => p.spec.nodeName)).size, 3);
      for (const p of pods) {
        const cidr = nodes.get(p.spec.nodeName) as string;
        assert.ok(p.status.podIP.startsWith(cidr.split('.').slice(0, 3).join('.') + '.'), `${p.status.podIP} in ${cidr}`);
        const ns = `knet-${cluster}-pod-${p.metadata.uid.slice(0, 12)}`;
        const addrs = JSON.parse(execFileSync('ip', ['-n', ns, '-j', 'addr', 'show', 'eth0'], { encoding: 'utf8' }));
        assert.equal(addrs[0].addr_info.find((a: any) => a.family === 'inet').local, p.status.podIP, 'the IP a pod sees is the IP others see');
        assert.equal(p.status.hostIP, dp.nodes.find((n) => n.name === p.spec.nodeName)!.ip);
      }
    });

    it('reaches every pod from a pod on every node, by pod IP, without NAT', async () => {
      const web = (await json('get', 'pods', '-l', 'app=web')).items;
      const checks: string[] = [];
      for (const [i, n] of dp.nodes.entries()) {
        // Each target is tried a few times: a web pod is Ready as soon as its process starts.
        const one = (ip: string) => `(for t in 1 2 3 4 5 6 7 8 9 10; do printf 'GET /clientip HTTP/1.0\\r\\n\\r\\n' | nc -w 5 ${ip} 8080 | tail -1 | grep -q "^$(hostname -i | cut -d' ' -f1):" && exit 0; sleep 0.3; done; exit 1)`;
        const script = web.map((p: any) => one(p.status.podIP)).join(' && ');
        const name = `probe-${i}`;
        await apply(podOn(name, n.name, ['sh', '-c', script]));
        checks.push(name);
      }
      for (const name of checks) {
        const p = await phaseOf(name, ['Succeeded', 'Failed']);
        assert.equal(p.status.phase, 'Succeeded', `${name} on ${p.spec.nodeName} reached every web pod and was seen with its own IP`);
      }
      const connect = `connect-${Date.now() % 1000}`;
      await apply({ ...podOn(connect, dp.nodes[2].name, []), spec: { nodeName: dp.nodes[2].name, restartPolicy: 'Never', containers: [{ name: 'main', image: AGNHOST, args: ['connect', `${web[0].status.podIP}:8080`, '--timeout=5s'] }] } });
      const done = await phaseOf(connect, ['Succeeded', 'Failed']);
      assert.equal(done.status.phase, 'Succeeded', `agnhost connect reaches a pod on another node: ${(await c.kubectl(['logs', connect])).stdout}`);
    });

    it('shares localhost between the containers of a pod', async () => {
      await apply({
        apiVersion: 'v1', kind: 'Pod', metadata: { name: 'pair' },
        spec: {
          restartPolicy: 'Never',
          containers: [
            { name: 'server', image: AGNHOST, args: ['netexec', '--http-port=8080'] },
            { name: 'client', image: 'busybox', command: ['sh', '-c', "for i in $(seq 50); do printf 'GET /hostname HTTP/1.0\\r\\n\\r\\n' | nc -w 2 127.0.0.1 8080 | grep -q pair && exit 0; sleep 0.2; done; exit 1"] },
          ],
        },
      });
      const p = await until('the client container finished', async () => {
        const pod = await json('get', 'pod', 'pair');
        const st = pod.status?.containerStatuses?.find((s: any) => s.name === 'client');
        return st?.state?.terminated && st;
      });
      assert.equal(p.state.terminated.exitCode, 0);
    });

    it('gives a pod its hostname, resolv.conf, hosts file and Service variables', async () => {
      await kc('create', 'service', 'clusterip', 'my-svc', '--tcp=80:8080');
      const script = [
        'test "$(hostname)" = "files"',
        'grep -qx "search default.svc.cluster.local svc.cluster.local cluster.local.*" /etc/resolv.conf',
        'grep -qx "nameserver 10.96.0.10" /etc/resolv.conf',
        'grep -qx "options ndots:5" /etc/resolv.conf',
        'grep -q "	files$" /etc/hosts',
        'test "$KUBERNETES_SERVICE_HOST" = 10.96.0.1',
        'test -n "$MY_SVC_SERVICE_HOST"',
        'test "$MY_POD_IP" = "$(hostname -i | cut -d" " -f1)"',
        'test -s /var/run/secrets/kubernetes.io/serviceaccount/token',
        'test "$(cat /var/run/secrets/kubernetes.io/serviceaccount/namespace)" = default',
      ].join(' && ');
      await apply(podOn('files', dp.nodes[1].name, ['sh', '-c', script], {
        containers: [{ name: 'main', image: 'busybox', command: ['sh', '-c', script], env: [{ name: 'MY_POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }] }],
      }));
      assert.equal((await phaseOf('files', ['Succeeded', 'Failed'])).status.phase, 'Succeeded');
    });

    it('reaches the API server from a pod with its service-account token', async () => {
      const sa = '/var/run/secrets/kubernetes.io/serviceaccount';
      const script = `curl -sf --cacert ${sa}/ca.crt -H "Authorization: Bearer $(cat ${sa}/token)" https://172.18.0.2:6443/api/v1/namespaces/default/pods/incluster | grep -q '"name": *"incluster"'`;
      await apply(podOn('incluster', dp.nodes[2].name, [], { containers: [{ name: 'main', image: 'debian:12', command: ['sh', '-c', script] }] }));
      assert.equal((await phaseOf('incluster', ['Succeeded', 'Failed'])).status.phase, 'Succeeded');
    });

    it('keeps pods from changing the network or leaving their namespaces', async () => {
      const script = [
        '! ip link add k0 type veth peer name k1 2>/dev/null',
        '! ip route add 10.9.9.0/24 dev eth0 2>/dev/null',
        '! ip addr add 10.9.9.9/32 dev eth0 2>/dev/null',
        '! nsenter -t 1 -n -m true 2>/dev/null',
        '! test -e /run/netns',
        '! python3 -c "import socket; socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)" 2>/dev/null',
        '! mount -t tmpfs none /mnt 2>/dev/null',
      ].join(' && ');
      await apply(podOn('jail', dp.nodes[0].name, ['sh', '-c', script], { containers: [{ name: 'main', image: 'debian:12', command: ['sh', '-c', script] }] }));
      assert.equal((await phaseOf('jail', ['Succeeded', 'Failed'])).status.phase, 'Succeeded');
    });

    it('follows a readiness probe: the pod and its endpoint turn not ready and back', async () => {
      const script = 'touch /tmp/ready; sleep 3600';
      await apply({
        apiVersion: 'v1', kind: 'Pod', metadata: { name: 'flappy', labels: { app: 'flappy' } },
        spec: { containers: [{ name: 'main', image: 'busybox', command: ['sh', '-c', script], readinessProbe: { exec: { command: ['cat', '/tmp/ready'] }, periodSeconds: 1, failureThreshold: 1 } }] },
      });
      await kc('expose', 'pod', 'flappy', '--port=80');
      const ready = async () => (await json('get', 'pod', 'flappy')).status?.conditions?.find((x: any) => x.type === 'Ready')?.status;
      const endpointReady = async () => {
        const s = await json('get', 'endpointslices', '-l', 'kubernetes.io/service-name=flappy');
        return s.items.flatMap((x: any) => x.endpoints ?? [])[0]?.conditions?.ready;
      };
      await until('ready', async () => (await ready()) === 'True' && (await endpointReady()) === true);
      // The test flips the probe's file itself, so no timing window can be missed.
      await kc('exec', 'flappy', '--', 'rm', '/tmp/ready');
      await until('not ready once the probe fails', async () => (await ready()) === 'False' && (await endpointReady()) === false);
      await kc('exec', 'flappy', '--', 'touch', '/tmp/ready');
      await until('ready again', async () => (await ready()) === 'True' && (await endpointReady()) === true);
      const describe = await kc('describe', 'pod', 'flappy');
      assert.match(describe, /Readiness probe failed/);
    });

    it('restarts a container that fails its liveness probe, and backs off a crashing one', async () => {
      await apply({
        apiVersion: 'v1', kind: 'Pod', metadata: { name: 'unwell' },
        spec: { containers: [{ name: 'main', image: 'busybox', command: ['sh', '-c', 'touch /tmp/alive; sleep 2; rm /tmp/alive; sleep 3600'], livenessProbe: { exec: { command: ['cat', '/tmp/alive'] }, periodSeconds: 1, failureThreshold: 1 } }] },
      });
      await apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'crasher' }, spec: { containers: [{ name: 'main', image: 'busybox', command: ['sh', '-c', 'echo bye; exit 3'] }] } });
      const unwell = await until('the liveness restart', async () => {
        const st = (await json('get', 'pod', 'unwell')).status?.containerStatuses?.[0];
        return st?.restartCount >= 1 && st;
      });
      assert.ok(unwell.lastState.terminated, 'the killed run is the last state');
      const waits: string[] = [];
      const st = await until('two crash restarts', async () => {
        const s = (await json('get', 'pod', 'crasher')).status?.containerStatuses?.[0];
        if (s?.state?.waiting?.reason) waits.push(s.state.waiting.reason);
        return s?.restartCount >= 2 && s;
      });
      assert.equal(st.lastState.terminated.exitCode, 3);
      assert.ok(waits.includes('CrashLoopBackOff'), `waiting reasons seen: ${waits.join(',')}`);
      assert.match(await kc('describe', 'pod', 'crasher'), /Back-off restarting failed container/);
    });

    it('runs hostNetwork pods in their node\'s namespace, with the node\'s address', async () => {
      const node = dp.nodes[1];
      await apply({
        apiVersion: 'v1', kind: 'Pod', metadata: { name: 'on-host' },
        spec: { nodeName: node.name, hostNetwork: true, containers: [{ name: 'main', image: AGNHOST, args: ['netexec', '--http-port=18080', '--udp-port=-1'] }] },
      });
      const p = await phaseOf('on-host', ['Running']);
      assert.equal(p.status.podIP, node.ip);
      await until('on-host is ready', async () => (await json('get', 'pod', 'on-host')).status.conditions.find((x: any) => x.type === 'Ready')?.status === 'True');
      // Retried: the server may still be starting when the pod reports Running.
      const script = `for i in $(seq 20); do printf 'GET /hostname HTTP/1.0\\r\\n\\r\\n' | nc -w 5 ${node.ip} 18080 | tail -1 | grep -qx '${node.name}' && exit 0; sleep 0.5; done; exit 1`;
      await apply(podOn('to-host', dp.nodes[2].name, ['sh', '-c', script]));
      assert.equal((await phaseOf('to-host', ['Succeeded', 'Failed'])).status.phase, 'Succeeded', 'a pod reaches the hostNetwork pod at its node\'s address; its hostname is the node\'s');
    });

    it('runs init containers first, and explains a container it cannot start', async () => {
      await apply({
        apiVersion: 'v1', kind: 'Pod', metadata: { name: 'ordered' },
        spec: {
          restartPolicy: 'Never',
          initContainers: [{ name: 'prepare', image: 'busybox', command: ['sh', '-c', 'echo prepared > /tmp/state'] }],
          containers: [{ name: 'main', image: 'busybox', command: ['sh', '-c', 'grep -qx prepared /tmp/state'] }],
        },
      });
      const p = await phaseOf('ordered', ['Succeeded', 'Failed']);
      assert.equal(p.status.phase, 'Succeeded');
      assert.equal(p.status.initContainerStatuses[0].state.terminated.reason, 'Completed');
      await apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'mystery' }, spec: { containers: [{ name: 'main', image: 'example.com/unknown/app:1.0' }] } });
      const st = await until('the container waits with a reason', async () => {
        const s = (await json('get', 'pod', 'mystery')).status?.containerStatuses?.[0];
        return s?.state?.waiting?.reason === 'ErrImagePull' && s;
      });
      assert.match(st.state.waiting.message, /give the container a command/);
      assert.match(await kc('describe', 'pod', 'mystery'), /ErrImagePull/);
    });

    it('starts a container once the ConfigMap its env needs appears', async () => {
      await apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'needs-config' }, spec: { containers: [{ name: 'main', image: 'busybox', command: ['sh', '-c', 'echo "$MODE"; sleep 3600'], env: [{ name: 'MODE', valueFrom: { configMapKeyRef: { name: 'late-config', key: 'mode' } } }] }] } });
      await until('the container waits with CreateContainerConfigError', async () => (await json('get', 'pod', 'needs-config')).status?.containerStatuses?.[0]?.state?.waiting?.reason === 'CreateContainerConfigError');
      await kc('create', 'configmap', 'late-config', '--from-literal=mode=fast');
      await until('it runs', async () => (await json('get', 'pod', 'needs-config')).status?.containerStatuses?.[0]?.state?.running);
      await until('with the value', async () => (await kc('logs', 'needs-config')).trim() === 'fast');
    });

    it('reports a pod whose CNI ADD fails, and leaves nothing half-created', async () => {
      await apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'cni-broken' }, spec: { nodeName: dp.nodes[0].name, containers: [{ name: 'main', image: 'busybox', command: ['sleep', '3600'] }] } });
      const describe = await until('a FailedCreatePodSandBox event', async () => {
        const d = await kc('describe', 'pod', 'cni-broken');
        return /FailedCreatePodSandBox/.test(d) && d;
      });
      assert.match(describe, /no addresses left for this pod/, 'the plugin\'s message reaches the event');
      // The status write may land just after the event.
      const pod = await until('the pod status says it is waiting for its sandbox', async () => {
        const p = await json('get', 'pod', 'cni-broken');
        return p.status?.conditions?.some((x: any) => x.type === 'PodReadyToStartContainers') && p.status?.containerStatuses?.[0] && p;
      });
      assert.equal(pod.status.phase, 'Pending');
      assert.equal(pod.status.conditions.find((x: any) => x.type === 'PodReadyToStartContainers')?.status, 'False');
      assert.equal(pod.status.containerStatuses[0].state.waiting.reason, 'ContainerCreating');
      // The agent retries with back-off; between attempts nothing of the pod is left.
      await until('its network namespace is removed again', async () => !netnsList().includes(`knet-${cluster}-pod-${pod.metadata.uid.slice(0, 12)}`), 5000, 20);
      await kc('delete', 'pod', 'cni-broken', '--wait=true', '--timeout=30s');
    });

    it('removes a deleted pod\'s namespace and frees its IP', async () => {
      const pod = (await json('get', 'pods', '-l', 'app=web')).items[0];
      const ns = `knet-${cluster}-pod-${pod.metadata.uid.slice(0, 12)}`;
      assert.ok(netnsList().includes(ns));
      await kc('delete', 'pod', pod.metadata.name, '--wait=true', '--timeout=30s');
      assert.ok(!netnsList().includes(ns), 'the pod namespace is gone');
      const ipam = execFileSync('sh', ['-c', `grep -rl "${pod.metadata.uid}" ${c.dir}/data/nodes/*/ipam 2>/dev/null || true`], { encoding: 'utf8' });
      assert.equal(ipam.trim(), '', 'no IPAM reservation is left for the deleted pod');
    });

    it('leaves no namespace and no process behind when the cluster stops', async () => {
      const pids = netnsList().filter((n) => n.startsWith(`knet-${cluster}-`))
        .flatMap((n) => execFileSync('ip', ['netns', 'pids', n], { encoding: 'utf8' }).split(/\s+/).filter(Boolean));
      assert.ok(pids.length > 0, 'pods run before the stop');
      await dp.stop();
      assert.deepEqual(netnsList().filter((n) => n.startsWith(`knet-${cluster}-`)), []);
      // Gone, or a zombie waiting to be reaped by its parent (it holds no namespace any more).
      const alive = (pid: string) => {
        try {
          return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
        } catch {
          return false;
        }
      };
      await until('every pod process is gone', async () => pids.every((p) => !alive(p)), 5000);
    });
  });
}

podNetworkSuite('host-gw');
podNetworkSuite('vxlan');
