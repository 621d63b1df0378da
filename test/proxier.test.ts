// The proxier's loop against a real API server with a fake applier: a rejected transaction is
// reported as a Warning Event on the Node and retried until it succeeds, and a burst of
// changes is coalesced into few syncs.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCluster } from './support/harness.ts';
import type { TestCluster } from './support/harness.ts';
import { until } from './support/until.ts';
import { KubeClient } from '../src/k8s/client.ts';
import { EventRecorder } from '../src/k8s/event-recorder.ts';
import { startProxier } from '../src/proxy/proxier.ts';
import type { ProxierRules } from '../src/proxy/proxier.ts';

/** A fake rules object that keeps the Services it was given, by key, and counts calls. */
function fakeRules(apply: (svcs: Map<string, any>) => Promise<void> | void, extra: Partial<ProxierRules> = {}) {
  const svcs = new Map<string, any>();
  const calls = { rebuild: 0, update: [] as string[] };
  const rules: ProxierRules = {
    rebuild(services) {
      calls.rebuild++;
      svcs.clear();
      for (const s of services) svcs.set(`${s.metadata.namespace}/${s.metadata.name}`, s);
    },
    update(key, service) {
      calls.update.push(key);
      if (service) svcs.set(key, service);
      else svcs.delete(key);
    },
    apply: async () => apply(svcs),
    async remove() {},
    ...extra,
  };
  return { rules, calls, svcs };
}

describe('proxier loop', () => {
  let c: TestCluster;
  let client: KubeClient;
  before(async () => {
    c = await startTestCluster();
    client = new KubeClient({ server: c.url, token: c.token, caCert: c.caCert });
    await c.request('POST', '/api/v1/nodes', { metadata: { name: 'node-a' } });
  });
  after(async () => {
    client?.close();
    await c?.close();
  });

  it('repairs drift on resync: the next apply after a failed verify is a full replace', async () => {
    let invalidated = 0;
    let drifted = true;
    const applied: number[] = [];
    const proxier = startProxier({
      client, nodeName: 'node-a', log: () => {}, resyncMs: 200,
      rules: fakeRules(() => void applied.push(invalidated), {
        async verify() {
          const d = drifted;
          drifted = false;
          return { inSync: !d, differences: d ? ['chain services: 0 rules, want 2'] : [] };
        },
        invalidate() {
          invalidated++;
        },
      }).rules,
    });
    try {
      await until('the drift was found and the rules applied again', async () => invalidated === 1 && applied.includes(1), 10_000);
    } finally {
      await proxier.stop();
    }
  });

  it('reports a failed transaction on the Node, keeps retrying, and coalesces bursts', async () => {
    const applied: number[] = [];
    let failuresLeft = 2;
    const proxier = startProxier({
      client, nodeName: 'node-a', log: () => {},
      recorder: new EventRecorder(client, 'kube-proxy', () => {}),
      rules: fakeRules((svcs) => {
        if (failuresLeft-- > 0) throw new Error('nft -f failed: Error: Could not process rule: No such file or directory');
        applied.push(svcs.size);
      }).rules,
    });
    try {
      await proxier.synced;
      const events = await until('a Warning event on the Node', async () => {
        const list = await c.request('GET', '/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3Dnode-a');
        return list.body.items.length && list.body.items;
      }, 10_000);
      assert.equal(events[0].type, 'Warning');
      assert.equal(events[0].reason, 'FailedToSyncProxyRules');
      assert.match(events[0].message, /No such file or directory/);
      assert.ok(events[0].count >= 1);
      // A burst of 20 Services: far fewer syncs than changes.
      const before = applied.length;
      await Promise.all(Array.from({ length: 20 }, (_, i) => c.request('POST', '/api/v1/namespaces/default/services', { metadata: { name: `burst-${i}` }, spec: { ports: [{ port: 80 }] } })));
      await until('all Services in the ruleset', async () => applied.at(-1) === 21, 10_000); // + the kubernetes Service
      assert.ok(applied.length - before < 20, `coalesced: ${applied.length - before} syncs for 20 changes`);
    } finally {
      await proxier.stop();
    }
  });

  it('compiles only the Services that changed; a failed transaction makes the next apply whole; a new zone recompiles everything', async () => {
    let fail = false;
    let invalidated = 0;
    const fake = fakeRules(() => {
      if (fail) {
        fail = false;
        throw new Error('nft -f failed');
      }
    }, { invalidate: () => void invalidated++ });
    const proxier = startProxier({ client, nodeName: 'node-a', log: () => {}, rules: fake.rules });
    try {
      await proxier.synced;
      assert.equal(fake.calls.rebuild, 0, 'Services are compiled as their events arrive, not all at once at the first sync');
      assert.ok(fake.svcs.has('default/kubernetes'));
      const rebuilds = fake.calls.rebuild;
      fake.calls.update.length = 0;
      await c.request('POST', '/api/v1/namespaces/default/services', { metadata: { name: 'only-me' }, spec: { ports: [{ port: 80 }] } });
      await c.request('POST', '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices', {
        metadata: { name: 'only-me-x', labels: { 'kubernetes.io/service-name': 'only-me' } }, addressType: 'IPv4', endpoints: [],
      });
      await until('the new Service compiled', async () => fake.svcs.has('default/only-me'), 10_000);
      await proxier.nextSync();
      assert.equal(fake.calls.rebuild, rebuilds, 'no full compile for one new Service');
      assert.deepEqual([...new Set(fake.calls.update)], ['default/only-me'], 'only the changed Service is recompiled');
      fail = true;
      await c.request('DELETE', '/api/v1/namespaces/default/services/only-me');
      await until('after the failed transaction, a whole apply without the deleted Service', async () => invalidated === 1 && !fake.svcs.has('default/only-me'), 10_000);
      assert.equal(fake.calls.rebuild, rebuilds, 'no recompile of everything: the rules were right, only the kernel is in doubt');
      // Only the Node's zone matters: another label changes nothing, the zone everything.
      await c.request('PATCH', '/api/v1/nodes/node-a', { metadata: { labels: { changed: 'yes' } } }, { 'content-type': 'application/merge-patch+json' });
      await proxier.nextSync();
      assert.equal(fake.calls.rebuild, rebuilds, 'no full compile for an unrelated Node change');
      await c.request('PATCH', '/api/v1/nodes/node-a', { metadata: { labels: { 'topology.kubernetes.io/zone': 'z1' } } }, { 'content-type': 'application/merge-patch+json' });
      await until('a change of its own zone compiles everything', async () => fake.calls.rebuild === rebuilds + 1, 10_000);
    } finally {
      await proxier.stop();
    }
  });
});
