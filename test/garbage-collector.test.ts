// The garbage collector and the informers it runs on, against a real API server: owners
// deleted with each propagation policy, dangling references, and an informer that loses its
// watch while the store is compacted and still converges.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCluster } from './support/harness.ts';
import type { TestCluster } from './support/harness.ts';
import { until } from './support/until.ts';
import { KubeClient, resource } from '../src/k8s/client.ts';
import { Informer } from '../src/k8s/informer.ts';

const CM = '/api/v1/namespaces/default/configmaps';


describe('garbage collector', () => {
  let c: TestCluster;
  before(async () => {
    c = await startTestCluster({ controllers: ['garbage-collector'] });
  });
  after(() => c.close());

  const status = async (name: string) => (await c.request('GET', `${CM}/${name}`)).status;
  async function owner(name: string): Promise<any> {
    const res = await c.request('POST', CM, { metadata: { name } });
    assert.equal(res.status, 201, res.text);
    return res.body;
  }
  async function dependent(name: string, owners: any[], meta: object = {}, block = true): Promise<any> {
    const ownerReferences = owners.map((o) => ({ apiVersion: 'v1', kind: 'ConfigMap', name: o.metadata.name, uid: o.metadata.uid, blockOwnerDeletion: block }));
    const res = await c.request('POST', CM, { metadata: { name, ownerReferences, ...meta } });
    assert.equal(res.status, 201, res.text);
    return res.body;
  }

  it('deletes the dependents of an owner deleted in the background', async () => {
    const o = await owner('bg-owner');
    await dependent('bg-a', [o]);
    await dependent('bg-b', [o]);
    assert.equal((await c.request('DELETE', `${CM}/bg-owner`)).status, 200);
    await until('both dependents are gone', async () => (await status('bg-a')) === 404 && (await status('bg-b')) === 404);
  });

  it('orphans dependents with propagationPolicy=Orphan, then deletes the owner', async () => {
    const o = await owner('or-owner');
    const other = await owner('or-other');
    await dependent('or-a', [o, other]);
    const del = await c.request('DELETE', `${CM}/or-owner?propagationPolicy=Orphan`);
    assert.deepEqual(del.body.metadata.finalizers, ['orphan']);
    await until('the owner is gone', async () => (await status('or-owner')) === 404);
    const a = (await c.request('GET', `${CM}/or-a`)).body;
    assert.deepEqual(a.metadata.ownerReferences.map((r: any) => r.name), ['or-other'], 'only the orphaning owner\'s reference is removed');
  });

  it('keeps a foreground-deleted owner until its blocking dependents are gone', async () => {
    const o = await owner('fg-owner');
    await dependent('fg-held', [o], { finalizers: ['example.com/hold'] });
    await dependent('fg-free', [o]);
    const del = await c.request('DELETE', CM + '/fg-owner', { propagationPolicy: 'Foreground' });
    assert.ok(del.body.metadata.deletionTimestamp);
    assert.deepEqual(del.body.metadata.finalizers, ['foregroundDeletion']);
    await until('the free dependent is gone and the held one is terminating', async () => (await status('fg-free')) === 404
      && !!(await c.request('GET', `${CM}/fg-held`)).body.metadata.deletionTimestamp);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(await status('fg-owner'), 200, 'the owner waits for the held dependent');
    await c.request('PATCH', `${CM}/fg-held`, { metadata: { finalizers: null } }, { 'Content-Type': 'application/merge-patch+json' });
    await until('the owner is gone', async () => (await status('fg-owner')) === 404);
  });

  it('deletes a dependent whose owner never existed, and drops a dangling reference beside a live one', async () => {
    const ghost = { metadata: { name: 'ghost', uid: '00000000-0000-0000-0000-000000000000' } };
    await dependent('dangling-only', [ghost]);
    const live = await owner('live-owner');
    await dependent('half-dangling', [live, ghost]);
    await until('the fully dangling dependent is gone', async () => (await status('dangling-only')) === 404);
    await until('the dangling reference is dropped', async () => {
      const refs = (await c.request('GET', `${CM}/half-dangling`)).body.metadata.ownerReferences;
      return refs.length === 1 && refs[0].name === 'live-owner';
    });
  });

  it('refuses an unknown propagation policy as upstream does', async () => {
    await owner('bad-policy');
    const res = await c.request('DELETE', `${CM}/bad-policy?propagationPolicy=Sideways`);
    assert.equal(res.status, 422);
    assert.match(res.body.message, /Unsupported value: "Sideways": supported values: "Foreground", "Background", "Orphan"/);
  });
});

describe('informer', () => {
  let c: TestCluster;
  before(async () => {
    c = await startTestCluster();
  });
  after(() => c.close());

  it('converges after its watch drops and the store is compacted past its revision', async () => {
    const client = new KubeClient({ server: c.url, token: c.token, caCert: c.caCert });
    const log: string[] = [];
    const inf = new Informer(client, resource('configmaps'), { log: (m) => log.push(m) });
    const seen: string[] = [];
    inf.onChange((e) => seen.push(`${e.type} ${e.obj.metadata.name}`));
    const abort = new AbortController();
    const running = inf.run(abort.signal);
    try {
      await c.request('POST', CM, { metadata: { name: 'inf-a' } });
      await inf.waitForSync();
      await until('the informer sees inf-a', async () => !!inf.get('default', 'inf-a'));
      // Drop every connection, change things and compact while the informer is away.
      c.api.server.closeAllConnections();
      await c.request('DELETE', `${CM}/inf-a`);
      await c.request('POST', CM, { metadata: { name: 'inf-b' } });
      await c.backend.compact(await c.backend.currentRevision());
      await until('the informer converged', async () => !inf.get('default', 'inf-a') && !!inf.get('default', 'inf-b'));
      assert.ok(seen.includes('DELETED inf-a'), `handlers saw the deletion: ${seen.join(', ')}`);
    } finally {
      abort.abort();
      await running;
      client.close();
    }
  });
});
