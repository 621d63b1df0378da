// Conformance against a client knet did not write: the real kubectl (the newest bundled client
// and an older one, called directly) drives knet's API server, and the tests check what kubectl
// prints, as a user would see it.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { KUBECTL_DIR, startTestCluster } from './support/harness.ts';
import type { TestCluster } from './support/harness.ts';

function ok(r: { code: number; stdout: string; stderr: string }, what: string): string {
  assert.equal(r.code, 0, `${what} failed (exit ${r.code}):\n${r.stderr}${r.stdout}`);
  return r.stdout;
}

function fails(r: { code: number; stdout: string; stderr: string }, what: string): string {
  assert.notEqual(r.code, 0, `${what} should have failed but printed:\n${r.stdout}`);
  return r.stderr;
}

for (const version of ['1.33', '1.30']) {
  describe(`kubectl ${version} against knet`, { concurrency: false }, () => {
    let c: TestCluster;
    const k = (...args: string[]) => c.kubectl(args, { version });
    before(async () => {
      c = await startTestCluster({ store: 'sqlite', controllers: ['namespace', 'garbage-collector'] });
    });
    after(async () => c?.close());

    it('lists API resources with upstream names, short names and kinds', async () => {
      const out = ok(await k('api-resources'), 'api-resources');
      assert.match(out, /^services\s+svc\s+v1\s+true\s+Service$/m);
      assert.match(out, /^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
      assert.match(out, /^networkpolicies\s+netpol\s+networking\.k8s\.io\/v1\s+true\s+NetworkPolicy$/m);
      assert.match(out, /^endpointslices\s+discovery\.k8s\.io\/v1\s+true\s+EndpointSlice$/m);
      assert.match(out, /^namespaces\s+ns\s+v1\s+false\s+Namespace$/m);
    });

    it('has the system namespaces and the kubernetes Service', async () => {
      const ns = ok(await k('get', 'ns'), 'get ns');
      for (const n of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) assert.match(ns, new RegExp(`^${n}\\s+Active\\s+\\d+s`, 'm'));
      const svc = ok(await k('get', 'svc', 'kubernetes'), 'get svc kubernetes');
      assert.match(svc, /^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE$/m);
      assert.match(svc, /^kubernetes\s+ClusterIP\s+10\.96\.0\.1\s+<none>\s+443\/TCP\s+/m);
    });

    it('creates Services of every type with kubectl create (Protobuf bodies)', async () => {
      ok(await k('create', 'namespace', 'svc-test'), 'create ns');
      assert.match(ok(await k('-n', 'svc-test', 'create', 'service', 'clusterip', 'my-cs', '--tcp=80:8080'), 'create clusterip'), /service\/my-cs created/);
      ok(await k('-n', 'svc-test', 'create', 'service', 'nodeport', 'my-np', '--tcp=80:8080', '--node-port=30080'), 'create nodeport');
      ok(await k('-n', 'svc-test', 'create', 'service', 'loadbalancer', 'my-lb', '--tcp=443:8443'), 'create loadbalancer');
      ok(await k('-n', 'svc-test', 'create', 'service', 'externalname', 'my-en', '--external-name=example.com'), 'create externalname');
      const out = ok(await k('-n', 'svc-test', 'get', 'svc', '-o', 'wide'), 'get svc -o wide');
      assert.match(out, /^my-cs\s+ClusterIP\s+10\.(9[6-9]|1[01]\d)\.\d+\.\d+\s+<none>\s+80\/TCP\s+\S+\s+app=my-cs$/m);
      assert.match(out, /^my-np\s+NodePort\s+10\.\S+\s+<none>\s+80:30080\/TCP\s+/m);
      assert.match(out, /^my-lb\s+LoadBalancer\s+10\.\S+\s+<pending>\s+443:3\d{4}\/TCP\s+/m);
      assert.match(out, /^my-en\s+ExternalName\s+<none>\s+example\.com\s+<none>\s+/m);
      const ips = (await Promise.all(['my-cs', 'my-np', 'my-lb'].map(async (n) => ok(await k('-n', 'svc-test', 'get', 'svc', n, '-o', 'jsonpath={.spec.clusterIP}'), 'jsonpath'))));
      assert.equal(new Set(ips).size, 3, `ClusterIPs must differ: ${ips}`);
      const again = fails(await k('-n', 'svc-test', 'create', 'service', 'nodeport', 'other', '--tcp=81:8080', '--node-port=30080'), 'duplicate nodePort');
      assert.match(again, /Service "other" is invalid: spec\.ports\[0\]\.nodePort: Invalid value: 30080: provided port is already allocated/);
      const dup = fails(await k('-n', 'svc-test', 'create', 'service', 'clusterip', 'my-cs', '--tcp=80:8080'), 'duplicate name');
      assert.match(dup, /services "my-cs" already exists/);
    });

    it('creates and exposes a deployment, and gets it in every output format', async () => {
      ok(await k('create', 'deployment', 'web', '--image=registry.k8s.io/e2e-test-images/agnhost:2.53', '--replicas=3', '--', '/agnhost', 'netexec'), 'create deployment');
      assert.match(ok(await k('expose', 'deployment', 'web', '--port=80', '--target-port=8080'), 'expose'), /service\/web exposed/);
      const sel = ok(await k('get', 'svc', 'web', '-o', 'jsonpath={.spec.selector.app}:{.spec.ports[0].targetPort}'), 'jsonpath');
      assert.equal(sel, 'web:8080');
      const dep = ok(await k('get', 'deploy', 'web', '-o', 'wide'), 'get deploy -o wide');
      assert.match(dep, /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR$/m);
      assert.match(dep, /^web\s+0\/3\s+0\s+0\s+\S+\s+agnhost\s+registry\.k8s\.io\/e2e-test-images\/agnhost:2\.53\s+app=web$/m);
      const json = JSON.parse(ok(await k('get', 'deploy', 'web', '-o', 'json'), '-o json'));
      assert.equal(json.spec.replicas, 3);
      assert.equal(json.spec.strategy.type, 'RollingUpdate');
      assert.equal(json.metadata.generation, 1);
      assert.ok(json.metadata.uid && json.metadata.resourceVersion && json.metadata.creationTimestamp);
      const yaml = ok(await k('get', 'svc', 'web', '-o', 'yaml'), '-o yaml');
      assert.match(yaml, /^kind: Service$/m);
      assert.match(yaml, /targetPort: 8080/);
      const all = ok(await k('get', 'all'), 'get all');
      assert.match(all, /service\/web\s+ClusterIP/);
      assert.match(all, /deployment\.apps\/web\s+0\/3/);
    });

    it('applies a file twice, with a change, then server-side', async () => {
      const file = join(c.dir, `apply-${version}.yaml`);
      const manifest = (port: number, target: number) => `apiVersion: v1
kind: Service
metadata:
  name: file-svc
  labels: {app: file}
spec:
  selector: {app: file}
  ports:
  - name: http
    port: ${port}
    targetPort: ${target}
`;
      writeFileSync(file, manifest(80, 8080));
      assert.match(ok(await k('apply', '-f', file), 'apply 1'), /service\/file-svc created/);
      assert.match(ok(await k('apply', '-f', file), 'apply same'), /service\/file-svc unchanged/);
      writeFileSync(file, manifest(81, 9090));
      assert.match(ok(await k('apply', '-f', file), 'apply 2'), /service\/file-svc configured/);
      const ports = JSON.parse(ok(await k('get', 'svc', 'file-svc', '-o', 'jsonpath={.spec.ports}'), 'ports'));
      assert.deepEqual(ports.map((p: any) => [p.name, p.port, p.targetPort]), [['http', 81, 9090]]);
      // Server-side apply after client-side apply: same port (the list-map key port+protocol),
      // new targetPort; the field belongs to kubectl-client-side-apply, so --force-conflicts.
      writeFileSync(file, manifest(81, 9091));
      assert.match(ok(await k('apply', '--server-side', '--force-conflicts', '-f', file), 'apply --server-side'), /service\/file-svc serverside-applied/);
      const port = ok(await k('get', 'svc', 'file-svc', '-o', 'jsonpath={.spec.ports[*].targetPort}'), 'port');
      assert.equal(port, '9091');
      const mf = JSON.parse(ok(await k('get', 'svc', 'file-svc', '-o', 'json', '--show-managed-fields'), 'managed fields')).metadata.managedFields;
      assert.ok(mf.some((e: any) => e.manager === 'kubectl' && e.operation === 'Apply'), JSON.stringify(mf));
    });

    it('edits through $EDITOR, patches three ways, labels and annotates', async () => {
      const editor = join(c.dir, 'editor.sh');
      writeFileSync(editor, `#!/bin/sh\nsed -i 's/targetPort: 8080/targetPort: 8081/' "$1"\n`);
      chmodSync(editor, 0o755);
      const edited = await c.kubectl(['edit', 'svc', 'web'], { version, env: { EDITOR: editor, KUBE_EDITOR: editor } });
      assert.match(ok(edited, 'edit'), /service\/web edited/);
      assert.equal(ok(await k('get', 'svc', 'web', '-o', 'jsonpath={.spec.ports[0].targetPort}'), 'after edit'), '8081');
      ok(await k('patch', 'svc', 'web', '-p', '{"spec":{"ports":[{"port":80,"targetPort":8082}]}}'), 'patch strategic');
      assert.equal(ok(await k('get', 'svc', 'web', '-o', 'jsonpath={.spec.ports[0].targetPort}'), 'after smp'), '8082');
      ok(await k('patch', 'svc', 'web', '--type=merge', '-p', '{"metadata":{"labels":{"tier":"front"}}}'), 'patch merge');
      ok(await k('patch', 'svc', 'web', '--type=json', '-p', '[{"op":"replace","path":"/spec/ports/0/targetPort","value":8083}]'), 'patch json');
      assert.equal(ok(await k('get', 'svc', 'web', '-o', 'jsonpath={.spec.ports[0].targetPort} {.metadata.labels.tier}'), 'after patches'), '8083 front');
      ok(await k('label', 'svc', 'web', 'env=test'), 'label');
      ok(await k('annotate', 'svc', 'web', 'note=hello'), 'annotate');
      assert.equal(ok(await k('get', 'svc', '-l', 'env=test', '-o', 'name'), 'get -l'), 'service/web\n');
      assert.equal(ok(await k('get', 'svc', 'web', '-o', 'jsonpath={.metadata.annotations.note}'), 'annotation'), 'hello');
      const conflictOut = fails(await k('label', 'svc', 'web', 'env=prod'), 'label without --overwrite');
      assert.match(conflictOut, /already has a value \(test\)/);
    });

    it('selects with -l, --field-selector and -A', async () => {
      const byField = ok(await k('get', 'svc', '--field-selector', 'metadata.name=web', '-o', 'name'), 'field selector');
      assert.equal(byField, 'service/web\n');
      const bad = fails(await k('get', 'svc', '--field-selector', 'spec.bogus=1'), 'bad field selector');
      assert.match(bad, /field label not supported: spec\.bogus/);
      const allNs = ok(await k('get', 'svc', '-A'), 'get -A');
      assert.match(allNs, /^NAMESPACE\s+NAME\s+TYPE/m);
      assert.match(allNs, /^svc-test\s+my-cs\s+ClusterIP/m);
      assert.match(allNs, /^default\s+kubernetes\s+ClusterIP/m);
      const chunked = ok(await k('get', 'svc', '-A', '--chunk-size=1', '-o', 'name'), 'chunked');
      assert.ok(chunked.trim().split('\n').length >= 6, chunked);
    });

    it('watches with get -w and sees a change arrive', async () => {
      const child = spawn(join(KUBECTL_DIR, `kubectl.${version}`), ['--kubeconfig', c.kubeconfig, '--cache-dir', join(c.dir, `watch-cache-${version}`), 'get', 'svc', 'web', '-w', '-o', 'jsonpath={.metadata.labels.watched}{"\\n"}']);
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      const seen = new Promise<void>((resolve) => child.stdout.on('data', () => out.includes('yes') && resolve()));
      await new Promise((r) => setTimeout(r, 1500));
      ok(await k('label', 'svc', 'web', 'watched=yes'), 'label for watch');
      const timer = setTimeout(() => child.kill(), 15_000);
      await seen.catch(() => {});
      clearTimeout(timer);
      child.kill();
      assert.match(out, /yes/);
    });

    it('describes services, pods, and ingresses with their backends', async () => {
      const d = ok(await k('describe', 'svc', 'web'), 'describe svc');
      assert.match(d, /^Name:\s+web$/m);
      assert.match(d, /^Type:\s+ClusterIP$/m);
      assert.match(d, /^Port:\s+<unset>\s+80\/TCP$/m);
      assert.match(d, /^TargetPort:\s+8083\/TCP$/m);
      assert.match(ok(await k('run', 'solo', '--image=busybox', '--labels=app=solo', '--', 'sleep', '3600'), 'run'), /pod\/solo created/);
      const pod = ok(await k('describe', 'pod', 'solo'), 'describe pod');
      assert.match(pod, /^Name:\s+solo$/m);
      assert.match(pod, /^Namespace:\s+default$/m);
      assert.match(pod, /^Labels:\s+app=solo$/m);
      assert.match(pod, /^Status:\s+Pending$/m);
      assert.match(pod, /^\s+Image:\s+busybox$/m);
      assert.match(ok(await k('get', 'pod', 'solo'), 'get pod'), /^solo\s+0\/1\s+Pending\s+0\s+\S+$/m);
      ok(await k('create', 'ingress', 'web', '--rule=foo.com/bar*=web:80'), 'create ingress');
      const ing = ok(await k('describe', 'ingress', 'web'), 'describe ingress');
      assert.match(ing, /foo\.com\s*\n\s+\/bar\s+web:80/);
      const get = ok(await k('get', 'ing'), 'get ing');
      assert.match(get, /^web\s+<none>\s+foo\.com\s+80\s+\S+$/m);
    });

    it('answers auth can-i (Protobuf SelfSubjectAccessReview)', async () => {
      assert.equal(ok(await k('auth', 'can-i', 'create', 'pods'), 'auth can-i').trim(), 'yes');
    });

    it('explains fields from the OpenAPI documents', async () => {
      const out = ok(await k('explain', 'service.spec.ports'), 'explain');
      assert.match(out, /KIND:\s+Service/);
      assert.match(out, /FIELD:\s+ports/);
      assert.match(out, /targetPort/);
    });

    it('refuses invalid input with upstream messages', async () => {
      const badName = fails(await k('create', 'service', 'clusterip', 'Bad_Name', '--tcp=80:8080'), 'bad name');
      assert.match(badName, /Service "Bad_Name" is invalid: metadata\.name: Invalid value: "Bad_Name": a DNS-1035 label must consist of lower case alphanumeric characters or '-'/);
      const file = join(c.dir, `bad-${version}.yaml`);
      writeFileSync(file, 'apiVersion: v1\nkind: Service\nmetadata: {name: badport}\nspec:\n  ports: [{port: 0}]\n');
      assert.match(fails(await k('apply', '-f', file), 'bad port'), /spec\.ports\[0\]\.port: Invalid value: 0: must be between 1 and 65535, inclusive/);
      writeFileSync(file, 'apiVersion: v1\nkind: Service\nmetadata: {name: unknownfield}\nspec:\n  ports: [{port: 80}]\n  bogus: 1\n');
      assert.match(fails(await k('create', '-f', file), 'unknown field'), /Service in version "v1" cannot be handled as a Service: strict decoding error: unknown field "spec\.bogus"/);
      const warned = ok(await k('create', '--validate=warn', '-f', file), 'unknown field warn');
      assert.match(warned, /service\/unknownfield created/);
      writeFileSync(file, 'apiVersion: v1\nkind: Service\nmetadata: {name: x\n  spec: [\n');
      fails(await k('apply', '-f', file), 'malformed YAML');
      assert.match(fails(await k('get', 'svc', 'does-not-exist'), 'not found'), /Error from server \(NotFound\): services "does-not-exist" not found/);
    });

    it('deletes one, by label, and a whole namespace; wait --for=delete returns', async () => {
      assert.match(ok(await k('delete', 'svc', 'file-svc'), 'delete'), /service "file-svc" deleted/);
      ok(await k('label', 'svc', 'unknownfield', 'doomed=yes'), 'label doomed');
      assert.match(ok(await k('delete', 'svc', '-l', 'doomed=yes'), 'delete -l'), /service "unknownfield" deleted/);
      assert.match(ok(await k('delete', 'namespace', 'svc-test', '--wait=false'), 'delete ns'), /namespace "svc-test" deleted/);
      ok(await k('wait', '--for=delete', 'namespace/svc-test', '--timeout=30s'), 'wait --for=delete');
      assert.match(fails(await k('get', 'svc', '-n', 'svc-test', 'my-cs'), 'gone'), /NotFound/);
      const freed = await k('create', 'namespace', 'svc-test2');
      ok(freed, 'create ns 2');
      ok(await k('-n', 'svc-test2', 'create', 'service', 'nodeport', 'again', '--tcp=80:8080', '--node-port=30080'), 'nodePort freed by namespace deletion');
    });
  });
}
