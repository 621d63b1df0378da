import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { builtinMain, imageProgram, parseImageReference } from './image-program.ts';
import type { ImageProgram } from './image-program.ts';

const opts = { nodePath: '/node', busyboxPath: '/usr/bin/busybox', busyboxAppletDir: '/bb', busyboxApplets: new Set(['sh', 'sleep', 'wget', 'echo']) };
const builtin = (...rest: string[]) => ['/node', '--disable-warning=ExperimentalWarning', builtinMain, ...rest];
const argvOf = (p: ImageProgram) => {
  assert.ok('argv' in p, JSON.stringify(p));
  return p.argv;
};

describe('parseImageReference', () => {
  it('normalizes Docker Hub names and keeps registries', () => {
    assert.deepEqual(parseImageReference('busybox'), { registry: 'docker.io', repository: 'library/busybox', tag: 'latest', digest: '' });
    assert.deepEqual(parseImageReference('docker.io/library/busybox:1.36'), { registry: 'docker.io', repository: 'library/busybox', tag: '1.36', digest: '' });
    assert.deepEqual(parseImageReference('registry.k8s.io/e2e-test-images/agnhost:2.53'), { registry: 'registry.k8s.io', repository: 'e2e-test-images/agnhost', tag: '2.53', digest: '' });
    assert.deepEqual(parseImageReference('localhost:5000/app'), { registry: 'localhost:5000', repository: 'app', tag: 'latest', digest: '' });
    assert.equal(parseImageReference('hashicorp/http-echo')?.repository, 'hashicorp/http-echo');
    assert.equal(parseImageReference(`nginx@sha256:${'a'.repeat(64)}`)?.digest, `sha256:${'a'.repeat(64)}`);
  });
  it('rejects invalid references', () => {
    assert.equal(parseImageReference('Nginx'), undefined);
    assert.equal(parseImageReference(''), undefined);
    assert.equal(parseImageReference('nginx:'), undefined);
  });
});

describe('imageProgram', () => {
  it('runs agnhost for any tag and registry, with the image default `pause`', () => {
    assert.deepEqual(argvOf(imageProgram('registry.k8s.io/e2e-test-images/agnhost:2.53', undefined, ['netexec', '--http-port=8080'], opts)),
      builtin('agnhost', 'netexec', '--http-port=8080'));
    assert.deepEqual(argvOf(imageProgram('k8s.gcr.io/e2e-test-images/agnhost:2.21', ['/agnhost', 'serve-hostname'], ['--port', '80'], opts)),
      builtin('agnhost', 'serve-hostname', '--port', '80'));
    assert.deepEqual(argvOf(imageProgram('registry.k8s.io/e2e-test-images/agnhost:2.53', [], [], opts)), builtin('agnhost', 'pause'));
  });
  it('runs other agnhost commands on the userland with agnhost on PATH', () => {
    const p = imageProgram('registry.k8s.io/e2e-test-images/agnhost:2.53', ['sh', '-c', 'agnhost pause'], undefined, opts);
    assert.deepEqual(argvOf(p), ['sh', '-c', 'agnhost pause']);
    assert.ok('env' in p && p.env?.PATH?.split(':')[0].endsWith('src/images/bin'));
  });
  it('maps pause', () => {
    assert.deepEqual(argvOf(imageProgram('registry.k8s.io/pause:3.10', undefined, undefined, opts)), builtin('pause'));
  });
  it('runs busybox applets through busybox, with applet links first on PATH', () => {
    const p = imageProgram('busybox:1.36', ['sh', '-c', 'sleep 3600'], undefined, opts);
    assert.deepEqual(argvOf(p), ['/usr/bin/busybox', 'sh', '-c', 'sleep 3600']);
    assert.ok('env' in p && p.env?.PATH?.startsWith('/bb:'));
    assert.deepEqual(argvOf(imageProgram('docker.io/library/busybox', ['/bin/sleep'], ['10'], opts)), ['/usr/bin/busybox', 'sleep', '10']);
    assert.deepEqual(argvOf(imageProgram('busybox', undefined, undefined, opts)), ['/usr/bin/busybox', 'sh']);
    // args alone replace CMD (sh): the first arg is the program.
    assert.deepEqual(argvOf(imageProgram('busybox', undefined, ['echo', 'hi'], opts)), ['/usr/bin/busybox', 'echo', 'hi']);
    assert.deepEqual(argvOf(imageProgram('gcr.io/google-containers/busybox', ['/opt/tool', 'x'], undefined, opts)), ['/opt/tool', 'x']);
  });
  it('runs alpine/debian/ubuntu commands as given, defaulting to their CMD', () => {
    assert.deepEqual(argvOf(imageProgram('alpine:3.20', ['sleep', 'infinity'], undefined, opts)), ['sleep', 'infinity']);
    assert.deepEqual(argvOf(imageProgram('alpine', undefined, undefined, opts)), ['/bin/sh']);
    assert.deepEqual(argvOf(imageProgram('ubuntu:24.04', undefined, undefined, opts)), ['bash']);
  });
  it('maps the demo images to built-ins, honouring args and ports', () => {
    assert.deepEqual(argvOf(imageProgram('hashicorp/http-echo:1.0', undefined, ['-text=hi', '-listen=:8080'], opts)), builtin('http-echo', '-text=hi', '-listen=:8080'));
    assert.deepEqual(argvOf(imageProgram('traefik/whoami:v1.10', undefined, ['--port', '8000'], opts)), builtin('whoami', '--port', '8000'));
    assert.deepEqual(argvOf(imageProgram('nginx:1.27', undefined, undefined, opts)), builtin('nginx'));
    assert.deepEqual(argvOf(imageProgram('nginx', ['nginx', '-g', 'daemon off;'], undefined, opts)), builtin('nginx'));
    assert.deepEqual(argvOf(imageProgram('nginx', ['sh', '-c', 'echo x'], undefined, opts)), ['sh', '-c', 'echo x']);
    const hello = imageProgram('us-docker.pkg.dev/google-samples/containers/gke/hello-app:2.0', undefined, undefined, opts);
    assert.deepEqual(argvOf(hello), builtin('hello-app'));
    assert.deepEqual('env' in hello && hello.env, { KNET_HELLO_APP_VERSION: '2.0.0' });
  });
  it('runs unknown images only with a command', () => {
    assert.deepEqual(argvOf(imageProgram('example.com/tool:1', ['/usr/bin/env'], ['A=1'], opts)), ['/usr/bin/env', 'A=1']);
    const p = imageProgram('example.com/tool:1', undefined, ['x'], opts);
    assert.ok('error' in p);
    assert.equal(p.error.reason, 'ErrImagePull');
    assert.match(p.error.message, /example\.com\/tool:1/);
  });
  it('reports invalid image names', () => {
    const p = imageProgram('Bad/Name', ['sh'], undefined, opts);
    assert.ok('error' in p);
    assert.equal(p.error.reason, 'InvalidImageName');
  });
});

describe('running mapped programs', () => {
  it('gives busybox semantics inside sh -c through the applet directory', async () => {
    const { execFileSync } = await import('node:child_process');
    const fs = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const { installBusyboxApplets } = await import('./image-program.ts');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'knet-busybox-'));
    try {
      installBusyboxApplets(dir);
      const p = imageProgram('busybox', ['sh', '-c', 'command -v nslookup'], undefined, { busyboxAppletDir: dir });
      assert.ok('argv' in p);
      const out = execFileSync(p.argv[0], p.argv.slice(1), { env: p.env, encoding: 'utf8' });
      assert.equal(out.trim(), path.join(dir, 'nslookup'));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
  it('bin/agnhost runs knet agnhost', async () => {
    const { execFileSync } = await import('node:child_process');
    const path = await import('node:path');
    const shim = path.join(import.meta.dirname, 'bin', 'agnhost');
    const out = execFileSync(shim, ['etc-hosts'], { encoding: 'utf8', env: { ...process.env, KNET_NODE: process.execPath } });
    const fs = await import('node:fs');
    assert.equal(out, fs.readFileSync('/etc/hosts', 'utf8') + '\n');
  });
});
