// A pod sandbox: the namespaces every container of a pod shares, as a container runtime's
// pause container holds them. The network namespace is a named one (`ip netns`), wired by
// CNI before anything runs in it; a small init process then holds new UTS, IPC, mount and PID
// namespaces joined to it, with the pod's hostname, its /etc/hosts and /etc/resolv.conf bound
// over the machine's, a private /run (so the machine's /run, /run/netns included, is out of
// sight), a private /tmp, and the service-account directory at /var/run/secrets/kubernetes.io/serviceaccount.
// Containers enter these namespaces (containers.ts). Killing the init process ends every
// process of the pod, since it is PID 1 of the pod's PID namespace.

import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { KnetError } from '../lib/errors.ts';

export interface SandboxFiles {
  hostname: string;
  hosts: string;
  resolvConf: string;
  /** Files of the service-account volume (token, ca.crt, namespace). */
  serviceAccount?: Record<string, string>;
}

export interface Sandbox {
  /** PID (in the machine's PID namespace) of the pod's PID 1. */
  initPid: number;
  dir: string;
  stop(): void;
  exited: Promise<void>;
}

// The init script runs inside the new namespaces before it becomes the pod's idle PID 1.
// Order matters:
// 1. every mount the pod inherited is made read-only first (a bind remount is per mount, so
//    the machine's own mounts are untouched), so a root container cannot change the
//    machine's files or the programs the agent runs as root; mounts the pod's own /dev,
//    /run and /tmp will cover are skipped, and the machine's cgroups are hidden;
// 2. then the writable places are mounted over it, as a container runtime gives them: a
//    minimal /dev (device nodes, its own devpts, /dev/shm) instead of the machine's, the pod's
//    /etc/hosts, /etc/resolv.conf and /etc/hostname, a private /run (the machine's /run,
//    /run/netns included, is out of sight) and a private /tmp;
// 3. knet's state (every pod's token, the agents' sockets, the PKI) is hidden behind empty
//    read-only tmpfs mounts, and /proc/sys and friends are read-only, as in runc's defaults,
//    so root in a pod cannot set the machine's sysctls.
// Bind sources live in the pod directory, outside /run, so they stay reachable after /run
// is replaced by the pod's own tmpfs.
const INIT_SCRIPT = `set -e
hostname "$KNET_HOSTNAME"
for mp in $(cut -d' ' -f5 /proc/self/mountinfo | sort -u); do
  # What the pod's own mounts cover below is never seen: skip it (each mount is a process).
  case "$mp" in /proc|/proc/*|/dev|/dev/*|/run|/run/*|/tmp|/tmp/*|/sys/fs/cgroup|/sys/fs/cgroup/*) continue ;; esac
  mp=$(printf '%b' "$mp")
  mount -o remount,bind,ro "$mp" 2>/dev/null || [ ! -e "$mp" ] || { echo "cannot make $mp read-only" >&2; exit 1; }
done
# The machine's cgroups (writable by root, and cgroup v1's release_agent runs as root on the
# machine): out of sight behind an empty read-only tmpfs. knet gives pods no cgroups yet.
if [ -d /sys/fs/cgroup ]; then mount -t tmpfs -o ro,nosuid,nodev,noexec,mode=0755,size=4k tmpfs /sys/fs/cgroup; fi
mount -t tmpfs -o mode=0755,nosuid,noexec,size=1m tmpfs /dev
mknod -m 666 /dev/null c 1 3; mknod -m 666 /dev/zero c 1 5; mknod -m 666 /dev/full c 1 7
mknod -m 666 /dev/random c 1 8; mknod -m 666 /dev/urandom c 1 9; mknod -m 666 /dev/tty c 5 0
mkdir /dev/pts /dev/shm
mount -t devpts -o newinstance,ptmxmode=0666,mode=0620,nosuid,noexec devpts /dev/pts
ln -s pts/ptmx /dev/ptmx
mount -t tmpfs -o mode=1777,nosuid,nodev,noexec,size=64m tmpfs /dev/shm
ln -s /proc/self/fd /dev/fd
ln -s /proc/self/fd/0 /dev/stdin
ln -s /proc/self/fd/1 /dev/stdout
ln -s /proc/self/fd/2 /dev/stderr
# Read-only from here on: the tmpfs cannot be nodev (its device nodes must work), so a
# container with CAP_MKNOD could otherwise make a node for the machine's disks in it.
mount -o remount,bind,ro /dev
for f in hosts resolv.conf hostname; do
  mount --bind "$KNET_DIR/$f" "/etc/$f"
  mount -o remount,bind,rw "/etc/$f"
done
mount -t tmpfs -o mode=0755,nosuid,nodev tmpfs /run
if [ -d "$KNET_DIR/serviceaccount" ]; then
  mkdir -p /run/secrets/kubernetes.io/serviceaccount
  mount --bind -o ro "$KNET_DIR/serviceaccount" /run/secrets/kubernetes.io/serviceaccount
fi
# The pod directory itself may live under /tmp. Paths pods need (knet's checkout with its
# built-in programs and Node.js) that live under /tmp are kept visible across the new /tmp.
i=0
for p in $KNET_KEEP; do
  case "$p" in /tmp/*) mkdir -p /run/knet-keep/$i; mount --bind "$p" /run/knet-keep/$i; mount -o remount,bind,ro /run/knet-keep/$i ;; esac
  i=$((i+1))
done
mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs /tmp
i=0
for p in $KNET_KEEP; do
  case "$p" in /tmp/*) mkdir -p "$p"; mount --bind /run/knet-keep/$i "$p"; mount -o remount,bind,ro "$p"; umount /run/knet-keep/$i ;; esac
  i=$((i+1))
done
for p in $KNET_HIDE; do
  if [ -d "$p" ]; then mount -t tmpfs -o ro,mode=0755,size=4k tmpfs "$p"; fi
done
for p in sys sysrq-trigger irq bus fs; do
  if [ -e "/proc/$p" ]; then mount --bind "/proc/$p" "/proc/$p"; mount -o remount,bind,ro "/proc/$p"; fi
done
# Only now, with every mount in place, may containers start: said on stdout, not in a file
# (the pod directory can be hidden under the new /tmp).
echo ready
trap 'exit 0' TERM INT
while :; do sleep 3600 & wait $!; done
`;

/**
 * What pods run comes from this checkout (src/images, .knet/) and this Node.js: if they live
 * under /tmp they must stay visible over the pod's private /tmp. (Paths with spaces are not
 * supported here.)
 */
const KEEP_PATHS = [resolve(import.meta.dirname, '../..'), dirname(dirname(process.execPath))];

/** Writes the pod's files and starts the init process inside the named network namespace. */
export async function startSandbox(netns: string, dir: string, files: SandboxFiles, hidden: string[] = []): Promise<Sandbox> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(join(dir, 'hosts'), files.hosts);
  writeFileSync(join(dir, 'resolv.conf'), files.resolvConf);
  writeFileSync(join(dir, 'hostname'), files.hostname + '\n');
  if (files.serviceAccount) writeServiceAccount(dir, files.serviceAccount);
  const child: ChildProcess = spawn('nsenter', [
    `--net=/run/netns/${netns}`, '--',
    // --kill-child: if unshare is killed (a start that timed out), the pod's PID 1 goes too.
    'unshare', '--uts', '--ipc', '--mount', '--propagation', 'private', '--pid', '--fork', '--kill-child', '--mount-proc', '--',
    'sh', '-c', INIT_SCRIPT,
  ], { env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', KNET_HOSTNAME: files.hostname, KNET_DIR: dir, KNET_KEEP: KEEP_PATHS.join(' '), KNET_HIDE: hidden.join(' ') }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let said = '';
  child.stdout!.on('data', (d) => (said += d));
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Wait for the script to say it is ready, or fail.
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (said.startsWith('ready')) break;
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new KnetError('sandbox-failed', `the pod sandbox did not start: ${stderr.trim() || `exit ${child.exitCode}`}`);
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new KnetError('sandbox-failed', 'the pod sandbox did not start within 10 s');
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  const initPid = await childOf(child.pid!);
  return {
    initPid,
    dir,
    exited,
    stop() {
      // PID 1 of the pod's namespace: SIGKILL ends every process in it.
      try {
        process.kill(initPid, 'SIGKILL');
      } catch { /* already gone */ }
      try {
        child.kill('SIGKILL');
      } catch { /* already gone */ }
    },
  };
}

/** Rewrites the service-account files (token rotation) atomically enough for readers. */
export function writeServiceAccount(dir: string, files: Record<string, string>): void {
  const sa = join(dir, 'serviceaccount');
  mkdirSync(sa, { recursive: true, mode: 0o755 });
  for (const [name, content] of Object.entries(files)) {
    writeFileSync(join(sa, `.${name}.tmp`), content, { mode: 0o644 });
    renameSync(join(sa, `.${name}.tmp`), join(sa, name));
  }
}

/**
 * The first child of `pid` (unshare --fork and nsenter --pid fork once; the process that
 * matters is that child). Retries briefly: the child appears just after the spawn returns.
 */
export async function childOf(pid: number): Promise<number> {
  for (let i = 0; i < 500; i++) {
    try {
      const kids = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
      if (kids) return Number(kids.split(/\s+/)[0]);
    } catch {
      throw new KnetError('sandbox-failed', `process ${pid} ended before its child could be found`);
    }
    await new Promise((r) => setTimeout(r, 2));
  }
  throw new KnetError('sandbox-failed', `process ${pid} has no child`);
}
