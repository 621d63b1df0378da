// Container processes: each container of a pod is a process of this machine that enters the
// pod's sandbox namespaces (nsenter --target <pod PID 1>), with a seccomp filter
// (seccomp/knet-seccomp.c: no keyrings, user namespaces, mounts, bpf...), the capability set
// container runtimes give by default (no NET_ADMIN, NET_RAW, SYS_ADMIN, SYS_PTRACE ...) and
// no_new_privs (setpriv), so a pod can neither change the network nor leave its namespaces.
// Output goes to the container's log file in the CRI format the kubelet reads
// (`<RFC3339Nano time> <stream> F <line>`), which `kubectl logs` will serve.

import { spawn } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { WriteStream } from 'node:fs';
import { childOf } from './sandbox.ts';
import { rfc3339 } from '../lib/time.ts';

/** containerd's default capability set, without NET_RAW (upstream's restricted direction). */
export const DEFAULT_CAPABILITIES = [
  'chown', 'dac_override', 'fowner', 'fsetid', 'kill', 'setgid', 'setuid', 'setpcap',
  'net_bind_service', 'sys_chroot', 'mknod', 'audit_write', 'setfcap',
];

export interface ContainerSpec {
  argv: string[];
  env: Record<string, string>;
  workingDir?: string;
  logPath: string;
  /** securityContext: capabilities added/dropped, privileged, runAsUser/Group. */
  securityContext?: any;
}

export interface ContainerExit {
  exitCode: number;
  signal?: number;
}

export interface RunningContainer {
  pid: number;
  startedAt: string;
  exited: Promise<ContainerExit>;
  signal(sig: NodeJS.Signals): void;
}

/** The capability names a container gets (lower case, without CAP_). */
export function capabilitiesFor(sc: any): string[] {
  if (sc?.privileged) return ['all'];
  const norm = (c: string) => c.toLowerCase().replace(/^cap_/, '');
  const drop = new Set<string>((sc?.capabilities?.drop ?? []).map(norm));
  const add: string[] = (sc?.capabilities?.add ?? []).map(norm);
  if (drop.has('all')) return [...new Set(add)];
  return [...new Set([...DEFAULT_CAPABILITIES.filter((c) => !drop.has(c)), ...add])];
}

/** knet's seccomp loader (seccomp/knet-seccomp.c), built by the bootstrap into .knet/bin. */
export const SECCOMP_LOADER = resolve(import.meta.dirname, '../../.knet/bin/knet-seccomp');
let warnedNoSeccomp = false;

/**
 * What runs between nsenter and the container's program: the seccomp loader (not for
 * privileged containers, as runtimes leave those unconfined), then setpriv. The loader goes
 * first: it needs CAP_SYS_ADMIN to install its filter, which setpriv then drops.
 */
export function confinementArgs(sc: any): string[] {
  const setpriv = setprivArgs(sc);
  if (sc?.privileged) return setpriv;
  if (!existsSync(SECCOMP_LOADER)) {
    if (!warnedNoSeccomp) process.stderr.write(`knet: warning: ${SECCOMP_LOADER} is missing (./knet builds it); containers run without seccomp\n`);
    warnedNoSeccomp = true;
    return setpriv;
  }
  return [SECCOMP_LOADER, '--', ...setpriv];
}

/** Runs a command in a container's namespaces to its end (exec probes): exit code and output. */
export function runInContainer(initPid: number, argv: string[], env: Record<string, string>, timeoutMs: number, securityContext?: any): Promise<{ exitCode: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('/usr/bin/nsenter', [...nsenterArgs(initPid), '--', ...confinementArgs(securityContext), '--', ...argv], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const add = (d: Buffer) => {
      if (output.length < 10_240) output += d.toString();
    };
    child.stdout!.on('data', add);
    child.stderr!.on('data', add);
    const t = setTimeout(() => {
      // nsenter forks into the PID namespace: stop the command itself, then nsenter.
      void childOf(child.pid!).then((pid) => process.kill(pid, 'SIGKILL')).catch(() => {}).finally(() => child.kill('SIGKILL'));
      output += `command timed out after ${timeoutMs / 1000}s`;
    }, timeoutMs);
    child.once('error', (err) => resolve({ exitCode: 126, output: String(err.message) }));
    child.once('close', (code, sig) => {
      clearTimeout(t);
      resolve({ exitCode: sig ? 137 : code ?? 0, output });
    });
  });
}

export function nsenterArgs(initPid: number): string[] {
  return ['--target', String(initPid), '--net', '--uts', '--ipc', '--mount', '--pid'];
}

export function setprivArgs(sc: any): string[] {
  const caps = capabilitiesFor(sc);
  const bounding = caps.includes('all') ? '+all' : ['-all', ...caps.map((c) => `+${c}`)].join(',');
  // Absolute paths: the container's PATH (busybox applets first) must not choose these tools.
  const args = ['/usr/bin/setpriv', `--bounding-set=${bounding}`, '--inh-caps=-all'];
  if (!sc?.privileged && sc?.allowPrivilegeEscalation !== true) args.push('--no-new-privs');
  if (sc?.runAsUser !== undefined) args.push(`--reuid=${sc.runAsUser}`);
  if (sc?.runAsGroup !== undefined) args.push(`--regid=${sc.runAsGroup}`, '--clear-groups');
  else if (sc?.runAsUser !== undefined) args.push('--init-groups');
  return args;
}

export async function startContainer(initPid: number, spec: ContainerSpec): Promise<RunningContainer> {
  const confined = confinementArgs(spec.securityContext);
  const args = nsenterArgs(initPid);
  if (spec.workingDir) args.push(`--wd=${spec.workingDir}`);
  const child = spawn('/usr/bin/nsenter', [...args, '--', ...confined, '--', ...spec.argv], {
    env: spec.env, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = createWriteStream(spec.logPath, { flags: 'a' });
  pipeLines(child.stdout!, 'stdout', log);
  pipeLines(child.stderr!, 'stderr', log);
  const exited = new Promise<ContainerExit>((resolve) => {
    child.once('error', () => resolve({ exitCode: 128 }));
    // 'close' comes after the output pipes drained; the exit counts once the log is written.
    child.once('close', (code, sig) => {
      const exit = sig ? { exitCode: 128 + signalNumber(sig), signal: signalNumber(sig) } : { exitCode: code ?? 0 };
      log.end(() => resolve(exit));
    });
  });
  // nsenter forks to enter the PID namespace and does not forward signals: act on its child.
  let pid = child.pid ?? -1;
  try {
    pid = await childOf(child.pid!);
  } catch { /* it already ended; exited settles */ }
  return {
    pid,
    startedAt: rfc3339(new Date()),
    exited,
    signal(sig) {
      try {
        process.kill(pid, sig);
      } catch { /* gone */ }
    },
  };
}

function pipeLines(stream: NodeJS.ReadableStream, name: 'stdout' | 'stderr', log: WriteStream): void {
  let partial = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop()!;
    for (const line of parts) log.write(`${rfc3339Nano()} ${name} F ${line}\n`);
  });
  stream.on('end', () => {
    if (partial) log.write(`${rfc3339Nano()} ${name} P ${partial}\n`);
    partial = '';
  });
}


function rfc3339Nano(): string {
  const ns = process.hrtime.bigint() % 1_000_000n;
  return new Date().toISOString().replace(/Z$/, `${String(ns).padStart(6, '0')}Z`);
}

const SIGNALS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGABRT: 6, SIGKILL: 9, SIGSEGV: 11, SIGPIPE: 13, SIGALRM: 14, SIGTERM: 15 };
function signalNumber(sig: string): number {
  return SIGNALS[sig] ?? 15;
}
