// loadBalancerSourceRanges in a real kernel: the compiled table (concatenated interval set)
// loads with nft 1.0.6, lists back as knet wrote it, and survives an incremental update in
// which a wider range swallows a narrower one (the kernel refuses nested interval elements).
// Runs in a throwaway namespace `knet-test-proxyfw-<pid>`, deleted in `after`.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createNetns, deleteNetns, runInNetns } from '../host/index.ts';
import { NftApplier } from '../nft/index.ts';
import { compileProxyRules } from './compile.ts';
import { serviceView, type ProxySnapshot } from './snapshot.ts';
import { NODE_OPTS, clusterSnapshot, svc } from './test-cluster.ts';

const isRoot = process.getuid?.() === 0;

function withRanges(ranges: string[]): ProxySnapshot {
  const snap = clusterSnapshot();
  const lbFw = serviceView(svc('lb-fw', {
    type: 'LoadBalancer', clusterIP: '10.96.0.130', loadBalancerSourceRanges: ranges, ports: [{ protocol: 'TCP', port: 80, nodePort: 30084 }],
  }, ['172.18.255.210']));
  return { ...snap, services: snap.services.map((s) => (s.name === 'lb-fw' ? lbFw : s)) };
}

describe('loadBalancerSourceRanges on real nft', { skip: !isRoot && 'needs root' }, () => {
  const ns = `knet-test-proxyfw-${process.pid}`;
  let applier: NftApplier;
  const has = async (element: string) =>
    (await runInNetns(ns, ['nft', 'get', 'element', 'ip', 'knet-proxy', 'firewall-allow', `{ ${element} }`])).code === 0;
  before(async () => {
    await createNetns(ns);
    applier = new NftApplier({ netns: ns, table: 'knet-proxy', family: 'ip' });
  });
  after(async () => { await deleteNetns(ns); });

  it('loads the firewall sets and rule; the kernel matches sources by range', async () => {
    const table = compileProxyRules(clusterSnapshot(), NODE_OPTS);
    assert.equal((await applier.apply(table)).mode, 'full');
    assert.deepEqual((await applier.verify(table)).differences, []);
    assert.equal(await has('172.18.255.210 . tcp . 80 . 192.168.7.99'), true);
    assert.equal(await has('172.18.255.210 . tcp . 80 . 192.168.8.1'), false);
    assert.equal(await has('172.18.255.211 . tcp . 80 . 172.18.255.211'), true);
  });

  it('widening a range is an incremental update the kernel accepts', async () => {
    const wider = compileProxyRules(withRanges(['192.168.7.0/24', '192.168.0.0/16']), NODE_OPTS);
    assert.equal((await applier.apply(wider)).mode, 'incremental');
    assert.deepEqual((await applier.verify(wider)).differences, []);
    assert.equal(await has('172.18.255.210 . tcp . 80 . 192.168.8.1'), true);
    const narrower = compileProxyRules(withRanges(['192.168.7.0/24']), NODE_OPTS);
    assert.equal((await applier.apply(narrower)).mode, 'incremental');
    assert.deepEqual((await applier.verify(narrower)).differences, []);
    assert.equal(await has('172.18.255.210 . tcp . 80 . 192.168.8.1'), false);
  });
});
