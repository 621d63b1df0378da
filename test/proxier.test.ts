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
import type { Table } from '../src/nft/model.ts';

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
      compile: () => ({ family: 'ip', name: 'knet-proxy', chains: [], sets: [], maps: [] }) as Table,
      applier: {
        async apply() {
          applied.push(invalidated);
        },
        async remove() {},
        async verify() {
          const d = drifted;
          drifted = false;
          return { inSync: !d, differences: d ? ['chain services: 0 rules, want 2'] : [] };
        },
        invalidate() {
          invalidated++;
        },
      },
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
      compile: (services) => ({ family: 'ip', name: 'knet-proxy', chains: [], sets: [{ name: 'n', type: 'ipv4_addr', elements: services.map((s) => s.spec.clusterIP) }], maps: [] }) as Table,
      applier: {
        async apply(t: Table) {
          if (failuresLeft-- > 0) throw new Error('nft -f failed: Error: Could not process rule: No such file or directory');
          applied.push(t.sets[0].elements.length);
        },
        async remove() {},
      },
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
});
