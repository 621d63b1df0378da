import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inClusterConfig, NotInClusterError } from './in-cluster.ts';

function saDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'knet-sa-'));
  for (const [k, v] of Object.entries(files)) writeFileSync(join(dir, k), v);
  return dir;
}

test('reads server, CA, namespace and token; re-reads a rotated token after a minute', (t) => {
  const dir = saDir({ token: 'one\n', 'ca.crt': 'CA', namespace: 'kube-system' });
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  let clock = 0;
  const c = inClusterConfig({ env: { KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443' }, dir, now: () => clock });
  assert.equal(c.client.server, 'https://10.96.0.1:443');
  assert.equal(c.client.caCert, 'CA');
  assert.equal(c.namespace, 'kube-system');
  assert.equal(c.client.token, 'one');
  writeFileSync(join(dir, 'token'), 'two');
  clock = 30_000;
  assert.equal(c.client.token, 'one');
  clock = 61_000;
  assert.equal(c.client.token, 'two');
});

test('IPv6 hosts are bracketed; no namespace file means default', (t) => {
  const dir = saDir({ token: 't', 'ca.crt': 'CA' });
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const c = inClusterConfig({ env: { KUBERNETES_SERVICE_HOST: 'fd00::1', KUBERNETES_SERVICE_PORT: '6443' }, dir });
  assert.equal(c.client.server, 'https://[fd00::1]:6443');
  assert.equal(c.namespace, 'default');
});

test('outside a pod it says what is missing', () => {
  assert.throws(() => inClusterConfig({ env: {} }), NotInClusterError);
  assert.throws(() => inClusterConfig({ env: {} }), /KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be defined/);
});
