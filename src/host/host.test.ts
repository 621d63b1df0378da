// Real namespaces (root): the functions against the kernel, including their failure messages.

import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { KnetError } from '../lib/errors.ts';
import { realHost as host } from './index.ts';

const prefix = `knet-test-host-${process.pid}-`;
const a = `${prefix}a`;
const b = `${prefix}b`;

after(async () => {
  for (const n of await host.listNetns(prefix)) await host.deleteNetns(n);
});

describe('host: network namespaces', () => {
  it('creates, lists and deletes, idempotently', async () => {
    assert.equal(await host.netnsExists(a), false);
    await host.createNetns(a);
    await host.createNetns(a);
    await Promise.all([host.createNetns(b), host.createNetns(b)]);
    assert.equal(await host.netnsExists(a), true);
    assert.equal(host.netnsPath(a), `/run/netns/${a}`);
    assert.deepEqual(await host.listNetns(prefix), [a, b]);
    assert.ok((await host.listNetns()).includes(a));
    await host.deleteNetns(b);
    await host.deleteNetns(b);
    assert.deepEqual(await host.listNetns(prefix), [a]);
  });

  it('refuses names that would leave /run/netns', () => {
    assert.throws(() => host.netnsPath('../etc'), (e: unknown) => e instanceof KnetError && e.code === 'bad-name');
  });

  it('runs a command inside, with stdin, exit status and timeout', async () => {
    await host.createNetns(a);
    const links = await host.runInNetns(a, ['ip', '-o', 'link', 'show']);
    assert.equal(links.code, 0);
    // A fresh namespace holds only its own loopback.
    assert.deepEqual(links.stdout.trim().split('\n').map((l) => l.split(':')[1].trim()), ['lo']);
    const cat = await host.runInNetns(a, ['cat'], { input: 'hello' });
    assert.equal(cat.stdout, 'hello');
    const fail = await host.runInNetns(a, ['sh', '-c', 'echo oops >&2; exit 3']);
    assert.deepEqual([fail.code, fail.stderr, fail.timedOut], [3, 'oops\n', false]);
    const slow = await host.runInNetns(a, ['sleep', '5'], { timeoutMs: 100 });
    assert.equal(slow.timedOut, true);
    assert.notEqual(slow.code, 0);
  });

  it('ip, ipJson, ipBatch and sysctl act on the namespace only', async () => {
    await host.createNetns(a);
    await host.ipBatch(a, ['link set lo up', 'addr add 192.0.2.1/32 dev lo', 'route add 198.51.100.0/24 dev lo proto 75']);
    const addrs = await host.ipJson<{ addr_info: { local: string }[] }>(a, ['addr', 'show', 'dev', 'lo']);
    assert.ok(addrs[0].addr_info.some((x) => x.local === '192.0.2.1'));
    assert.match(await host.ip(a, ['route', 'show', 'proto', '75']), /198\.51\.100\.0\/24 dev lo/);
    assert.deepEqual(await host.ipJson(a, ['route', 'show', 'table', 'main', 'proto', '76']), []);
    await host.sysctl(a, 'net.ipv4.ip_forward', '1');
    const r = await host.runInNetns(a, ['cat', '/proc/sys/net/ipv4/ip_forward']);
    assert.equal(r.stdout.trim(), '1');
  });

  it('reports a failing command with the command line and its stderr', async () => {
    await host.createNetns(a);
    await assert.rejects(host.ip(a, ['link', 'set', 'nosuchdev', 'up']), (e: unknown) => {
      assert.ok(e instanceof KnetError);
      assert.equal(e.code, 'host-command-failed');
      assert.match(e.message, new RegExp(`ip -n ${a} link set nosuchdev up failed`));
      assert.match(e.message, /Cannot find device "nosuchdev"/);
      return true;
    });
    await assert.rejects(host.ipBatch(a, ['link set lo up', 'route add bogus']), /ip -n .* -batch - failed/);
  });
});
