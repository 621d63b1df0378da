// Real namespaces: a "node" namespace and pod namespaces wired only by the CNI runtime with
// knet's plugin (delegating to ptp or bridge + host-local) and portmap. Needs root; run
// inside a throwaway network namespace (see scripts/test.sh).
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { loadConflist } from './conflist.ts';
import { CniPluginError } from './exec.ts';
import { DEFAULT_CNI_PATH, loopbackConflist, nodeConflist, podCniArgs } from './node-conflist.ts';
import { addNetworkList, checkNetworkList, delNetworkList } from './runtime.ts';
import type { PodNetworkMode } from './plugin/delegate.ts';
import type { CniResult, RuntimeConf, RuntimeOptions } from './types.ts';

const run = promisify(execFile);
async function sh(file: string, ...args: string[]): Promise<string> {
  return (await run(file, args)).stdout;
}
const FAKE = join(import.meta.dirname, 'testdata', 'fake-plugin.mjs');

function suite(mode: PodNetworkMode, podCIDR: string): void {
  describe(`pod network, ${mode} mode`, { skip: process.getuid?.() !== 0 ? 'needs root (network namespaces)' : false }, () => {
    const prefix = `knet-test-cni-${process.pid}-${mode}`;
    const nodeNs = `${prefix}-node`;
    const pods = { a: `${prefix}-pa`, b: `${prefix}-pb`, c: `${prefix}-pc` };
    let dir: string;
    let opts: RuntimeOptions;
    let ipamDir: string;
    const procs: ChildProcess[] = [];
    const results: Record<string, CniResult> = {};

    const attachment = (pod: keyof typeof pods, extra: Partial<RuntimeConf> = {}): RuntimeConf => ({
      containerId: `sandbox-${pod}`, netns: `/run/netns/${pods[pod]}`, ifName: 'eth0',
      args: podCniArgs({ namespace: 'default', name: `pod-${pod}`, uid: `uid-${pod}`, sandboxId: `sandbox-${pod}` }),
      ...extra,
    });
    const reserved = async () => (await readdir(join(ipamDir, 'knet')).catch(() => [] as string[]))
      .filter((f) => /^\d+\.\d+\.\d+\.\d+$/.test(f)).sort();
    const veths = async (ns?: string) => (await sh('ip', ...(ns ? ['-n', ns] : []), '-o', 'link', 'show', 'type', 'veth')).trim().split('\n').filter(Boolean).length;
    const podIp = (pod: string) => results[pod].ips![0].address.split('/')[0];

    before(async () => {
      dir = await mkdtemp(join(tmpdir(), 'knet-cni-net-'));
      ipamDir = join(dir, 'ipam');
      const fakeBin = join(dir, 'bin');
      await mkdir(fakeBin);
      await writeFile(join(fakeBin, 'fail'), `#!/bin/sh\nexec "${process.execPath}" "${FAKE}"\n`);
      await chmod(join(fakeBin, 'fail'), 0o755);
      opts = { cniPath: [...DEFAULT_CNI_PATH, fakeBin], cacheDir: join(dir, 'cache'), runInNetns: nodeNs, timeoutMs: 30_000 };
      for (const ns of [nodeNs, ...Object.values(pods)]) await sh('ip', 'netns', 'add', ns);
      await sh('ip', '-n', nodeNs, 'link', 'set', 'lo', 'up');
      await sh('ip', 'netns', 'exec', nodeNs, 'sh', '-c', 'echo 1 > /proc/sys/net/ipv4/ip_forward');
    });

    after(async () => {
      for (const p of procs) if (p.pid) try { process.kill(p.pid, 'SIGKILL'); } catch { /* gone */ }
      // Deleting the pod namespaces takes their eth0 and so the node-side veth ends with them.
      for (const ns of [...Object.values(pods), nodeNs]) await sh('ip', 'netns', 'del', ns).catch(() => {});
      await rm(dir, { recursive: true, force: true });
    });

    it('loopback network brings lo up in the pod', async () => {
      const rt = { containerId: 'sandbox-a', netns: `/run/netns/${pods.a}`, ifName: 'lo' };
      await addNetworkList(loopbackConflist(), rt, opts);
      assert.match(await sh('ip', '-n', pods.a, 'link', 'show', 'lo'), /[<,]UP[,>]/);
    });

    it('ADD gives each pod an address from the podCIDR on eth0 and a default route via the gateway', async () => {
      const list = nodeConflist({ podCIDR, mode, mtu: 1400, dataDir: ipamDir });
      for (const pod of ['a', 'b'] as const) {
        const result = await addNetworkList(list, attachment(pod), opts);
        results[pod] = result;
        const addr = result.ips?.[0]?.address ?? '';
        const base = podCIDR.split('.').slice(0, 3).join('.');
        assert.match(addr, new RegExp(`^${base.replaceAll('.', '\\.')}\\.\\d+/24$`));
        assert.equal(result.ips?.[0]?.gateway, `${base}.1`);
        assert.match(await sh('ip', '-n', pods[pod], '-4', '-o', 'addr', 'show', 'dev', 'eth0'), new RegExp(` ${addr.replace('/24', '')}/`));
        assert.match(await sh('ip', '-n', pods[pod], 'route', 'show', 'default'), new RegExp(`default via ${base}\\.1 dev eth0`));
        assert.match(await sh('ip', '-n', pods[pod], 'link', 'show', 'eth0'), /mtu 1400/);
      }
      assert.notEqual(podIp('a'), podIp('b'));
      assert.deepEqual(await reserved(), [podIp('a'), podIp('b')].sort());
      assert.equal(await veths(nodeNs), 2, 'host ends live in the node namespace');
      assert.equal(await veths(), 0, 'nothing in the namespace the runtime runs in');
    });

    it('pods reach each other through the node namespace', async () => {
      const out = await sh('ip', 'netns', 'exec', pods.a, 'busybox', 'ping', '-c', '1', '-W', '2', podIp('b'));
      assert.match(out, /1 packets received/);
    });

    it('CHECK passes on a healthy pod', async () => {
      await checkNetworkList(nodeConflist({ podCIDR, mode, mtu: 1400, dataDir: ipamDir }), attachment('a'), opts);
    });

    it('a failing plugin in the middle of the chain leaves no veth and no IPAM reservation', async () => {
      const good = nodeConflist({ podCIDR, mode, mtu: 1400, dataDir: ipamDir });
      const list = loadConflist({ ...good, plugins: [good.plugins[0], { type: 'fail', onAdd: 'fail' }, ...good.plugins.slice(1)] });
      await assert.rejects(addNetworkList(list, attachment('c'), opts), (err: unknown) =>
        err instanceof CniPluginError && err.plugin === 'fail' && /CNI error 100: fail refused/.test(err.message));
      assert.equal(await veths(nodeNs), 2);
      assert.doesNotMatch(await sh('ip', '-n', pods.c, '-o', 'link'), /eth0/);
      assert.deepEqual(await reserved(), [podIp('a'), podIp('b')].sort());
    });

    if (mode === 'ptp') {
      it('portmap forwards a hostPort on the node to the pod', async () => {
        const list = nodeConflist({ podCIDR, mode, mtu: 1400, dataDir: ipamDir });
        const portMappings = [{ hostPort: 8080, containerPort: 80, protocol: 'tcp' }];
        await addNetworkList(list, attachment('c', { capabilityArgs: { portMappings } }), opts);
        const www = join(dir, 'www');
        await mkdir(www);
        await writeFile(join(www, 'hello'), 'hello from pod c\n');
        const httpd = spawn('ip', ['netns', 'exec', pods.c, 'busybox', 'httpd', '-f', '-p', '80', '-h', www], { stdio: 'ignore' });
        procs.push(httpd);
        const gateway = podCIDR.replace(/0\/24$/, '1');
        // busybox wget segfaults on this machine; a raw HTTP/1.0 request over nc does the job.
        const request = `printf 'GET /hello HTTP/1.0\\r\\n\\r\\n' | busybox nc -w 2 ${gateway} 8080`;
        let response = '';
        try {
          for (let i = 0; i < 20 && !response.includes('200 OK'); i++) {
            response = await sh('ip', 'netns', 'exec', pods.a, 'sh', '-c', request).catch(() => '');
            if (!response.includes('200 OK')) await new Promise((r) => setTimeout(r, 100));
          }
        } finally {
          // httpd would keep pod c's namespace alive after `ip netns del`.
          httpd.kill('SIGKILL');
          await delNetworkList(list, attachment('c', { capabilityArgs: { portMappings } }), opts);
        }
        assert.match(response, /200 OK[\s\S]*hello from pod c\n$/);
        assert.doesNotMatch(await sh('ip', 'netns', 'exec', nodeNs, 'iptables', '-t', 'nat', '-S'), /dport 8080/);
      });
    }

    it('CHECK fails once the pod veth is gone; DEL then succeeds twice and frees the address', async () => {
      const list = nodeConflist({ podCIDR, mode, mtu: 1400, dataDir: ipamDir });
      await sh('ip', '-n', pods.a, 'link', 'del', 'eth0');
      await assert.rejects(checkNetworkList(list, attachment('a'), opts), (err: unknown) =>
        err instanceof CniPluginError && err.plugin === 'knet' && err.command === 'CHECK');
      await delNetworkList(list, attachment('a'), opts);
      await delNetworkList(list, attachment('a'), opts);
      assert.deepEqual(await reserved(), [podIp('b')]);
      await delNetworkList(list, attachment('b'), opts);
      assert.deepEqual(await reserved(), []);
      assert.equal(await veths(nodeNs), 0);
    });

    it('DEL succeeds after the pod namespace is already gone, and frees the address', async () => {
      const list = nodeConflist({ podCIDR, mode, mtu: 1400, dataDir: ipamDir });
      await addNetworkList(list, attachment('c'), opts);
      assert.equal((await reserved()).length, 1);
      await sh('ip', 'netns', 'del', pods.c);
      await delNetworkList(list, attachment('c'), opts);
      assert.deepEqual(await reserved(), []);
      // The kernel tears a deleted namespace down asynchronously; its veth peer goes with it.
      let left = await veths(nodeNs);
      for (let i = 0; i < 50 && left > 0; i++) {
        await new Promise((r) => setTimeout(r, 100));
        left = await veths(nodeNs);
      }
      assert.equal(left, 0);
    });
  });
}

suite('ptp', '10.244.1.0/24');
suite('bridge', '10.244.2.0/24');
