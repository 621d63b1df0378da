// Maps a container's image reference and command/args to the program knet executes.
//
// 1. The image's ENTRYPOINT/CMD (as the real image declares them) combine with the pod's
//    command/args by Kubernetes' rule: command replaces ENTRYPOINT and drops CMD; args
//    alone replace CMD.
// 2. If the resulting argv starts with the image's own binary (/agnhost, /http-echo,
//    nginx...), knet runs its built-in equivalent with the remaining arguments.
// 3. Otherwise the argv runs on the machine's userland. For busybox images a first word that
//    is a busybox applet runs as `busybox <applet> ...`, and PATH leads with a directory of
//    applet links so commands inside `sh -c` get busybox behaviour too.
// 4. Images knet does not know run the pod's command as is; without one they cannot start.
import { execFileSync, execSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export type ImageProgram =
  | { argv: string[]; env?: Record<string, string> }
  | { error: { reason: string; message: string } };

export interface ImageProgramOptions {
  /** Node.js binary for built-in programs; default: the running one. */
  nodePath?: string;
  busyboxPath?: string;
  /** Directory of applet symlinks (see installBusyboxApplets). */
  busyboxAppletDir?: string;
  /** Applet names; default: `busybox --list`. */
  busyboxApplets?: ReadonlySet<string>;
}

export interface ImageReference {
  registry: string;
  repository: string;
  tag: string;
  digest: string;
}

export const containerPath = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
export const builtinMain = path.join(import.meta.dirname, 'main.ts');
export const agnhostBinDir = path.join(import.meta.dirname, 'bin');
const repoRoot = path.resolve(import.meta.dirname, '..', '..');
export const defaultBusyboxAppletDir = path.join(repoRoot, '.knet', 'busybox-applets');

const component = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const referencePattern = new RegExp(
  `^(?:([a-zA-Z0-9.-]+(?::\\d+)?)/)?(${component}(?:/${component})*)(?::([\\w][\\w.-]{0,127}))?(?:@(sha256:[a-f0-9]{64}))?$`);

/** Parses and normalizes an image reference as the container runtime does (docker.io/library/...). */
export function parseImageReference(image: string): ImageReference | undefined {
  const match = referencePattern.exec(image);
  if (!match) return undefined;
  const [, host, path0] = match;
  let registry: string | undefined = host === 'index.docker.io' ? 'docker.io' : host;
  let repository = path0;
  // The first component names a registry only if it looks like a host.
  if (host !== undefined && !host.includes('.') && !host.includes(':') && host !== 'localhost') {
    if (!new RegExp(`^${component}$`).test(host)) return undefined;
    repository = `${host}/${path0}`;
    registry = undefined;
  }
  registry = registry ?? 'docker.io';
  if (registry === 'docker.io' && !repository.includes('/')) repository = `library/${repository}`;
  return { registry, repository, tag: match[3] ?? (match[4] ? '' : 'latest'), digest: match[4] ?? '' };
}

type Builtin = 'agnhost' | 'pause' | 'http-echo' | 'whoami' | 'hello-app' | 'nginx' | 'coredns';

interface KnownImage {
  /** Matches the normalized repository. */
  matches: (repository: string) => boolean;
  entrypoint: string[];
  cmd: string[];
  builtin?: Builtin;
  /** Names under which the image's own binary may be invoked. */
  binaries?: string[];
  userland?: 'busybox' | 'machine';
}

const last = (repository: string) => repository.slice(repository.lastIndexOf('/') + 1);

/** Ordered: the first match wins. ENTRYPOINT/CMD are those of the real images. */
const knownImages: KnownImage[] = [
  { matches: (r) => last(r) === 'agnhost', entrypoint: ['/agnhost'], cmd: ['pause'], builtin: 'agnhost', binaries: ['/agnhost', 'agnhost'] },
  { matches: (r) => /^pause(-amd64|-arm64)?$/.test(last(r)), entrypoint: ['/pause'], cmd: [], builtin: 'pause', binaries: ['/pause', 'pause'] },
  { matches: (r) => last(r) === 'busybox', entrypoint: [], cmd: ['sh'], userland: 'busybox' },
  { matches: (r) => last(r) === 'alpine', entrypoint: [], cmd: ['/bin/sh'], userland: 'machine' },
  { matches: (r) => last(r) === 'debian' || last(r) === 'ubuntu', entrypoint: [], cmd: ['bash'], userland: 'machine' },
  { matches: (r) => r === 'hashicorp/http-echo', entrypoint: ['/http-echo'], cmd: [], builtin: 'http-echo', binaries: ['/http-echo', 'http-echo'] },
  { matches: (r) => r === 'traefik/whoami' || r === 'containous/whoami', entrypoint: ['/whoami'], cmd: [], builtin: 'whoami', binaries: ['/whoami', 'whoami'] },
  { matches: (r) => last(r) === 'hello-app', entrypoint: [], cmd: ['./hello-app'], builtin: 'hello-app', binaries: ['./hello-app', '/app/hello-app', '/hello-app', 'hello-app'] },
  // CoreDNS: knet's cluster DNS server (src/dns), started as the real image is: `/coredns -conf <file>`.
  { matches: (r) => last(r) === 'coredns', entrypoint: ['/coredns'], cmd: [], builtin: 'coredns', binaries: ['/coredns', 'coredns'] },
  { matches: (r) => r === 'library/nginx', entrypoint: ['/docker-entrypoint.sh'], cmd: ['nginx', '-g', 'daemon off;'], builtin: 'nginx', binaries: ['nginx', '/usr/sbin/nginx'] },
];

let cachedApplets: ReadonlySet<string> | undefined;

function busyboxApplets(busyboxPath: string): ReadonlySet<string> {
  if (!cachedApplets) {
    try {
      cachedApplets = new Set(execFileSync(busyboxPath, ['--list'], { encoding: 'utf8' }).split('\n').filter(Boolean));
    } catch {
      cachedApplets = new Set(['sh', 'ash', 'echo', 'sleep', 'cat', 'ls', 'wget', 'nc', 'nslookup', 'ping', 'true', 'false', 'env', 'hostname']);
    }
  }
  return cachedApplets;
}

/** Creates (once) a directory of symlinks, one per applet, all pointing at busybox. */
export function installBusyboxApplets(dir = defaultBusyboxAppletDir, busyboxPath = '/usr/bin/busybox'): void {
  const complete = path.join(dir, '.complete');
  if (fs.existsSync(complete)) return;
  // Built aside and renamed into place, so that another process starting pods at the same
  // time never sees a half-filled directory (busybox --install creates links one by one).
  const tmp = `${dir}.tmp-${process.pid}-${Date.now()}`;
  fs.mkdirSync(tmp, { recursive: true });
  execSync(`${JSON.stringify(busyboxPath)} --install -s ${JSON.stringify(tmp)}`);
  fs.writeFileSync(path.join(tmp, '.complete'), '');
  if (fs.existsSync(dir) && !fs.existsSync(complete)) fs.rmSync(dir, { recursive: true, force: true }); // an older, unmarked install
  try {
    fs.renameSync(tmp, dir);
  } catch {
    fs.rmSync(tmp, { recursive: true, force: true }); // another process got there first
  }
}

function builtinArgv(nodePath: string, program: Builtin, args: string[]): string[] {
  return [nodePath, '--disable-warning=ExperimentalWarning', builtinMain, program, ...args];
}

/** Kubernetes' rule for combining the image's ENTRYPOINT/CMD with a container's command/args. */
export function effectiveArgv(image: { entrypoint: string[]; cmd: string[] }, command?: string[], args?: string[]): string[] {
  if (command && command.length > 0) return [...command, ...(args ?? [])];
  return [...image.entrypoint, ...(args && args.length > 0 ? args : image.cmd)];
}

function builtinFor(known: KnownImage, ref: ImageReference, argv: string[], nodePath: string): ImageProgram | undefined {
  if (!known.builtin) return undefined;
  let rest: string[] | undefined;
  if (known.binaries?.includes(argv[0])) rest = argv.slice(1);
  else if (known.builtin === 'nginx' && argv[0] === '/docker-entrypoint.sh' && (argv.length === 1 || known.binaries?.includes(argv[1]))) rest = argv.slice(2);
  if (rest === undefined) return undefined;
  if (known.builtin === 'nginx') rest = []; // `-g 'daemon off;'` and friends: knet's nginx is always foreground.
  const env: Record<string, string> = {};
  if (known.builtin === 'hello-app') {
    const version = /^\d+\.\d+$/.test(ref.tag) ? `${ref.tag}.0` : /^\d+\.\d+\.\d+$/.test(ref.tag) ? ref.tag : '';
    if (version) env.KNET_HELLO_APP_VERSION = version;
  }
  return Object.keys(env).length > 0 ? { argv: builtinArgv(nodePath, known.builtin, rest), env } : { argv: builtinArgv(nodePath, known.builtin, rest) };
}

function busyboxArgv(argv: string[], applets: ReadonlySet<string>, busyboxPath: string): string[] {
  const first = argv[0];
  const name = path.basename(first);
  const inSystemDir = !first.includes('/') || ['/bin', '/sbin', '/usr/bin', '/usr/sbin'].includes(path.dirname(first));
  return inSystemDir && applets.has(name) ? [busyboxPath, name, ...argv.slice(1)] : argv;
}

/** What to exec for a container of `image` with the pod's `command` and `args`. */
export function imageProgram(image: string, command?: string[], args?: string[], options: ImageProgramOptions = {}): ImageProgram {
  const ref = parseImageReference(image);
  if (!ref) {
    return { error: { reason: 'InvalidImageName', message: `Failed to apply default image tag ${JSON.stringify(image)}: couldn't parse image name ${JSON.stringify(image)}: invalid reference format` } };
  }
  const nodePath = options.nodePath ?? process.execPath;
  const busyboxPath = options.busyboxPath ?? '/usr/bin/busybox';
  const known = knownImages.find((k) => k.matches(ref.repository));
  if (!known) {
    if (command && command.length > 0) return { argv: [...command, ...(args ?? [])], env: { PATH: containerPath } };
    return { error: { reason: 'ErrImagePull', message: `knet runs no container images and has no built-in program for ${JSON.stringify(image)}; give the container a command to run on the node's userland` } };
  }
  const argv = effectiveArgv(known, command, args);
  if (argv.length === 0) {
    return { error: { reason: 'CreateContainerError', message: 'failed to generate container spec: no command specified' } };
  }
  const builtin = builtinFor(known, ref, argv, nodePath);
  if (builtin) return builtin;
  if (known.userland === 'busybox') {
    const appletDir = options.busyboxAppletDir ?? defaultBusyboxAppletDir;
    return {
      argv: busyboxArgv(argv, options.busyboxApplets ?? busyboxApplets(busyboxPath), busyboxPath),
      env: { PATH: `${appletDir}:${containerPath}` },
    };
  }
  // agnhost images keep `agnhost` resolvable from shells started in them.
  const pathVar = known.builtin === 'agnhost' ? `${agnhostBinDir}:${containerPath}` : containerPath;
  return { argv, env: { PATH: pathVar } };
}
