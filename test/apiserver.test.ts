// API semantics that kubectl relies on, checked over real HTTPS requests: authentication,
// resourceVersion and conflicts, generation, watch from a resourceVersion with selectors and
// compaction, pagination, dryRun, finalizers, namespace termination, Service allocation under
// concurrency and across restarts.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:https';
import { startTestCluster } from './support/harness.ts';
import type { TestCluster } from './support/harness.ts';
import { ensurePki } from '../src/apiserver/certs.ts';
import { startApiServer } from '../src/apiserver/server.ts';
import { openBackend } from '../src/store/index.ts';
import { join } from 'node:path';

const cm = (name: string, extra: object = {}) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...extra }, data: { a: '1' } });

/** Opens a watch and collects its events until `stop()`. */
function watch(c: TestCluster, path: string) {
  const events: any[] = [];
  let buf = '';
  const req = request(c.url + path, { ca: c.caCert, headers: { Authorization: `Bearer ${c.token}` } }, (res) => {
    res.on('data', (d) => {
      buf += d;
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        events.push(JSON.parse(buf.slice(0, i)));
        buf = buf.slice(i + 1);
      }
    });
    res.on('error', () => {});
  });
  req.on('error', () => {});
  req.end();
  return {
    events,
    async until(n: number, ms = 5000) {
      const end = Date.now() + ms;
      while (events.length < n && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
      return events;
    },
    stop: () => req.destroy(),
  };
}

describe('API server semantics', () => {
  let c: TestCluster;
  before(async () => {
    c = await startTestCluster({ controllers: ['namespace'] });
  });
  after(async () => c?.close());

  it('answers 401 without the bearer token, and /version without one', async () => {
    const res = await c.request('GET', '/api/v1/namespaces', undefined, { Authorization: 'Bearer wrong' });
    assert.equal(res.status, 401);
    assert.equal(res.body.reason, 'Unauthorized');
    const v = await c.request('GET', '/version', undefined, { Authorization: '' });
    assert.equal(v.status, 200);
    assert.equal(v.body.minor, '33');
  });

  it('refuses a stale resourceVersion with 409 and bumps resourceVersion on every write', async () => {
    const created = await c.request('POST', '/api/v1/namespaces/default/configmaps', cm('rv'));
    assert.equal(created.status, 201);
    const rv1 = created.body.metadata.resourceVersion;
    const upd = await c.request('PUT', '/api/v1/namespaces/default/configmaps/rv', { ...created.body, data: { a: '2' } });
    assert.equal(upd.status, 200);
    assert.ok(Number(upd.body.metadata.resourceVersion) > Number(rv1));
    const stale = await c.request('PUT', '/api/v1/namespaces/default/configmaps/rv', { ...created.body, data: { a: '3' } });
    assert.equal(stale.status, 409);
    assert.equal(stale.body.message, 'Operation cannot be fulfilled on configmaps "rv": the object has been modified; please apply your changes to the latest version and try again');
    const withRV = await c.request('POST', '/api/v1/namespaces/default/configmaps', cm('rv2', { resourceVersion: '5' }));
    assert.equal(withRV.status, 400);
    assert.match(withRV.body.message, /resourceVersion should not be set on objects to be created/);
  });

  it('increments generation on spec changes only', async () => {
    const dep = {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'gen' },
      spec: { replicas: 1, selector: { matchLabels: { app: 'gen' } }, template: { metadata: { labels: { app: 'gen' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } } },
    };
    const created = await c.request('POST', '/apis/apps/v1/namespaces/default/deployments', dep);
    assert.equal(created.status, 201, created.text);
    assert.equal(created.body.metadata.generation, 1);
    const labelled = await c.request('PATCH', '/apis/apps/v1/namespaces/default/deployments/gen', { metadata: { labels: { x: 'y' } } }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(labelled.body.metadata.generation, 1);
    const scaled = await c.request('PATCH', '/apis/apps/v1/namespaces/default/deployments/gen', { spec: { replicas: 2 } }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(scaled.body.metadata.generation, 2);
    const scale = await c.request('GET', '/apis/apps/v1/namespaces/default/deployments/gen/scale');
    assert.deepEqual([scale.body.kind, scale.body.spec.replicas, scale.body.status.selector], ['Scale', 2, 'app=gen']);
  });

  it('watches from a resourceVersion, turning selector exits into DELETED', async () => {
    const start = await c.request('GET', '/api/v1/namespaces/default/configmaps');
    const w = watch(c, `/api/v1/namespaces/default/configmaps?watch=true&labelSelector=team%3Da&resourceVersion=${start.body.metadata.resourceVersion}`);
    await new Promise((r) => setTimeout(r, 100));
    await c.request('POST', '/api/v1/namespaces/default/configmaps', cm('w1', { labels: { team: 'a' } }));
    await c.request('POST', '/api/v1/namespaces/default/configmaps', cm('w-other', { labels: { team: 'b' } }));
    await c.request('PATCH', '/api/v1/namespaces/default/configmaps/w1', { data: { a: '9' } }, { 'Content-Type': 'application/merge-patch+json' });
    await c.request('PATCH', '/api/v1/namespaces/default/configmaps/w1', { metadata: { labels: { team: 'b' } } }, { 'Content-Type': 'application/merge-patch+json' });
    const evs = await w.until(3);
    w.stop();
    assert.deepEqual(evs.map((e) => [e.type, e.object.metadata.name]), [['ADDED', 'w1'], ['MODIFIED', 'w1'], ['DELETED', 'w1']]);
    assert.equal(evs[1].object.data.a, '9');
  });

  it('answers a watch from a compacted resourceVersion with a 410 Expired event', async () => {
    const rev = await c.backend.currentRevision();
    await c.request('POST', '/api/v1/namespaces/default/configmaps', cm('compact-me'));
    await c.backend.compact(rev + 1);
    const w = watch(c, `/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${rev - 1}`);
    const evs = await w.until(1);
    w.stop();
    assert.equal(evs[0].type, 'ERROR');
    assert.equal(evs[0].object.code, 410);
    assert.equal(evs[0].object.reason, 'Expired');
  });

  it('pages lists with limit and continue', async () => {
    for (let i = 0; i < 5; i++) await c.request('POST', '/api/v1/namespaces/default/configmaps', cm(`page-${i}`, { labels: { paged: 'yes' } }));
    const names: string[] = [];
    let cont = '';
    let pages = 0;
    do {
      const res = await c.request('GET', `/api/v1/namespaces/default/configmaps?labelSelector=paged%3Dyes&limit=2${cont ? `&continue=${cont}` : ''}`);
      assert.equal(res.status, 200, res.text);
      names.push(...res.body.items.map((i: any) => i.metadata.name));
      cont = res.body.metadata.continue ?? '';
      pages++;
    } while (cont && pages < 10);
    assert.deepEqual(names, ['page-0', 'page-1', 'page-2', 'page-3', 'page-4']);
    assert.equal(pages, 3);
  });

  it('persists nothing on dryRun=All', async () => {
    const res = await c.request('POST', '/api/v1/namespaces/default/services?dryRun=All', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'dry' }, spec: { ports: [{ port: 80 }] } });
    assert.equal(res.status, 201);
    assert.match(res.body.spec.clusterIP, /^10\./);
    assert.equal((await c.request('GET', '/api/v1/namespaces/default/services/dry')).status, 404);
  });

  it('keeps an object with finalizers until the last one is removed', async () => {
    await c.request('POST', '/api/v1/namespaces/default/configmaps', cm('fin', { finalizers: ['example.com/hold'] }));
    const del = await c.request('DELETE', '/api/v1/namespaces/default/configmaps/fin');
    assert.equal(del.status, 200);
    assert.ok(del.body.metadata.deletionTimestamp);
    assert.equal((await c.request('GET', '/api/v1/namespaces/default/configmaps/fin')).status, 200);
    const add = await c.request('PATCH', '/api/v1/namespaces/default/configmaps/fin', { metadata: { finalizers: ['example.com/hold', 'example.com/new'] } }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(add.status, 422, 'no new finalizers once deleting');
    const rel = await c.request('PATCH', '/api/v1/namespaces/default/configmaps/fin', { metadata: { finalizers: null } }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(rel.status, 200, rel.text);
    assert.equal((await c.request('GET', '/api/v1/namespaces/default/configmaps/fin')).status, 404);
  });

  it('refuses new content in a terminating namespace, then removes the namespace when empty', async () => {
    assert.equal((await c.request('POST', '/api/v1/namespaces', { metadata: { name: 'term' } })).status, 201);
    await c.request('POST', '/api/v1/namespaces/term/configmaps', cm('held', { finalizers: ['example.com/hold'] }));
    const del = await c.request('DELETE', '/api/v1/namespaces/term');
    assert.equal(del.body.status.phase, 'Terminating');
    const refused = await c.request('POST', '/api/v1/namespaces/term/configmaps', cm('late'));
    assert.equal(refused.status, 403);
    assert.equal(refused.body.message, 'unable to create new content in namespace term because it is being terminated');
    await c.request('PATCH', '/api/v1/namespaces/term/configmaps/held', { metadata: { finalizers: null } }, { 'Content-Type': 'application/merge-patch+json' });
    const end = Date.now() + 10_000;
    while ((await c.request('GET', '/api/v1/namespaces/term')).status !== 404 && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    assert.equal((await c.request('GET', '/api/v1/namespaces/term')).status, 404);
    const sys = await c.request('DELETE', '/api/v1/namespaces/kube-system');
    assert.equal(sys.status, 403);
  });

  it('never hands one ClusterIP or NodePort to two Services, also when created at once', async () => {
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => c.request('POST', '/api/v1/namespaces/default/services', {
      apiVersion: 'v1', kind: 'Service', metadata: { name: `many-${i}` }, spec: { type: 'NodePort', ports: [{ port: 80 }] },
    })));
    assert.ok(results.every((r) => r.status === 201), results.map((r) => r.status).join(','));
    assert.equal(new Set(results.map((r) => r.body.spec.clusterIP)).size, 40);
    assert.equal(new Set(results.map((r) => r.body.spec.ports[0].nodePort)).size, 40);
    const clash = await Promise.all([0, 1].map((i) => c.request('POST', '/api/v1/namespaces/default/services', {
      apiVersion: 'v1', kind: 'Service', metadata: { name: `clash-${i}` }, spec: { clusterIP: '10.96.5.5', ports: [{ port: 80 }] },
    })));
    assert.deepEqual(clash.map((r) => r.status).sort(), [201, 422]);
    const refused = clash.find((r) => r.status === 422)!;
    assert.match(refused.body.message, /spec\.clusterIPs: Invalid value: .*10\.96\.5\.5.*: failed to allocate IP 10\.96\.5\.5: provided IP is already allocated/);
  });

  it('serves one set of Events through core/v1 and events.k8s.io/v1', async () => {
    const core = await c.request('POST', '/api/v1/namespaces/default/events', {
      apiVersion: 'v1', kind: 'Event', metadata: { name: 'e1' }, involvedObject: { kind: 'Pod', name: 'p', namespace: 'default' },
      reason: 'Started', message: 'started it', type: 'Normal', source: { component: 'kubelet' }, count: 2,
    });
    assert.equal(core.status, 201, core.text);
    const asNew = await c.request('GET', '/apis/events.k8s.io/v1/namespaces/default/events/e1');
    assert.equal(asNew.status, 200, asNew.text);
    assert.deepEqual([asNew.body.apiVersion, asNew.body.note, asNew.body.regarding.name, asNew.body.deprecatedCount, asNew.body.deprecatedSource.component], ['events.k8s.io/v1', 'started it', 'p', 2, 'kubelet']);
    const created = await c.request('POST', '/apis/events.k8s.io/v1/namespaces/default/events', {
      apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: { name: 'e2' }, eventTime: '2026-01-01T00:00:00.000000Z',
      regarding: { kind: 'Service', name: 'web', namespace: 'default' }, reason: 'IPAllocated', note: 'got an IP', type: 'Normal',
      reportingController: 'knet.dev/lb', reportingInstance: 'lb-1', action: 'Allocate',
    });
    assert.equal(created.status, 201, created.text);
    const list = await c.request('GET', '/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3Dweb');
    assert.deepEqual(list.body.items.map((e: any) => [e.metadata.name, e.message, e.reportingComponent]), [['e2', 'got an IP', 'knet.dev/lb']]);
  });

  it('reports duplicate JSON fields: refused under Strict, warned under Warn', async () => {
    const body = '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"dup"},"data":{"a":"1","a":"2"}}';
    const strict = await c.request('POST', '/api/v1/namespaces/default/configmaps?fieldValidation=Strict', body);
    assert.equal(strict.status, 400);
    assert.equal(strict.body.message, 'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: duplicate field "data.a"');
    const warn = await c.request('POST', '/api/v1/namespaces/default/configmaps?fieldValidation=Warn', body);
    assert.equal(warn.status, 201);
    assert.equal(String(warn.headers.warning), '299 - "duplicate field \\"data.a\\""');
    assert.equal(warn.body.data.a, '2', 'the last value wins, as in upstream\'s decoder');
  });

  it('refuses unknown fields in a patch under Strict as upstream\'s patch handler does (422, field "patch")', async () => {
    await c.request('POST', '/api/v1/namespaces/default/configmaps', cm('patched'));
    const merge = await c.request('PATCH', '/api/v1/namespaces/default/configmaps/patched?fieldValidation=Strict', { bogus: 1 }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(merge.status, 422);
    assert.match(merge.body.message, /^ "" is invalid: patch: Invalid value: "\{.*\}": strict decoding error: unknown field "bogus"$/);
    assert.equal(merge.body.details.causes[0].field, 'patch');
    const smp = await c.request('PATCH', '/api/v1/namespaces/default/configmaps/patched?fieldValidation=Strict', { data: { k: 'v' }, bogus: [1, 'x'] }, { 'Content-Type': 'application/strategic-merge-patch+json' });
    assert.equal(smp.status, 422);
    assert.equal(smp.body.message, ' "" is invalid: patch: Invalid value: "map[bogus:[1 x] data:map[k:v]]": strict decoding error: unknown field "bogus"');
    const warned = await c.request('PATCH', '/api/v1/namespaces/default/configmaps/patched', { bogus: 1 }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(warned.status, 200, 'Warn is the default: the field is dropped with a warning');
    assert.match(String(warned.headers.warning), /unknown field/);
  });

  it('answers get with a Table when kubectl asks for one', async () => {
    const res = await c.request('GET', '/api/v1/namespaces/default/services/kubernetes', undefined, { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' });
    assert.equal(res.body.kind, 'Table');
    assert.deepEqual(res.body.columnDefinitions.map((d: any) => d.name), ['Name', 'Type', 'Cluster-IP', 'External-IP', 'Port(s)', 'Age', 'Selector']);
    assert.deepEqual(res.body.rows[0].cells.slice(0, 5), ['kubernetes', 'ClusterIP', '10.96.0.1', '<none>', '443/TCP']);
  });
});

describe('Service allocation across restarts', () => {
  it('remembers allocated ClusterIPs and NodePorts after the server restarts', async () => {
    const c = await startTestCluster({ store: 'sqlite' });
    const svc = (name: string) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec: { type: 'NodePort', clusterIP: '10.96.7.7', ports: [{ port: 80, nodePort: 31000 }] } });
    assert.equal((await c.request('POST', '/api/v1/namespaces/default/services', svc('first'))).status, 201);
    await c.api.close();
    await c.backend.close();
    const backend = openBackend(`sqlite:${join(c.dir, 'store.db')}`);
    const pki = await ensurePki(join(c.dir, 'pki'), ['127.0.0.1'], ['localhost']);
    const api = await startApiServer({ backend, pki, tokens: [c.token], host: '127.0.0.1', port: 0, serviceCIDR: '10.96.0.0/12', nodePortRange: [30000, 32767] });
    const url = `https://127.0.0.1:${api.port}`;
    const post = (body: object) => new Promise<any>((resolve, reject) => {
      const req = request(url + '/api/v1/namespaces/default/services', { method: 'POST', ca: pki.caCert, headers: { Authorization: `Bearer ${c.token}`, 'Content-Type': 'application/json' } }, (res) => {
        let t = '';
        res.on('data', (d) => (t += d));
        res.on('end', () => resolve({ status: res.statusCode, body: JSON.parse(t) }));
      });
      req.on('error', reject);
      req.end(JSON.stringify(body));
    });
    try {
      const again = await post(svc('second'));
      assert.equal(again.status, 422);
      assert.match(again.body.message, /already allocated/);
      const bootstrapped = await post({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'third' }, spec: { ports: [{ port: 80 }] } });
      assert.equal(bootstrapped.status, 201);
    } finally {
      await api.close();
      await backend.close();
      c.close = async () => {};
    }
  });
});
