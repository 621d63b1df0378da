// Runs the real kubectl 1.33 against a tiny HTTP server that serves only /version,
// aggregated discovery and knet's OpenAPI v3 documents: `kubectl explain` must find the kinds
// through x-kubernetes-group-version-kind and walk the field schemas.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { RESOURCES } from '../resources.ts';
import { openapiDocument, openapiRoot } from './index.ts';

const KUBECTL = '/usr/lib/google-cloud-sdk/bin/kubectl.1.33';
const DISCOVERY_TYPE = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

function discovery(core: boolean): object {
  const groups = new Map<string, object[]>();
  for (const r of RESOURCES) {
    if ((r.group === '') !== core) continue;
    const resources = groups.get(r.group) ?? [];
    resources.push({
      resource: r.resource, responseKind: { group: r.group, version: r.version, kind: r.kind },
      scope: r.namespaced ? 'Namespaced' : 'Cluster', singularResource: r.singular,
      shortNames: r.shortNames, categories: r.categories, verbs: r.verbs,
    });
    groups.set(r.group, resources);
  }
  return {
    kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2', metadata: {},
    items: [...groups].map(([name, resources]) => ({
      metadata: { name }, versions: [{ version: 'v1', freshness: 'Current', resources }],
    })),
  };
}

const server = createServer((req, res) => {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  const send = (body: object, type = 'application/json') => {
    res.writeHead(200, { 'Content-Type': type });
    res.end(JSON.stringify(body));
  };
  if (path === '/version') return send({ major: '1', minor: '33', gitVersion: 'v1.33.0', platform: 'linux/amd64' });
  if (path === '/api') return send(discovery(true), DISCOVERY_TYPE);
  if (path === '/apis') return send(discovery(false), DISCOVERY_TYPE);
  if (path === '/openapi/v3') return send(openapiRoot());
  const doc = path.startsWith('/openapi/v3/') ? openapiDocument(path.slice('/openapi/v3/'.length)) : undefined;
  if (doc) return send(doc.document);
  res.writeHead(404, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404 }));
});

let dir = '';
before(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  dir = mkdtempSync(join(tmpdir(), 'knet-explain-'));
  writeFileSync(join(dir, 'kubeconfig'), [
    'apiVersion: v1', 'kind: Config', 'current-context: t',
    `clusters: [{name: t, cluster: {server: "http://127.0.0.1:${port}"}}]`,
    'users: [{name: t, user: {}}]',
    'contexts: [{name: t, context: {cluster: t, user: t}}]', '',
  ].join('\n'));
});
after(() => {
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

async function kubectl(...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(KUBECTL, [
    `--kubeconfig=${join(dir, 'kubeconfig')}`, `--cache-dir=${join(dir, 'cache')}`, ...args,
  ], { timeout: 30_000 });
  return stdout;
}

const skip = existsSync(KUBECTL) ? false : `${KUBECTL} is not installed`;

test('kubectl explain service.spec.ports --recursive walks the schema', { skip }, async () => {
  const out = await kubectl('explain', 'service.spec.ports', '--recursive');
  assert.match(out, /KIND:\s+Service/);
  assert.match(out, /VERSION:\s+v1/);
  assert.match(out, /FIELD: ports <\[\]ServicePort>/);
  assert.match(out, /port\s+<integer> -required-/);
  assert.match(out, /targetPort\s+<IntOrString>/);
  assert.match(out, /protocol\s+<string>/);
});

test('kubectl explain finds kinds of every group', { skip }, async () => {
  const deploy = await kubectl('explain', 'deployment.spec.template.spec.containers.readinessProbe.httpGet');
  assert.match(deploy, /GROUP:\s+apps/);
  assert.match(deploy, /FIELD: httpGet <HTTPGetAction>/);
  assert.match(deploy, /port\s+<IntOrString> -required-/);
  const netpol = await kubectl('explain', 'networkpolicy.spec.ingress.from');
  assert.match(netpol, /ipBlock\s+<IPBlock>/);
  const ingress = await kubectl('explain', 'ingress.spec.rules.http.paths.pathType');
  assert.match(ingress, /Exact/);
});

// `--validate=strict` makes kubectl look for a PATCH operation with the object's GVK and a
// fieldValidation parameter; without one it falls back to /openapi/v2 (404 here) and fails.
test('kubectl create --validate=strict accepts the fieldValidation support of every kind', { skip }, async () => {
  const manifests = RESOURCES.map((r) => JSON.stringify({
    apiVersion: r.group ? `${r.group}/${r.version}` : r.version, kind: r.kind, metadata: { name: 'probe' },
  }));
  // Separate documents, not a v1 List: kubectl validates a List itself through /openapi/v2.
  const file = join(dir, 'all.yaml');
  writeFileSync(file, manifests.join('\n---\n'));
  const out = await kubectl('create', '--dry-run=client', '--validate=strict', '-o', 'name', '-f', file);
  const names = out.trim().split('\n');
  assert.equal(names.length, RESOURCES.length);
  assert.ok(names.includes('service/probe'));
  assert.ok(names.includes('deployment.apps/probe'));
  assert.ok(names.includes('networkpolicy.networking.k8s.io/probe'));
});
