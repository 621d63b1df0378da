import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { delegateConfig, parseKnetPluginConf } from './delegate.ts';

const net = { name: 'knet', cniVersion: '1.0.0' };

describe('delegate config', () => {
  it('ptp (default): routed, no masquerade, host-local on the podCIDR with gateway .1 and range from .2', () => {
    const conf = parseKnetPluginConf({ type: 'knet', podCIDR: '10.244.7.0/24', mtu: 1450, ipamDataDir: '/var/lib/knet/node-a/ipam' });
    assert.deepEqual(delegateConfig(conf, net), {
      cniVersion: '1.0.0', name: 'knet', type: 'ptp', ipMasq: false, mtu: 1450,
      ipam: {
        type: 'host-local',
        ranges: [[{ subnet: '10.244.7.0/24', rangeStart: '10.244.7.2', gateway: '10.244.7.1' }]],
        routes: [{ dst: '0.0.0.0/0' }],
        dataDir: '/var/lib/knet/node-a/ipam',
      },
    });
  });

  it('bridge: cni0 as gateway, hairpin on, prevResult passed through', () => {
    const conf = parseKnetPluginConf({ type: 'knet', podCIDR: '10.244.8.0/24', mode: 'bridge', ipamDataDir: '/d' });
    const out = delegateConfig(conf, net, { cniVersion: '1.0.0', ips: [] });
    assert.equal(out.type, 'bridge');
    assert.equal(out.bridge, 'cni0');
    assert.equal(out.isGateway, true);
    assert.equal(out.ipMasq, false);
    assert.equal(out.hairpinMode, true);
    assert.equal(out.mtu, undefined);
    assert.deepEqual(out.prevResult, { cniVersion: '1.0.0', ips: [] });
  });

  for (const [what, raw, message] of [
    ['missing podCIDR', { ipamDataDir: '/d' }, /"podCIDR" is required/],
    ['bad podCIDR', { podCIDR: '10.244.1.0', ipamDataDir: '/d' }, /not an IPv4 CIDR/],
    ['tiny podCIDR', { podCIDR: '10.244.1.0/31', ipamDataDir: '/d' }, /too small/],
    ['bad mode', { podCIDR: '10.244.1.0/24', mode: 'vxlan', ipamDataDir: '/d' }, /mode "vxlan" is not supported/],
    ['bad mtu', { podCIDR: '10.244.1.0/24', mtu: 100, ipamDataDir: '/d' }, /mtu 100 must be/],
    ['relative dataDir', { podCIDR: '10.244.1.0/24', ipamDataDir: 'ipam' }, /"ipamDataDir" must be an absolute path/],
  ] as const) {
    it(`rejects ${what}`, () => assert.throws(() => parseKnetPluginConf({ type: 'knet', ...raw }), message));
  }
});

describe('knet-cni executable', () => {
  const shim = join(import.meta.dirname, '..', 'bin', 'knet');
  function call(env: Record<string, string>, stdin: string): Promise<{ code: number; out: string }> {
    return new Promise((resolve) => {
      const child = execFile(shim, [], { env: { PATH: process.env.PATH ?? '', KNET_NODE: process.execPath, ...env } }, (err, stdout) => {
        resolve({ code: err ? Number(err.code) : 0, out: stdout });
      });
      child.stdin?.end(stdin);
    });
  }

  it('answers VERSION with 0.3.0 .. 1.0.0', async () => {
    const { code, out } = await call({ CNI_COMMAND: 'VERSION' }, '{"cniVersion":"1.0.0"}');
    assert.equal(code, 0);
    assert.deepEqual(JSON.parse(out), { cniVersion: '1.0.0', supportedVersions: ['0.3.0', '0.3.1', '0.4.0', '1.0.0'] });
  });

  const env = { CNI_COMMAND: 'ADD', CNI_CONTAINERID: 'c1', CNI_IFNAME: 'eth0', CNI_NETNS: '/run/netns/none' };
  it('reports a bad config as CNI error 7 and an unknown version as error 1', async () => {
    const bad = await call({ ...env, CNI_PATH: '/usr/lib/cni' }, JSON.stringify({ cniVersion: '1.0.0', name: 'knet', type: 'knet', ipamDataDir: '/d' }));
    assert.equal(bad.code, 1);
    assert.equal(JSON.parse(bad.out).code, 7);
    const old = await call({ ...env, CNI_PATH: '/usr/lib/cni' }, JSON.stringify({ cniVersion: '0.2.0', name: 'knet', type: 'knet' }));
    assert.equal(JSON.parse(old.out).code, 1);
  });

  it('reports a delegate missing from CNI_PATH as CNI error 5', async () => {
    const r = await call({ ...env, CNI_PATH: '/nonexistent' }, JSON.stringify({ cniVersion: '1.0.0', name: 'knet', type: 'knet', podCIDR: '10.244.1.0/24', ipamDataDir: '/d' }));
    assert.equal(r.code, 1);
    assert.deepEqual(JSON.parse(r.out), { cniVersion: '1.0.0', code: 5, msg: 'knet: delegate plugin "ptp" not found in CNI_PATH [/nonexistent]' });
  });
});
