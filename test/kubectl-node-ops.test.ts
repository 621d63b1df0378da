// kubectl logs, exec and port-forward end to end, as root with real namespaces: a 2-node
// cluster in this process, driven by the real kubectl 1.33 and 1.30. The API server proxies
// to each node agent's kubelet API (WebSocket channel protocol for exec, SPDY/3.1 for
// port-forward, tunnelled in a WebSocket for 1.33 and a plain upgrade for 1.30).
// Run inside a throwaway network namespace:
//   unshare --net -- bash -c 'ip link set lo up; node --test test/kubectl-node-ops.test.ts'

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import { get } from 'node:http';
import { join } from 'node:path';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { startTestCluster, KUBECTL_DIR } from './support/harness.ts';
import type { TestCluster } from './support/harness.ts';
import { until } from './support/until.ts';
import { startDataPlane } from '../src/cli/data-plane.ts';
import type { DataPlane } from '../src/cli/data-plane.ts';

const AGNHOST = 'registry.k8s.io/e2e-test-images/agnhost:2.53';
const VERSIONS = ['1.33', '1.30'];


describe('kubectl logs, exec and port-forward', () => {
  const cluster = `no${process.pid % 10000}`;
  let c: TestCluster;
  let dp: DataPlane;
  let workerNode: string;
  let cpNode: string;
  const kc = async (args: string[], o: { version?: string; input?: string } = {}) => c.kubectl(args, o);
  const ok = async (args: string[], o: { version?: string; input?: string } = {}) => {
    const r = await kc(args, o);
    assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  const apply = async (obj: object) => ok(['apply', '-f', '-'], { input: JSON.stringify(obj) });
  const pod = (name: string, node: string, containers: object[], restartPolicy = 'Never') => ({
    apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { nodeName: node, restartPolicy, containers },
  });
  const sh = (name: string, script: string) => ({ name, image: 'busybox:1.36', command: ['sh', '-c', script] });
  const podJson = async (name: string) => JSON.parse(await ok(['get', 'pod', name, '-o', 'json']));
  const running = (name: string) => until(`pod ${name} runs`, async () => (await podJson(name)).status?.phase === 'Running');

  before(async () => {
    c = await startTestCluster({ controllers: true });
    dp = await startDataPlane({
      cluster, nodes: 2, backend: 'host-gw', api: { server: c.url, token: c.token, caCert: c.caCert }, dataDir: `${c.dir}/data`,
      restartBackoff: { initialMs: 300, maxMs: 1000 },
      log: (m, f) => process.stderr.write(`node: ${m} ${JSON.stringify(f ?? {})}\n`),
    });
    await dp.ready;
    [cpNode, workerNode] = dp.nodes.map((n) => n.name);
    await apply(pod('web', workerNode, [{ name: 'web', image: AGNHOST, args: ['netexec', '--http-port=8080'] }]));
    await apply(pod('two', cpNode, [sh('a', 'echo from-a; sleep 3600'), sh('b', 'echo from-b; sleep 3600')]));
    await Promise.all([running('web'), running('two')]);
  });
  after(async () => {
    await dp?.stop();
    await c?.close();
  });

  it('publishes each node\'s kubelet socket on its Node', async () => {
    const nodes = JSON.parse(await ok(['get', 'nodes', '-o', 'json'])).items;
    assert.equal(nodes.length, 2);
    for (const n of nodes) assert.match(n.metadata.annotations['knet.dev/kubelet-socket'], /kubelet\.sock$/);
  });

  it('logs: plain, --tail, --timestamps, --since, stderr, -f until the container ends', async () => {
    for (const version of VERSIONS) {
      const name = `logger-${version.replace('.', '')}`;
      await apply(pod(name, workerNode, [sh('main', 'for i in 1 2 3 4; do echo line $i; done; echo oops >&2; sleep 3; echo after')]));
      await running(name);
      const follow = kc(['logs', '-f', name], { version });
      await until('the first lines are written', async () => (await ok(['logs', name], { version })).includes('oops'));
      assert.equal(await ok(['logs', name], { version }), 'line 1\nline 2\nline 3\nline 4\noops\n');
      assert.equal(await ok(['logs', name, '--tail=2'], { version }), 'line 4\noops\n');
      const stamped = (await ok(['logs', `pod/${name}`, '--timestamps', '--tail=1'], { version })).trim();
      assert.match(stamped, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z oops$/);
      assert.equal(await ok(['logs', name, '--since=1h', '--tail=1'], { version }), 'oops\n');
      const f = await follow;
      assert.equal(f.code, 0, f.stderr);
      assert.equal(f.stdout, 'line 1\nline 2\nline 3\nline 4\noops\nafter\n');
      // logs of a finished pod stay readable.
      await until(`${name} succeeded`, async () => (await podJson(name)).status?.phase === 'Succeeded');
      assert.equal(await ok(['logs', name, '--tail=1'], { version }), 'after\n');
    }
  });

  it('logs: -c picks a container; several containers without -c is an error as upstream', async () => {
    for (const version of VERSIONS) {
      assert.equal(await ok(['logs', 'two', '-c', 'b'], { version }), 'from-b\n');
      // kubectl itself defaults to the first container; the API server insists, as upstream.
      const r = await kc(['logs', 'two'], { version });
      assert.equal(r.stdout, 'from-a\n');
      assert.match(r.stderr, /Defaulted container "a" out of: a, b/);
      const bad = await kc(['logs', 'two', '-c', 'zzz'], { version });
      assert.match(bad.stderr, /container zzz is not valid for pod two/);
      const missing = await kc(['logs', 'nope'], { version });
      assert.match(missing.stderr, /pods "nope" not found/);
    }
    // The raw API answers for a pod that is not on a node yet and for a container not started.
    await apply({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'unscheduled' }, spec: { nodeName: 'no-such-node', containers: [sh('main', 'true')] } });
    const several = await c.request('GET', '/api/v1/namespaces/default/pods/two/log');
    assert.equal(several.status, 400);
    assert.equal(several.body.message, 'a container name must be specified for pod two, choose one of: [a b]');
    const r = await c.request('GET', '/api/v1/namespaces/default/pods/unscheduled/log');
    assert.equal(r.status, 400);
    assert.match(r.body.message, /node "no-such-node" of pod unscheduled is not registered/);
    await ok(['delete', 'pod', 'unscheduled', '--wait=false']);
    // A container that cannot start (its ConfigMap is missing) waits: logs and exec say so.
    await apply(pod('waiting', cpNode, [{ ...sh('main', 'true'), env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'absent', key: 'k' } } }] }]));
    await until('waiting reports its reason', async () => (await podJson('waiting')).status?.containerStatuses?.[0]?.state?.waiting?.reason === 'CreateContainerConfigError');
    const w = await kc(['logs', 'waiting']);
    assert.match(w.stderr, /container "main" in pod "waiting" is waiting to start: CreateContainerConfigError/);
    const e = await kc(['exec', 'waiting', '--', 'true']);
    assert.notEqual(e.code, 0);
    assert.match(e.stderr, /container not found \("main"\)/);
    const a = await kc(['attach', 'web']);
    assert.match(a.stderr, /attach is not supported/);
  });

  it('logs --previous after a restart', async () => {
    await apply(pod('crash', cpNode, [sh('main', 'echo run at $(date +%s); sleep 0.5; exit 1')], 'Always'));
    await until('crash restarted', async () => (await podJson('crash')).status?.containerStatuses?.[0]?.restartCount >= 1, 60_000);
    for (const version of VERSIONS) {
      const prev = await ok(['logs', 'crash', '--previous'], { version });
      assert.match(prev, /^run at \d+\n$/);
    }
    const fresh = JSON.parse(await ok(['get', 'pod', 'two', '-o', 'json']));
    assert.equal(fresh.status.containerStatuses[0].restartCount, 0);
    const r = await kc(['logs', 'two', '-c', 'a', '--previous']);
    assert.match(r.stderr, /previous terminated container "a" in pod "two" not found/);
  });

  it('exec: output, exit codes, stdin, -c, errors', async () => {
    for (const version of VERSIONS) {
      const r = await kc(['exec', 'web', '--', 'sh', '-c', 'echo hi; echo to-err >&2; exit 3'], { version });
      assert.equal(r.code, 3, r.stderr);
      assert.equal(r.stdout, 'hi\n');
      assert.match(r.stderr, /to-err/);
      assert.equal(await ok(['exec', 'web', '--', 'hostname'], { version }), 'web\n');
      assert.equal(await ok(['exec', '-i', 'web', '--', 'sh', '-c', 'cat; echo done'], { version, input: 'piped\ninput\n' }), 'piped\ninput\ndone\n');
      assert.equal(await ok(['exec', 'two', '-c', 'b', '--', 'sh', '-c', 'echo $HOSTNAME'], { version }), 'two\n');
      const missing = await kc(['exec', 'nope', '--', 'true'], { version });
      assert.match(missing.stderr, /pods "nope" not found/);
    }
    // What the image provides at absolute paths works in exec too: /agnhost in agnhost pods.
    assert.match(await ok(['exec', 'web', '--', '/agnhost', 'dns-suffix']), /cluster\.local/);
    // The exec runs with the container's capabilities: no NET_ADMIN.
    const r = await kc(['exec', 'web', '--', 'ip', 'link', 'add', 'x0', 'type', 'dummy']);
    assert.notEqual(r.code, 0);
  });

  it('cp: copies a file into a pod and back (tar over exec)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'knet-cp-'));
    try {
      writeFileSync(join(dir, 'in.txt'), 'carried over\n');
      await ok(['cp', join(dir, 'in.txt'), 'web:/tmp/in.txt']);
      assert.equal(await ok(['exec', 'web', '--', 'cat', '/tmp/in.txt']), 'carried over\n');
      await ok(['cp', 'web:/tmp/in.txt', join(dir, 'back.txt')]);
      assert.equal(readFileSync(join(dir, 'back.txt'), 'utf8'), 'carried over\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exec -it: the command gets a terminal (kubectl run under script for a tty)', async () => {
    for (const version of VERSIONS) {
      const kubectl = [join(KUBECTL_DIR, `kubectl.${version}`), '--kubeconfig', c.kubeconfig, 'exec', '-it', 'web', '--', 'sh', '-c', 'tty; stty size; exit 4'];
      const out = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
        const child = execFile('/usr/bin/script', ['-qfec', kubectl.map((a) => `'${a}'`).join(' '), '/dev/null'], { timeout: 30_000, env: { ...process.env, COLUMNS: '100', LINES: '30' } }, (err, stdout) => {
          resolve({ code: err ? (err as any).code : 0, stdout });
        });
        child.stdin!.end();
      });
      assert.match(out.stdout, /\/dev\/pts\/\d+/);
      assert.equal(out.code, 4, out.stdout);
    }
  });

  it('port-forward reaches agnhost netexec in the pod, and a port nothing listens on reports an error', async () => {
    for (const version of VERSIONS) {
      const pf = spawn(join(KUBECTL_DIR, `kubectl.${version}`), ['--kubeconfig', c.kubeconfig, 'port-forward', 'pod/web', ':8080', '--address', '127.0.0.1'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      pf.stdout.on('data', (d) => (out += d));
      pf.stderr.on('data', (d) => (err += d));
      try {
        const port = await until('port-forward listens', async () => out.match(/Forwarding from 127\.0\.0\.1:(\d+) -> 8080/)?.[1], 20_000);
        for (let i = 0; i < 2; i++) {
          const body = await new Promise<string>((resolve, reject) => {
            get(`http://127.0.0.1:${port}/hostname`, (res) => {
              let b = '';
              res.on('data', (d) => (b += d));
              res.on('end', () => resolve(b));
            }).on('error', reject);
          });
          assert.equal(body, 'web', `${version}: ${err}`);
        }
      } finally {
        pf.kill('SIGTERM');
      }
    }
    const pf = spawn(join(KUBECTL_DIR, 'kubectl.1.33'), ['--kubeconfig', c.kubeconfig, 'port-forward', 'pod/web', ':9999', '--address', '127.0.0.1'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    pf.stdout.on('data', (d) => (out += d));
    pf.stderr.on('data', (d) => (err += d));
    try {
      const port = await until('port-forward listens', async () => out.match(/Forwarding from 127\.0\.0\.1:(\d+) -> 9999/)?.[1], 20_000);
      await new Promise<void>((resolve) => get(`http://127.0.0.1:${port}/`, () => resolve()).on('error', () => resolve()));
      await until('kubectl reports the refused connection', async () => /error forwarding port 9999 to pod .*connection refused/.test(err), 10_000);
    } finally {
      pf.kill('SIGTERM');
    }
  });
});
