// The knet command as a user runs it: `knet up --detach`, status, kubeconfig, down, resume,
// and a crash (kill -9) in the middle of writes that loses no acknowledged object.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runKubectl } from './support/harness.ts';

const ROOT = join(import.meta.dirname, '..');
const KNET = join(ROOT, 'knet');

function knet(home: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(KNET, args, { env: { ...process.env, KNET_HOME: home }, timeout: 90_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('knet command', { concurrency: false }, () => {
  let home: string;
  before(() => {
    home = mkdtempSync(join(tmpdir(), 'knet-home-'));
  });
  after(async () => {
    await knet(home, ['down', '--name', 'clitest']);
    await knet(home, ['down', '--name', 'clinodes']);
    rmSync(home, { recursive: true, force: true });
  });

  it('starts a cluster in the background, reports it, stops it, and resumes its objects', async () => {
    const upRes = await knet(home, ['up', '--nodes', '0', '--detach', '--name', 'clitest', '--api-port', '16443']);
    assert.equal(upRes.code, 0, upRes.stderr);
    const kubeconfig = upRes.stdout.trim();
    assert.equal(kubeconfig, join(home, 'clusters', 'clitest', 'kubeconfig'));
    assert.match(readFileSync(kubeconfig, 'utf8'), /server: https:\/\/127\.0\.0\.1:16443/);
    assert.match(upRes.stderr, /export KUBECONFIG=/);

    const st = await knet(home, ['status']);
    assert.match(st.stdout, /^clitest\s+running \(pid \d+\)\s+https:\/\/127\.0\.0\.1:16443/m);
    const again = await knet(home, ['up', '--nodes', '0', '--detach', '--name', 'clitest']);
    assert.match(again.stderr, /already running/);

    const k = (...args: string[]) => runKubectl('1.33', ['--kubeconfig', kubeconfig, '--cache-dir', join(home, 'kc'), ...args]);
    assert.equal((await k('create', 'configmap', 'keep', '--from-literal=a=b')).code, 0);

    const down = await knet(home, ['down', '--name', 'clitest']);
    assert.match(down.stderr, /stopped cluster "clitest"/);
    assert.match((await knet(home, ['status'])).stdout, /^clitest\s+stopped/m);
    assert.notEqual((await k('get', 'ns')).code, 0, 'the API server is gone after down');

    const resumed = await knet(home, ['up', '--nodes', '0', '--detach', '--name', 'clitest']);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.equal(resumed.stdout.trim(), kubeconfig, 'same kubeconfig');
    const cm = await k('get', 'configmap', 'keep', '-o', 'jsonpath={.data.a}');
    assert.equal(cm.stdout, 'b', cm.stderr);
    await knet(home, ['down', '--name', 'clitest']);
  });

  it('refuses bad flags and names with a clear message', async () => {
    const bad = await knet(home, ['up', '--name', 'Bad_Name']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /cluster name "Bad_Name" is not valid/);
    const port = await knet(home, ['up', '--api-port', 'x']);
    assert.match(port.stderr, /--api-port x is not a port number/);
    const cmd = await knet(home, ['frobnicate']);
    assert.match(cmd.stderr, /unknown command "frobnicate"/);
    assert.match((await knet(home, ['up', '--nodes', 'many'])).stderr, /--nodes many is not a node count/);
    assert.match((await knet(home, ['up', '--backend', 'gre'])).stderr, /--backend gre is not a backend: use host-gw or vxlan/);
    assert.match((await knet(home, ['up', '--publish', 'localhost'])).stderr, /--publish localhost is not an IPv4 address/);
    const publish = await knet(home, ['up', '--detach', '--name', 'clipub', '--publish', '10.123.45.67']);
    assert.equal(publish.code, 1);
    assert.match(publish.stderr, /--publish 10\.123\.45\.67: this machine has no such address to listen on/);
  });

  it('loses no acknowledged write when the server is killed with SIGKILL mid-write', async () => {
    const upRes = await knet(home, ['up', '--nodes', '0', '--detach', '--name', 'clitest', '--api-port', '16444']);
    assert.equal(upRes.code, 0, upRes.stderr);
    const kubeconfig = upRes.stdout.trim();
    const state = JSON.parse(readFileSync(join(home, 'clusters', 'clitest', 'server.json'), 'utf8'));
    const cfg = readFileSync(kubeconfig, 'utf8');
    const token = cfg.match(/token: (\S+)/)![1];
    const ca = Buffer.from(cfg.match(/certificate-authority-data: (\S+)/)![1], 'base64').toString();
    const { request } = await import('node:https');
    const acked: string[] = [];
    const create = (name: string) => new Promise<boolean>((resolve) => {
      const body = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { payload: 'x'.repeat(2000) } });
      const req = request({ host: '127.0.0.1', port: state.port, path: '/api/v1/namespaces/default/configmaps', method: 'POST', ca, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode === 201));
      });
      req.on('error', () => resolve(false));
      req.end(body);
    });
    // Eight writers in parallel; the kill lands while they are busy.
    let stop = false;
    const writers = Array.from({ length: 8 }, async (_, w) => {
      for (let i = 0; !stop; i++) {
        const name = `crash-${w}-${i}`;
        if (await create(name)) acked.push(name);
        else break;
      }
    });
    while (acked.length < 200) await new Promise((r) => setTimeout(r, 5));
    process.kill(state.pid, 'SIGKILL');
    stop = true;
    await Promise.all(writers);

    const resumed = await knet(home, ['up', '--nodes', '0', '--detach', '--name', 'clitest', '--api-port', '16444']);
    assert.equal(resumed.code, 0, resumed.stderr);
    const list = await runKubectl('1.33', ['--kubeconfig', kubeconfig, '--cache-dir', join(home, 'kc2'), 'get', 'configmaps', '-o', 'json']);
    assert.equal(list.code, 0, list.stderr);
    const items = JSON.parse(list.stdout).items;
    const present = new Set(items.map((i: any) => i.metadata.name));
    const lost = acked.filter((n) => !present.has(n));
    assert.deepEqual(lost, [], `acknowledged but lost: ${lost.length} of ${acked.length}`);
    for (const i of items) if (i.metadata.name.startsWith('crash-')) assert.equal(i.data.payload.length, 2000, 'no half-written object');
    await knet(home, ['down', '--name', 'clitest']);
  });

  it('starts nodes with the default app, resumes pods with their IPs after a crash, and leaves nothing after down', async () => {
    const netns = () => execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' }).split('\n').map((l) => l.split(' ')[0]).filter((n) => n.startsWith('knet-clinodes-'));
    const upRes = await knet(home, ['up', '--nodes', '2', '--detach', '--name', 'clinodes', '--api-port', '16445']);
    assert.equal(upRes.code, 0, upRes.stderr);
    const kc = (...args: string[]) => runKubectl('1.33', ['--kubeconfig', upRes.stdout.trim(), '--cache-dir', join(home, 'kc3'), ...args]);
    const rollout = await kc('rollout', 'status', 'deployment/hello', '--timeout=60s');
    assert.equal(rollout.code, 0, rollout.stderr);
    const ips = async () => Object.fromEntries(JSON.parse((await kc('get', 'pods', '-l', 'app=hello', '-o', 'json')).stdout).items.map((p: any) => [p.metadata.name, p.status.podIP]));
    const before = await ips();
    assert.equal(Object.keys(before).length, 2);
    // The hello app's two pods and the cluster DNS's two (which may still be starting).
    let status = await knet(home, ['status']);
    for (let i = 0; i < 100 && !/4\/4 Running/.test(status.stdout); i++) {
      await new Promise((r) => setTimeout(r, 100));
      status = await knet(home, ['status']);
    }
    assert.match(status.stdout, /clinodes\s+running .*2\/2 Ready\s+4\/4 Running/);
    // The Hello World app is a LoadBalancer Service published on the host; its URL answers
    // with the serving pod's name, from both pods in turn.
    const url = status.stdout.match(/clinodes: published default\/hello -> (\S+)/)?.[1];
    assert.ok(url, status.stdout);
    const served = new Set<string>();
    for (let i = 0; i < 60 && served.size < 2; i++) {
      let r = '';
      try {
        r = execFileSync('curl', ['-s', '-m', '3', `http://${url}/`], { encoding: 'utf8' });
      } catch { /* a pod still starting: try again */ }
      const name = r.match(/Hostname: (\S+)/)?.[1];
      if (name) served.add(name);
      else await new Promise((res) => setTimeout(res, 100));
    }
    assert.deepEqual([...served].sort(), Object.keys(before).sort());
    const state = JSON.parse(readFileSync(join(home, 'clusters', 'clinodes', 'server.json'), 'utf8'));
    process.kill(state.pid, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 200));
    assert.ok(netns().length >= 5, 'a crash leaves the namespaces behind');
    const resumed = await knet(home, ['up', '--nodes', '2', '--detach', '--name', 'clinodes', '--api-port', '16445']);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.equal((await kc('rollout', 'status', 'deployment/hello', '--timeout=60s')).code, 0);
    let after: Record<string, string> = {};
    for (let i = 0; i < 100 && JSON.stringify(after) !== JSON.stringify(before); i++) {
      after = await ips();
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.deepEqual(after, before, 'the pods came back with their IPs');
    const down = await knet(home, ['down', '--name', 'clinodes']);
    assert.match(down.stderr, /removed 7 network namespaces \(fabric, 2 nodes, 4 pods\)/);
    assert.deepEqual(netns(), []);
  });
});
