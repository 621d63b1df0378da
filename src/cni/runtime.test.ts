// The runtime against scriptable fake plugins: protocol, chaining, errors, cache, undo.
import assert from 'node:assert/strict';
import { chmod, mkdtemp, readFile, readdir, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { KnetError } from '../lib/errors.ts';
import { loadConflist } from './conflist.ts';
import { CniPluginError } from './exec.ts';
import { addNetworkList, checkNetworkList, delNetworkList, pluginVersions } from './runtime.ts';
import type { RuntimeConf, RuntimeOptions } from './types.ts';

const FAKE = join(import.meta.dirname, 'testdata', 'fake-plugin.mjs');
let dir: string;
let opts: RuntimeOptions;
let log: string;

interface Call { cmd: string; type: string; env: Record<string, string>; conf: Record<string, unknown> }
async function calls(): Promise<Call[]> {
  const text = await readFile(log, 'utf8').catch(() => '');
  await writeFile(log, '');
  return text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Call);
}

const rt: RuntimeConf = {
  containerId: 'sandbox1', netns: '/run/netns/fake', ifName: 'eth0',
  args: [['K8S_POD_NAMESPACE', 'default'], ['K8S_POD_NAME', 'web']],
  capabilityArgs: { portMappings: [{ hostPort: 8080, containerPort: 80, protocol: 'tcp' }], bandwidth: { ingressRate: 1 } },
};

function list(plugins: Record<string, unknown>[]) {
  return loadConflist({ cniVersion: '1.0.0', name: 'testnet', plugins: plugins.map((p) => ({ log, ...p })) });
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'knet-cni-rt-'));
  const bin = join(dir, 'bin');
  await mkdir(bin);
  for (const name of ['a', 'b', 'c']) {
    await writeFile(join(bin, name), `#!/bin/sh\nexec "${process.execPath}" "${FAKE}"\n`);
    await chmod(join(bin, name), 0o755);
  }
  log = join(dir, 'log');
  opts = { cniPath: [join(dir, 'empty'), bin], cacheDir: join(dir, 'cache') };
});
after(async () => { await rm(dir, { recursive: true, force: true }); });

describe('addNetworkList', () => {
  it('runs plugins in order with CNI_* env, injected name/cniVersion, prevResult and capabilities', async () => {
    const l = list([{ type: 'a', addIp: '10.0.0.2/24' }, { type: 'b', addIp: '10.0.0.3/24', capabilities: { portMappings: true } }]);
    const result = await addNetworkList(l, rt, opts);
    assert.deepEqual(result.ips?.map((i) => i.address), ['10.0.0.2/24', '10.0.0.3/24']);
    const [a, b] = await calls();
    assert.equal(a.cmd, 'ADD');
    assert.equal(a.env.CNI_CONTAINERID, 'sandbox1');
    assert.equal(a.env.CNI_NETNS, '/run/netns/fake');
    assert.equal(a.env.CNI_IFNAME, 'eth0');
    assert.equal(a.env.CNI_ARGS, 'IgnoreUnknown=1;K8S_POD_NAMESPACE=default;K8S_POD_NAME=web');
    assert.equal(a.env.CNI_PATH, opts.cniPath.join(':'));
    assert.equal(a.conf.name, 'testnet');
    assert.equal(a.conf.cniVersion, '1.0.0');
    assert.equal(a.conf.prevResult, undefined);
    assert.equal(a.conf.runtimeConfig, undefined, 'a declares no capabilities');
    assert.deepEqual((b.conf.prevResult as { ips: unknown[] }).ips, [{ address: '10.0.0.2/24' }]);
    assert.deepEqual(b.conf.runtimeConfig, { portMappings: rt.capabilityArgs?.portMappings }, 'only declared capabilities');
    assert.equal(b.conf.capabilities, undefined);
    const cached = JSON.parse(await readFile(join(opts.cacheDir, 'results', 'testnet-sandbox1-eth0'), 'utf8'));
    assert.equal(cached.kind, 'cniCacheV1');
    assert.deepEqual(cached.result, result);
    assert.equal(JSON.parse(Buffer.from(cached.config, 'base64').toString()).name, 'testnet');
  });

  it('DEL runs in reverse with the cached result and removes the cache entry; a second DEL succeeds', async () => {
    const l = list([{ type: 'a', addIp: '10.0.0.2/24' }, { type: 'b' }]);
    await delNetworkList(l, rt, opts);
    const dels = await calls();
    assert.deepEqual(dels.map((c) => `${c.cmd} ${c.type}`), ['DEL b', 'DEL a']);
    assert.deepEqual((dels[0].conf.prevResult as { ips: unknown[] }).ips.length, 2);
    assert.deepEqual(await readdir(join(opts.cacheDir, 'results')), []);
    await delNetworkList(l, rt, opts);
    const again = await calls();
    assert.deepEqual(again.map((c) => `${c.cmd} ${c.type}`), ['DEL b', 'DEL a']);
    assert.equal(again[0].conf.prevResult, undefined);
  });

  it('a failing plugin is reported with its CNI code and message, and the whole list is DELeted in reverse', async () => {
    const l = list([{ type: 'a', addIp: '10.0.0.2/24' }, { type: 'b', onAdd: 'fail' }, { type: 'c' }]);
    await assert.rejects(addNetworkList(l, rt, opts), (err: unknown) => {
      assert.ok(err instanceof CniPluginError);
      assert.equal(err.code, 'cni-error');
      assert.equal(err.cniCode, 100);
      assert.match(err.message, /CNI plugin "b" failed ADD for network "testnet": CNI error 100: b refused \(on purpose\)/);
      return true;
    });
    assert.deepEqual((await calls()).map((c) => `${c.cmd} ${c.type}`), ['ADD a', 'ADD b', 'DEL c', 'DEL b', 'DEL a']);
    assert.deepEqual(await readdir(join(opts.cacheDir, 'results')), [], 'nothing cached');
  });

  it('says so when the undo fails too', async () => {
    const l = list([{ type: 'a', failDel: true }, { type: 'b', onAdd: 'fail' }]);
    await assert.rejects(addNetworkList(l, rt, opts), /b refused.*undoing the partial ADD also failed: .*"a" failed DEL.*CNI error 11/);
    await calls();
  });

  it('reports a non-JSON failure with exit status and stderr, and a plugin that prints nothing', async () => {
    await assert.rejects(addNetworkList(list([{ type: 'a', onAdd: 'garbage' }]), rt, opts),
      /CNI plugin "a" failed ADD for network "testnet": exit status 2: panic: something broke/);
    await assert.rejects(addNetworkList(list([{ type: 'a', onAdd: 'silent' }]), rt, opts), /"a" failed ADD.*printed no result/);
    await calls();
  });

  it('kills a plugin that exceeds the timeout', async () => {
    const start = Date.now();
    await assert.rejects(addNetworkList(list([{ type: 'a', onAdd: 'hang' }]), rt, { ...opts, timeoutMs: 500 }), (err: unknown) => {
      assert.ok(err instanceof KnetError);
      assert.equal(err.code, 'cni-timeout');
      assert.match(err.message, /"a" did not finish ADD .* within 500 ms/);
      return true;
    });
    assert.ok(Date.now() - start < 5000);
    await calls();
  });

  it('names a missing plugin binary and the path searched', async () => {
    await assert.rejects(addNetworkList(list([{ type: 'nosuch' }]), rt, opts), (err: unknown) => {
      assert.ok(err instanceof KnetError);
      assert.equal(err.code, 'cni-plugin-not-found');
      assert.match(err.message, /failed to find CNI plugin "nosuch" in path \[.*empty .*bin\]/);
      return true;
    });
  });

  it('rejects bad runtime parameters before running anything', async () => {
    await assert.rejects(addNetworkList(list([{ type: 'a' }]), { ...rt, ifName: 'a-very-long-interface' }, opts), /not a valid Linux interface name/);
    await assert.rejects(addNetworkList(list([{ type: 'a' }]), { ...rt, containerId: '../x' }, opts), /container id/);
    assert.deepEqual(await calls(), []);
  });
});

describe('checkNetworkList', () => {
  it('passes the cached result to every plugin in order, and fails when one says so', async () => {
    const good = list([{ type: 'a', addIp: '10.0.0.9/24' }, { type: 'b' }]);
    await addNetworkList(good, rt, opts);
    await calls();
    await checkNetworkList(good, rt, opts);
    const checks = await calls();
    assert.deepEqual(checks.map((c) => `${c.cmd} ${c.type}`), ['CHECK a', 'CHECK b']);
    assert.deepEqual((checks[0].conf.prevResult as { ips: unknown[] }).ips, [{ address: '10.0.0.9/24' }]);
    const broken = list([{ type: 'a', addIp: '10.0.0.9/24' }, { type: 'b', failCheck: true }]);
    await assert.rejects(checkNetworkList(broken, rt, opts), /"b" failed CHECK.*CNI error 3: b: container is gone/);
    await delNetworkList(good, rt, opts);
    await assert.rejects(checkNetworkList(good, rt, opts), (err: unknown) => err instanceof KnetError && err.code === 'cni-no-cached-result');
    await calls();
  });

  it('is skipped when the list disables it', async () => {
    const l = loadConflist({ cniVersion: '1.0.0', name: 'nocheck', disableCheck: true, plugins: [{ type: 'a', log, failCheck: true }] });
    await checkNetworkList(l, rt, opts);
    assert.deepEqual(await calls(), []);
  });
});

it('pluginVersions asks a plugin for VERSION', async () => {
  assert.deepEqual(await pluginVersions('a', opts), { cniVersion: '1.0.0', supportedVersions: ['1.0.0'] });
});
