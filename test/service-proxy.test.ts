// Services carrying real traffic on a 3-node cluster (every node's nftables programmed by its
// proxy): ClusterIP from pods on every node, spread over the endpoints; NodePort and
// LoadBalancer from the fabric and from the host's loopback; session affinity; Local traffic
// policy preserving the client address; a Service without endpoints failing fast; hairpin;
// UDP moving to a new endpoint at once; the `kubernetes` Service from a pod.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { startTestCluster } from './support/harness.ts';
import type { TestCluster } from './support/harness.ts';
import { until } from './support/until.ts';
import { kubectlHelpers } from './support/kubectl.ts';
import { startDataPlane } from '../src/cli/data-plane.ts';
import type { DataPlane } from '../src/cli/data-plane.ts';

const AGNHOST = 'registry.k8s.io/e2e-test-images/agnhost:2.53';

function run(cmd: string, args: string[]): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => execFile(cmd, args, { timeout: 30_000 }, (err, stdout) => resolve({ code: err ? Number((err as any).code ?? 1) : 0, stdout })));
}

describe('service proxy', () => {
  const cluster = `sp${process.pid % 10000}`;
  let c: TestCluster;
  let dp: DataPlane;
  const { kc, json, apply } = kubectlHelpers(() => c);
  /** curl from the fabric namespace (the "datacenter": outside every node). */
  const fromFabric = (url: string, timeout = 3) => run('ip', ['netns', 'exec', `knet-${cluster}-fabric`, 'curl', '-s', '-m', String(timeout), url]);
  /** A one-shot pod on a node running a shell script; resolves with its log once it ends. */
  const podScript = async (name: string, node: string, script: string, image = 'busybox') => {
    await apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { nodeName: node, restartPolicy: 'Never', containers: [{ name: 'main', image, command: ['sh', '-c', script] }] } });
    const p = await until(`${name} finished`, async () => {
      const pod = await json('get', 'pod', name);
      return ['Succeeded', 'Failed'].includes(pod.status?.phase) && pod;
    }, 60_000);
    return { phase: p.status.phase as string, log: await kc('logs', name) };
  };
  const hostnames = (log: string) => new Set(log.split('\n').map((l) => l.trim()).filter(Boolean));
  const getMany = (ip: string, port: number, path: string, n: number) =>
    `for i in $(seq ${n}); do printf 'GET ${path} HTTP/1.0\\r\\n\\r\\n' | nc -w 3 ${ip} ${port} | tail -1; echo; done`;

  before(async () => {
    c = await startTestCluster({ controllers: true });
    dp = await startDataPlane({
      cluster, nodes: 3, backend: 'host-gw', api: { server: c.url, token: c.token, caCert: c.caCert }, dataDir: `${c.dir}/data`,
      log: (m, f) => process.stderr.write(`node: ${m} ${JSON.stringify(f ?? {})}\n`),
    });
    await dp.ready;
    await kc('create', 'deployment', 'web', `--image=${AGNHOST}`, '--replicas=3', '--', '/agnhost', 'netexec', '--http-port=8080');
    await kc('expose', 'deployment', 'web', '--port=80', '--target-port=8080', '--type=LoadBalancer');
    await kc('rollout', 'status', 'deployment/web', '--timeout=60s');
    await until('the slice lists three ready endpoints', async () => {
      const s = await json('get', 'endpointslices', '-l', 'kubernetes.io/service-name=web');
      return s.items.flatMap((x: any) => x.endpoints ?? []).filter((e: any) => e.conditions.ready).length === 3;
    });
  });
  after(async () => {
    await dp?.stop();
    await c?.close();
  });

  it('reaches every endpoint of a ClusterIP from a pod on every node', async () => {
    const svc = await json('get', 'service', 'web');
    const pods = new Set((await json('get', 'pods', '-l', 'app=web')).items.map((p: any) => p.metadata.name));
    for (const [i, n] of dp.nodes.entries()) {
      const r = await podScript(`cip-${i}`, n.name, getMany(svc.spec.clusterIP, 80, '/hostname', 30));
      assert.equal(r.phase, 'Succeeded');
      assert.deepEqual(hostnames(r.log), pods, `from ${n.name}: every endpoint answers, and only endpoints`);
    }
  });

  it('serves the NodePort on every node, and the LoadBalancer address from the fabric and the host', async () => {
    const svc = await json('get', 'service', 'web');
    const nodePort = svc.spec.ports[0].nodePort;
    for (const n of dp.nodes) {
      const r = await fromFabric(`http://${n.ip}:${nodePort}/hostname`);
      assert.equal(r.code, 0, `NodePort on ${n.name}`);
      assert.match(r.stdout, /^web-/);
    }
    const fromPod = await podScript('np-pod', dp.nodes[2].name, getMany(dp.nodes[0].ip, nodePort, '/hostname', 3));
    assert.match(fromPod.log, /web-/, 'a pod on another node reaches the NodePort');
    const lb = await until('an ingress IP', async () => (await json('get', 'service', 'web')).status?.loadBalancer?.ingress?.[0]?.ip);
    const seen = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const r = await fromFabric(`http://${lb}/hostname`);
      assert.equal(r.code, 0, `LoadBalancer ${lb} from the fabric`);
      seen.add(r.stdout.trim());
    }
    assert.ok(seen.size >= 2, `the LoadBalancer spreads over endpoints: ${[...seen]}`);
    const published = await until('the Service is published on the host', async () => (await json('get', 'service', 'web')).metadata.annotations?.['knet.dev/published']);
    const host = await run('curl', ['-s', '-m', '3', `http://${published}/hostname`]);
    assert.match(host.stdout, /^web-/, `curl http://${published}/ from the machine reaches the Service`);
  });

  it('publishes a UDP LoadBalancer port on the host too', async () => {
    await apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web-udp' }, spec: { type: 'LoadBalancer', selector: { app: 'web' }, ports: [{ name: 'udp', protocol: 'UDP', port: 5353, targetPort: 8081 }] } });
    const published = await until('the UDP port is published', async () => (await json('get', 'service', 'web-udp')).metadata.annotations?.['knet.dev/published'], 30_000);
    const m = /^udp:([\d.]+):(\d+)$/.exec(published);
    assert.ok(m, `published as udp:<host>:<port>: ${published}`);
    // agnhost netexec answers the datagram `hostname` with the pod's name.
    const answer = await until('an answer over UDP from the machine', async () => {
      const sock = createSocket('udp4');
      try {
        return await new Promise<string | false>((resolve) => {
          const t = setTimeout(() => resolve(false), 1000);
          sock.on('message', (msg) => {
            clearTimeout(t);
            resolve(msg.toString());
          });
          sock.send('hostname', Number(m![2]), m![1]);
        });
      } finally {
        sock.close();
      }
    }, 20_000);
    assert.match(answer, /^web-/);
    await kc('delete', 'service', 'web-udp');
  });

  it('follows scaling: new endpoints get traffic, removed ones stop getting it', async () => {
    const lb = (await json('get', 'service', 'web')).status.loadBalancer.ingress[0].ip;
    const seen = async (n: number) => {
      const s = new Set<string>();
      for (let i = 0; i < n; i++) {
        const r = await fromFabric(`http://${lb}/hostname`);
        if (r.code === 0) s.add(r.stdout.trim());
      }
      return s;
    };
    await kc('scale', 'deployment', 'web', '--replicas=4');
    await kc('rollout', 'status', 'deployment/web', '--timeout=60s');
    const pods4 = new Set<string>((await json('get', 'pods', '-l', 'app=web')).items.filter((p: any) => !p.metadata.deletionTimestamp).map((p: any) => p.metadata.name));
    const seenSoFar = new Set<string>();
    await until('all four endpoints answer', async () => {
      for (const h of await seen(16)) seenSoFar.add(h);
      return [...pods4].every((p) => seenSoFar.has(p));
    });
    await kc('scale', 'deployment', 'web', '--replicas=3');
    await kc('rollout', 'status', 'deployment/web', '--timeout=60s');
    const pods3 = new Set<string>((await json('get', 'pods', '-l', 'app=web')).items.filter((p: any) => !p.metadata.deletionTimestamp).map((p: any) => p.metadata.name));
    await until('only the remaining three answer', async () => [...(await seen(16))].every((h) => pods3.has(h)));
  });

  it('keeps a client on one endpoint with sessionAffinity ClientIP', async () => {
    await kc('patch', 'service', 'web', '-p', '{"spec":{"sessionAffinity":"ClientIP"}}');
    const svc = await json('get', 'service', 'web');
    await new Promise((r) => setTimeout(r, 500));
    const r = await podScript('sticky', dp.nodes[1].name, getMany(svc.spec.clusterIP, 80, '/hostname', 15));
    assert.equal(hostnames(r.log).size, 1, `one endpoint for one client: ${[...hostnames(r.log)]}`);
    await kc('patch', 'service', 'web', '-p', '{"spec":{"sessionAffinity":"None"}}');
  });

  it('keeps Local external traffic on the node and preserves the client address', async () => {
    await apply({
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'web-local' },
      spec: { type: 'NodePort', externalTrafficPolicy: 'Local', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] },
    });
    const svc = await json('get', 'service', 'web-local');
    const nodePort = svc.spec.ports[0].nodePort;
    const node = dp.nodes[0];
    const local = (await json('get', 'pods', '-l', 'app=web')).items.find((p: any) => p.spec.nodeName === node.name);
    const r = await until('the Local NodePort answers', async () => {
      const x = await fromFabric(`http://${node.ip}:${nodePort}/clientip`);
      return x.code === 0 && x.stdout;
    });
    assert.match(r, /^172\.18\.0\.1:\d+$/, 'the client address (the fabric gateway) reaches the pod unchanged');
    const host = await fromFabric(`http://${node.ip}:${nodePort}/hostname`);
    assert.equal(host.stdout.trim(), local.metadata.name, 'only the node\'s own endpoint serves');
  });

  it('fails a connection to a Service without endpoints at once instead of timing out', async () => {
    await kc('create', 'service', 'clusterip', 'empty', '--tcp=80:8080');
    const svc = await json('get', 'service', 'empty');
    await new Promise((r) => setTimeout(r, 500));
    const r = await podScript('no-endpoints', dp.nodes[1].name, `if nc -w 10 ${svc.spec.clusterIP} 80 </dev/null 2>/tmp/err; then echo connected; else cat /tmp/err; fi`);
    assert.match(r.log, /refused/i, `rejected, not dropped: ${r.log}`);
  });

  it('keeps serving every other Service when two Services claim the same external address', async () => {
    const ext = '10.200.0.1';
    for (const name of ['claim-a', 'claim-b']) {
      await apply({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { selector: { app: 'web' }, externalIPs: [ext], ports: [{ port: 80, targetPort: 8080 }] } });
    }
    await until('claim-b has its three endpoints', async () => {
      const sl = await json('get', 'endpointslices', '-l', 'kubernetes.io/service-name=claim-b');
      return sl.items.flatMap((x: any) => x.endpoints ?? []).filter((e: any) => e.conditions.ready).length === 3;
    });
    await new Promise((r) => setTimeout(r, 300));
    const b = await json('get', 'service', 'claim-b');
    const web = await json('get', 'service', 'web');
    // claim-a holds the address (first in name order); claim-b loses only that address.
    const r = await podScript('claims', dp.nodes[1].name,
      `${getMany(ext, 80, '/hostname', 2)}; ${getMany(b.spec.clusterIP, 80, '/hostname', 2)}; ${getMany(web.spec.clusterIP, 80, '/hostname', 2)}`);
    assert.equal(r.phase, 'Succeeded');
    const lines = r.log.split('\n').map((l) => l.trim()).filter(Boolean);
    assert.equal(lines.length, 6, `every request answered: ${r.log}`);
    assert.ok(lines.every((l) => l.startsWith('web-')), r.log);
    await kc('delete', 'service', 'claim-a', 'claim-b');
  });

  it('lets a pod reach itself through its own Service (hairpin)', async () => {
    await apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'solo', labels: { app: 'solo' } }, spec: { containers: [{ name: 'main', image: AGNHOST, args: ['netexec', '--http-port=8080', '--udp-port=-1'] }] } });
    await kc('expose', 'pod', 'solo', '--port=80', '--target-port=8080');
    await until('solo is ready', async () => (await json('get', 'pod', 'solo')).status?.conditions?.find((x: any) => x.type === 'Ready')?.status === 'True');
    const svc = await json('get', 'service', 'solo');
    await new Promise((r) => setTimeout(r, 500));
    const r = await c.kubectl(['exec', 'solo', '--', 'curl', '-s', '-m', '3', '--retry', '10', '--retry-connrefused', '--retry-delay', '1', `http://${svc.spec.clusterIP}/hostname`]);
    assert.equal(r.stdout.trim(), 'solo', r.stderr);
  });

  it('answers the healthCheckNodePort of a Local LoadBalancer: 200 where an endpoint runs, 503 elsewhere', async () => {
    await apply({
      apiVersion: 'v1', kind: 'Service', metadata: { name: 'solo-lb' },
      spec: { type: 'LoadBalancer', externalTrafficPolicy: 'Local', selector: { app: 'solo' }, ports: [{ port: 80, targetPort: 8080 }] },
    });
    const svc = await json('get', 'service', 'solo-lb');
    const hp = svc.spec.healthCheckNodePort;
    assert.ok(hp, 'the API server allocated a healthCheckNodePort');
    const home = (await json('get', 'pod', 'solo')).spec.nodeName;
    for (const n of dp.nodes) {
      const r = await until(`the health check on ${n.name} answers`, async () => {
        const x = await run('ip', ['netns', 'exec', `knet-${cluster}-fabric`, 'curl', '-s', '-m', '3', '-w', '\n%{http_code}', `http://${n.ip}:${hp}/healthz`]);
        return x.code === 0 && x.stdout;
      });
      const [body, code] = [r.slice(0, r.lastIndexOf('\n')), r.slice(r.lastIndexOf('\n') + 1)];
      if (n.name === home) {
        assert.equal(code, '200');
        assert.equal(JSON.parse(body).localEndpoints, 1);
      } else {
        assert.equal(code, '503', `${n.name} has no endpoint of solo-lb`);
      }
    }
  });

  it('moves a UDP client to the new endpoint at once when the old one goes', async () => {
    await kc('create', 'deployment', 'udp', `--image=${AGNHOST}`, '--replicas=1', '--', '/agnhost', 'netexec', '--http-port=8080', '--udp-port=8081');
    await apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'udp' }, spec: { selector: { app: 'udp' }, ports: [{ protocol: 'UDP', port: 53, targetPort: 8081 }] } });
    await kc('rollout', 'status', 'deployment/udp', '--timeout=60s');
    const first = (await json('get', 'pods', '-l', 'app=udp')).items[0].metadata.name;
    const svc = await json('get', 'service', 'udp');
    // One socket, one source port, a query every 200 ms for 12 s: conntrack would pin it to
    // the old endpoint if the proxy did not clear the entry.
    const script = `import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("0.0.0.0", 40000)); s.settimeout(0.5)
end = time.time() + 12
while time.time() < end:
    s.sendto(b"hostname", ("${svc.spec.clusterIP}", 53))
    try: print(s.recvfrom(100)[0].decode(), flush=True)
    except socket.timeout: print("timeout", flush=True)
    time.sleep(0.2)`;
    await apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'udp-client' }, spec: { nodeName: dp.nodes[0].name, restartPolicy: 'Never', containers: [{ name: 'main', image: 'debian:12', command: ['python3', '-c', script] }] } });
    await until('the client gets answers', async () => (await c.kubectl(['logs', 'udp-client'])).stdout.includes(first));
    await kc('delete', 'pod', first, '--wait=false');
    const log = await until('the client finished', async () => {
      const p = await json('get', 'pod', 'udp-client');
      return p.status?.phase === 'Succeeded' && (await kc('logs', 'udp-client'));
    }, 60_000);
    const answers = hostnames(log);
    answers.delete('timeout');
    answers.delete(first);
    assert.equal(answers.size, 1, `the same socket reached the replacement endpoint: ${log.split('\n').slice(-5).join(' | ')}`);
  });

  it('keeps established connections through a proxy restart', async () => {
    const svc = await json('get', 'service', 'web');
    // One keep-alive HTTP connection, a request every 100 ms for 6 s; the proxy of the
    // client's node restarts meanwhile (a full atomic replace of its table).
    const script = `import http.client, time
c = http.client.HTTPConnection("${svc.spec.clusterIP}", 80, timeout=2)
ok = fail = 0
end = time.time() + 6
while time.time() < end:
    try:
        c.request("GET", "/hostname"); r = c.getresponse(); r.read(); ok += 1
    except Exception as e:
        fail += 1; print("error", e, flush=True); c = http.client.HTTPConnection("${svc.spec.clusterIP}", 80, timeout=2)
    time.sleep(0.1)
print("ok", ok, "fail", fail, flush=True)`;
    const node = dp.nodes[2].name;
    await apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'keepalive' }, spec: { nodeName: node, restartPolicy: 'Never', containers: [{ name: 'main', image: 'debian:12', command: ['python3', '-c', script] }] } });
    await until('the client runs', async () => (await json('get', 'pod', 'keepalive')).status?.phase === 'Running');
    await new Promise((r) => setTimeout(r, 1500));
    await dp.restartProxy(node);
    const log = await until('the client finished', async () => {
      const p = await json('get', 'pod', 'keepalive');
      return p.status?.phase === 'Succeeded' && (await kc('logs', 'keepalive'));
    }, 60_000);
    const m = log.match(/ok (\d+) fail (\d+)/);
    assert.ok(m, log);
    assert.equal(Number(m![2]), 0, `no request failed across the restart: ${log}`);
    assert.ok(Number(m![1]) > 20);
  });

  it('reaches the API server through the kubernetes Service from a pod', async () => {
    const sa = '/var/run/secrets/kubernetes.io/serviceaccount';
    const r = await podScript('api-client', dp.nodes[2].name,
      `curl -sf --cacert ${sa}/ca.crt -H "Authorization: Bearer $(cat ${sa}/token)" https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT/api/v1/namespaces/default/services/kubernetes | grep -o '"clusterIP": *"[0-9.]*"'`, 'debian:12');
    assert.equal(r.phase, 'Succeeded', r.log);
    assert.match(r.log, /10\.96\.0\.1/);
  });
});
