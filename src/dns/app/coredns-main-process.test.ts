// The `coredns` program end to end: a child process with a service-account directory and
// the in-cluster environment, reading its Corefile from the ConfigMap of its namespace,
// answering dig, and exiting 0 after lameduck on SIGTERM.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestCluster } from '../../../test/support/harness.ts';
import { until } from '../../../test/support/until.ts';
import { dig } from './dig.test-support.ts';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

test('runCoreDns serves the ConfigMap of its namespace and exits 0 on SIGTERM', async (t) => {
  const cluster = await startTestCluster();
  const sa = mkdtempSync(join(tmpdir(), 'knet-coredns-sa-'));
  t.after(async () => {
    await cluster.close();
    rmSync(sa, { recursive: true, force: true });
  });
  writeFileSync(join(sa, 'token'), cluster.token);
  writeFileSync(join(sa, 'ca.crt'), cluster.caCert);
  writeFileSync(join(sa, 'namespace'), 'dns-smoke');
  const [port, health] = await Promise.all([freePort(), freePort()]);
  await cluster.request('POST', '/api/v1/namespaces', { metadata: { name: 'dns-smoke' } });
  const corefile = `.:${port} {\n  errors\n  health 127.0.0.1:${health} {\n    lameduck 200ms\n  }\n  kubernetes cluster.local\n}\n`;
  assert.equal((await cluster.request('POST', '/api/v1/namespaces/dns-smoke/configmaps', { metadata: { name: 'coredns' }, data: { Corefile: corefile } })).status, 201);

  const apiPort = new URL(cluster.url).port;
  const script = `import { runCoreDns } from ${JSON.stringify(join(import.meta.dirname, 'coredns-main.ts'))};
await runCoreDns(['-conf', '/nonexistent/Corefile'], { serviceAccountDir: ${JSON.stringify(sa)} });`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    env: { ...process.env, KUBERNETES_SERVICE_HOST: '127.0.0.1', KUBERNETES_SERVICE_PORT: apiPort, POD_IP: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (c) => (out += c));
  child.stderr.on('data', (c) => (out += c));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  t.after(() => child.kill('SIGKILL'));

  await until('the banner is printed', async () => out.includes('CoreDNS-knet'), 10_000, 50);
  assert.match(out, /does not exist; reading the Corefile from configmap dns-smoke\/coredns/);
  assert.match(out, new RegExp(`^\\.:${port}$`, 'm'));
  assert.match(out, /^\[INFO\] plugin\/reload: Running configuration SHA512 = [0-9a-f]{128}$/m);
  const r = await dig(port, 'kubernetes.default.svc.cluster.local');
  assert.deepEqual(r.answers.map((a) => a.data), ['10.96.0.1']);

  child.kill('SIGTERM');
  assert.equal(await exited, 0, out);
  assert.match(out, /\[INFO\] plugin\/health: Going into lameduck mode for 0.2s/);
});
