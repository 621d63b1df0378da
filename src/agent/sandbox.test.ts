// A real sandbox and real containers in a throwaway network namespace: hostname, files,
// shared localhost between containers, default capabilities (no network changes), stop.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox } from './sandbox.ts';
import type { Sandbox } from './sandbox.ts';
import { startContainer } from './containers.ts';

const NS = `knet-test-sbx-${process.pid}`;
// Outside /tmp on purpose: the pod's private /tmp would hide it anyway.
const SECRET_DIR = `/var/tmp/knet-test-sbx-secret-${process.pid}`;
const logLines = (path: string) => readFileSync(path, 'utf8').split('\n').filter(Boolean).map((l) => l.split(' ').slice(3).join(' '));

describe('pod sandbox and containers', () => {
  let dir: string;
  let sb: Sandbox;
  before(async () => {
    execFileSync('ip', ['netns', 'add', NS]);
    execFileSync('ip', ['-n', NS, 'link', 'set', 'lo', 'up']);
    dir = mkdtempSync(join(tmpdir(), 'knet-sbx-'));
    mkdirSync(SECRET_DIR, { recursive: true });
    writeFileSync(join(SECRET_DIR, 'token'), 'other pod token');
    sb = await startSandbox(NS, dir, {
      hostname: 'web-0', hosts: '127.0.0.1\tlocalhost\n10.244.0.5\tweb-0\n', resolvConf: 'nameserver 10.96.0.10\n',
      serviceAccount: { token: 'tok', namespace: 'default' },
    }, [SECRET_DIR]);
  });
  after(async () => {
    sb?.stop();
    await sb?.exited;
    execFileSync('ip', ['netns', 'del', NS]);
    rmSync(dir, { recursive: true, force: true });
    rmSync(SECRET_DIR, { recursive: true, force: true });
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

  it('keeps a root container from changing the machine or reading knet\'s state', async () => {
    const log = join(dir, 'ro.log');
    const script = [
      'try() { if "$@" 2>/dev/null; then echo yes; else echo no; fi; }',
      'echo usr=$(try touch /usr/bin/knet-sbx-probe)',
      'echo etc=$(try sh -c "echo x >> /etc/passwd")',
      'echo tmp=$(try sh -c "echo x > /tmp/probe && cat /tmp/probe >/dev/null")',
      'echo run=$(try touch /run/probe)',
      'echo hosts=$(try sh -c "echo \\# >> /etc/hosts")',
      'echo null=$(try sh -c "echo x > /dev/null")',
      `echo secret=$(try cat ${SECRET_DIR}/token)`,
      'echo sysctl=$(try sh -c "echo 1 > /proc/sys/net/ipv4/ip_forward")',
      'echo dev=$(ls /dev | tr "\\n" " ")',
      'echo mknod=$(try sh -c "mknod /tmp/blk b 8 0 && head -c1 /tmp/blk")',
      'echo devmknod=$(try mknod /dev/blk b 7 0)',
      'echo pty=$(try sh -c "script -qc true /dev/null")',
      'echo userns=$(try unshare -U true)',
      'echo cgroup=$(ls /sys/fs/cgroup | wc -l)',
      'echo sysfs=$(try sh -c "echo 1 > /sys/kernel/mm/ksm/run")',
      'echo keyring=$(try python3 -c "import ctypes,sys; sys.exit(ctypes.CDLL(None).syscall(250, 0, -3, 0, 0, 0) < 0)")',
      'echo iouring=$(try python3 -c "import ctypes,sys; p=ctypes.create_string_buffer(120); sys.exit(ctypes.CDLL(None).syscall(425, 4, p) < 0)")',
    ].join('\n');
    const c = await startContainer(sb.initPid, { argv: ['sh', '-c', script], env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' }, logPath: log });
    assert.deepEqual(await c.exited, { exitCode: 0 });
    const said = Object.fromEntries(logLines(log).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    assert.equal(said.usr, 'no', 'the machine\'s programs are read-only');
    assert.equal(said.etc, 'no', 'the machine\'s /etc is read-only');
    assert.equal(said.tmp, 'yes', '/tmp is the pod\'s own and writable');
    assert.equal(said.run, 'yes', '/run is the pod\'s own and writable');
    assert.equal(said.hosts, 'yes', 'the pod\'s /etc/hosts is its own and writable');
    assert.equal(said.null, 'yes');
    assert.equal(said.secret, 'no', 'knet\'s state is hidden');
    assert.equal(said.sysctl, 'no', '/proc/sys is read-only');
    assert.deepEqual(said.dev.trim().split(' ').sort(), ['fd', 'full', 'null', 'ptmx', 'pts', 'random', 'shm', 'stderr', 'stdin', 'stdout', 'tty', 'urandom', 'zero']);
    assert.equal(said.mknod, 'no', 'a device node made in the pod cannot be opened (nodev)');
    assert.equal(said.devmknod, 'no', 'no device node can be made in the pod\'s /dev (read-only)');
    assert.equal(said.pty, 'yes', 'terminals still work (kubectl exec -t)');
    assert.equal(said.cgroup, '0', 'the machine\'s cgroups are out of sight');
    assert.equal(said.sysfs, 'no', '/sys is read-only');
    assert.equal(said.userns, 'no', 'seccomp: no user namespaces (no nftables or mounts of its own)');
    assert.equal(said.iouring, 'no', 'seccomp: no io_uring');
    assert.equal(said.keyring, 'no', 'seccomp: the machine\'s kernel keyrings are out of reach');
    assert.match(readFileSync('/etc/passwd', 'utf8'), /^root:/m);
  });

  it('stops a container with a signal and reports it', async () => {
    const c = await startContainer(sb.initPid, { argv: ['sleep', '30'], env: { PATH: '/usr/bin:/bin' }, logPath: join(dir, 'c.log') });
    c.signal('SIGTERM');
    const exit = await c.exited;
    assert.equal(exit.exitCode, 143);
  });
});
