// A real sandbox and real containers in a throwaway network namespace: hostname, files,
// shared localhost between containers, default capabilities (no network changes), stop.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox } from './sandbox.ts';
import type { Sandbox } from './sandbox.ts';
import { startContainer } from './containers.ts';

const NS = `knet-test-sbx-${process.pid}`;
const logLines = (path: string) => readFileSync(path, 'utf8').split('\n').filter(Boolean).map((l) => l.split(' ').slice(3).join(' '));

describe('pod sandbox and containers', () => {
  let dir: string;
  let sb: Sandbox;
  before(async () => {
    execFileSync('ip', ['netns', 'add', NS]);
    execFileSync('ip', ['-n', NS, 'link', 'set', 'lo', 'up']);
    dir = mkdtempSync(join(tmpdir(), 'knet-sbx-'));
    sb = await startSandbox(NS, dir, {
      hostname: 'web-0', hosts: '127.0.0.1\tlocalhost\n10.244.0.5\tweb-0\n', resolvConf: 'nameserver 10.96.0.10\n',
      serviceAccount: { token: 'tok', namespace: 'default' },
    });
  });
  after(async () => {
    sb?.stop();
    await sb?.exited;
    execFileSync('ip', ['netns', 'del', NS]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives containers the pod hostname, files and service-account directory', async () => {
    const log = join(dir, 'a.log');
    const c = await startContainer(sb.initPid, { argv: ['sh', '-c', 'hostname; cat /etc/resolv.conf; cat /var/run/secrets/kubernetes.io/serviceaccount/token; echo; ls /run/netns 2>&1 | head -1; echo pid1=$(cat /proc/1/comm)'], env: { PATH: '/usr/bin:/bin' }, logPath: log });
    assert.deepEqual(await c.exited, { exitCode: 0 });
    const out = logLines(log);
    assert.equal(out[0], 'web-0');
    assert.equal(out[1], 'nameserver 10.96.0.10');
    assert.equal(out[2], 'tok');
    assert.match(out[3], /No such file|cannot access/, 'the machine\'s /run/netns is out of sight');
    assert.equal(out[4], 'pid1=sh', 'the pod has its own PID namespace');
  });

  it('lets containers of one pod talk over localhost and keeps them from changing the network', async () => {
    const log = join(dir, 'b.log');
    // Up to three rounds on fresh ports: one lost start-up race under load must not decide
    // the outcome; the round that completes must carry the client's words.
    let heard: string[] = [];
    for (let round = 0; round < 3 && !heard.includes('hello'); round++) {
      const port = 7000 + round;
      const srvLog = join(dir, `srv-${round}.log`);
      const server = await startContainer(sb.initPid, { argv: ['busybox', 'nc', '-l', '-p', String(port)], env: { PATH: '/usr/bin:/bin' }, logPath: srvLog });
      const client = await startContainer(sb.initPid, { argv: ['sh', '-c', `for i in $(seq 50); do echo hello | busybox nc 127.0.0.1 ${port} 2>/dev/null && break; sleep 0.1; done; ip link add d0 type dummy 2>/dev/null; echo link=$?; ip route add 10.9.9.0/24 dev lo 2>/dev/null; echo route=$?`], env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' }, logPath: log });
      assert.equal((await client.exited).exitCode, 0);
      server.signal('SIGKILL');
      await server.exited;
      heard = logLines(srvLog);
    }
    assert.deepEqual(heard, ['hello'], 'the server heard the client over localhost');
    const out = logLines(log);
    assert.match(out.find((l) => l.startsWith('link='))!, /^link=[1-9]/, 'no NET_ADMIN: cannot add links');
    assert.match(out.find((l) => l.startsWith('route='))!, /^route=[1-9]/, 'no NET_ADMIN: cannot add routes');
  });

  it('stops a container with a signal and reports it', async () => {
    const c = await startContainer(sb.initPid, { argv: ['sleep', '30'], env: { PATH: '/usr/bin:/bin' }, logPath: join(dir, 'c.log') });
    c.signal('SIGTERM');
    const exit = await c.exited;
    assert.equal(exit.exitCode, 143);
  });
});
