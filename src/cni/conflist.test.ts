import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConflist, pluginStdinConfig } from './conflist.ts';
import { loopbackConflist, nodeConflist, podCniArgs } from './node-conflist.ts';
import { formatCniArgs } from './exec.ts';

const ok = { cniVersion: '1.0.0', name: 'knet', plugins: [{ type: 'knet', podCIDR: '10.244.1.0/24' }, { type: 'portmap', capabilities: { portMappings: true } }] };

describe('loadConflist', () => {
  it('accepts JSON text and objects, and freezes the result', () => {
    const l = loadConflist(JSON.stringify(ok));
    assert.equal(l.name, 'knet');
    assert.equal(l.plugins.length, 2);
    assert.equal(l.disableCheck, false);
    assert.ok(Object.isFrozen(l) && Object.isFrozen(l.plugins) && Object.isFrozen(l.plugins[0]));
    assert.deepEqual(loadConflist(ok), l);
    assert.equal(loadConflist({ ...ok, disableCheck: 'true' }).disableCheck, true);
  });

  const cases: [string, unknown, RegExp][] = [
    ['not JSON', '{', /not JSON/],
    ['not an object', '[]', /expected a JSON object/],
    ['no cniVersion', { ...ok, cniVersion: undefined }, /"cniVersion" is required/],
    ['unknown cniVersion', { ...ok, cniVersion: '1.1.0' }, /cniVersion "1.1.0" is not supported \(supported: 0.3.0, 0.3.1, 0.4.0, 1.0.0\)/],
    ['no name', { ...ok, name: '' }, /"name" is required/],
    ['bad name', { ...ok, name: 'a/b' }, /name "a\/b" must start with a letter or digit/],
    ['no plugins', { ...ok, plugins: undefined }, /network "knet": "plugins" is required/],
    ['empty plugins', { ...ok, plugins: [] }, /"plugins" must be a non-empty array/],
    ['plugin without type', { ...ok, plugins: [{}] }, /plugins\[0\]: "type" is required/],
    ['plugin type is a path', { ...ok, plugins: [{ type: '../bin/sh' }] }, /type "..\/bin\/sh" must be a plugin binary name/],
    ['bad capabilities', { ...ok, plugins: [{ type: 'portmap', capabilities: { portMappings: 'yes' } }] }, /plugins\[0\] \(portmap\): "capabilities" must map/],
    ['runtimeConfig in config', { ...ok, plugins: [{ type: 'x', runtimeConfig: {} }] }, /"runtimeConfig" is set by the runtime/],
    ['bad disableCheck', { ...ok, disableCheck: 1 }, /"disableCheck" must be a boolean/],
  ];
  for (const [what, input, message] of cases) {
    it(`rejects ${what}`, () => {
      assert.throws(() => loadConflist(input), (err: Error & { code?: string }) => {
        assert.equal(err.code, 'invalid-cni-config');
        assert.match(err.message, /^invalid CNI network configuration list: /);
        assert.match(err.message, message);
        return true;
      });
    });
  }
});

describe('pluginStdinConfig', () => {
  const l = loadConflist(ok);
  it('injects name and cniVersion, drops capabilities, passes only declared capability args', () => {
    const caps = { portMappings: [{ hostPort: 1, containerPort: 2, protocol: 'tcp' }], ips: ['10.0.0.1'] };
    assert.deepEqual(pluginStdinConfig(l, l.plugins[1], caps, { cniVersion: '1.0.0' }), {
      type: 'portmap', cniVersion: '1.0.0', name: 'knet', runtimeConfig: { portMappings: caps.portMappings }, prevResult: { cniVersion: '1.0.0' },
    });
    assert.deepEqual(pluginStdinConfig(l, l.plugins[0], caps, undefined), { type: 'knet', podCIDR: '10.244.1.0/24', cniVersion: '1.0.0', name: 'knet' });
  });
});

describe('node network configuration', () => {
  it('chains knet then portmap by default, and can leave portmap out', () => {
    const l = nodeConflist({ podCIDR: '10.244.3.0/24', dataDir: '/var/lib/knet/n1/ipam' });
    assert.deepEqual(l.plugins.map((p) => p.type), ['knet', 'portmap']);
    assert.deepEqual(l.plugins[0], { type: 'knet', podCIDR: '10.244.3.0/24', mode: 'ptp', ipamDataDir: '/var/lib/knet/n1/ipam' });
    assert.deepEqual(l.plugins[1].capabilities, { portMappings: true });
    assert.deepEqual(nodeConflist({ podCIDR: '10.244.3.0/24', dataDir: '/d', mode: 'bridge', mtu: 1450, portmap: false }).plugins,
      [{ type: 'knet', podCIDR: '10.244.3.0/24', mode: 'bridge', mtu: 1450, ipamDataDir: '/d' }]);
    assert.deepEqual(loopbackConflist().plugins, [{ type: 'loopback' }]);
  });

  it('formats CNI_ARGS as kubelet/containerd do', () => {
    const args = podCniArgs({ namespace: 'default', name: 'web-1', uid: 'u-1', sandboxId: 's1' });
    assert.equal(formatCniArgs(args), 'IgnoreUnknown=1;K8S_POD_NAMESPACE=default;K8S_POD_NAME=web-1;K8S_POD_INFRA_CONTAINER_ID=s1;K8S_POD_UID=u-1');
    assert.equal(formatCniArgs([['A', 'b']]), 'IgnoreUnknown=1;A=b');
    assert.equal(formatCniArgs(undefined), '');
    assert.throws(() => formatCniArgs([['A', 'x;y']]), /must not contain ";"/);
  });
});
