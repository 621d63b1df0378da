// Service accounts end to end with the real kubectl: every namespace gets its `default`
// ServiceAccount and the `kube-root-ca.crt` ConfigMap; `kubectl create token` (a Protobuf
// TokenRequest) returns a token the API server accepts for as long as its account exists.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestCluster } from './support/harness.ts';
import type { TestCluster } from './support/harness.ts';
import { until } from './support/until.ts';


describe('service accounts and tokens', () => {
  let c: TestCluster;
  before(async () => {
    c = await startTestCluster({ controllers: ['serviceaccount'] });
  });
  after(() => c?.close());

  it('gives each namespace a default ServiceAccount and the root CA ConfigMap', async () => {
    assert.equal((await c.kubectl(['create', 'namespace', 'team'])).code, 0);
    await until('default SA in team', async () => (await c.request('GET', '/api/v1/namespaces/team/serviceaccounts/default')).status === 200);
    const cm = await until('kube-root-ca.crt in team', async () => {
      const r = await c.request('GET', '/api/v1/namespaces/team/configmaps/kube-root-ca.crt');
      return r.status === 200 && r.body;
    });
    assert.equal(cm.data['ca.crt'], c.caCert);
    await c.request('DELETE', '/api/v1/namespaces/team/serviceaccounts/default');
    await until('default SA re-created', async () => (await c.request('GET', '/api/v1/namespaces/team/serviceaccounts/default')).status === 200);
  });

  it('issues tokens that authenticate until their service account goes', async () => {
    await until('default SA in default', async () => (await c.request('GET', '/api/v1/namespaces/default/serviceaccounts/default')).status === 200);
    assert.equal((await c.kubectl(['create', 'serviceaccount', 'robot'])).code, 0);
    const created = await c.kubectl(['create', 'token', 'robot', '--duration=20m']);
    assert.equal(created.code, 0, created.stderr);
    const token = created.stdout.trim();
    const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
    assert.equal(claims.sub, 'system:serviceaccount:default:robot');
    assert.deepEqual(claims.aud, ['https://kubernetes.default.svc.cluster.local']);
    assert.equal(claims.exp - claims.iat, 1200);
    const asRobot = await c.kubectl(['--token', token, 'get', 'configmaps', '-o', 'name']);
    assert.equal(asRobot.code, 0, asRobot.stderr);
    const forged = token.slice(0, -4) + (token.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    const refused = await c.kubectl(['--token', forged, 'get', 'configmaps']);
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /Unauthorized|must be logged in/);
    assert.equal((await c.kubectl(['delete', 'serviceaccount', 'robot'])).code, 0);
    const gone = await c.kubectl(['--token', token, 'get', 'configmaps']);
    assert.notEqual(gone.code, 0, 'a deleted account\'s token no longer works');
  });

  it('refuses a token shorter than ten minutes with upstream\'s message', async () => {
    const r = await c.kubectl(['create', 'token', 'default', '--duration=5m']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /spec.expirationSeconds: Invalid value: 300: may not specify a duration less than 10 minutes/);
  });
});
