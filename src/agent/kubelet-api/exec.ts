// `kubectl exec` on the node: the WebSocket channel protocol (v5.channel.k8s.io and
// v4.channel.k8s.io, KEP-4006) over a process that enters the container's namespaces with the
// container's privileges and environment.
//   every binary message starts with its channel: 0 stdin, 1 stdout, 2 stderr, 3 error (a
//   Status, sent once, at the end), 4 resize ({"Width","Height"}), 255 close (v5 only: the
//   next byte is the channel the client closed, so stdin EOF reaches the command).
// A tty runs the command under util-linux `script`, which gives it a pseudo-terminal; resizes
// are applied to that terminal with `stty -F` from outside (Node cannot ioctl a pty).

import { spawn, execFile } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFileSync, readlinkSync } from 'node:fs';
import type { WebSocket } from 'ws';
import { confinementArgs, nsenterArgs } from '../containers.ts';
import { childOf } from '../sandbox.ts';
import type { ContainerAccess } from './types.ts';

export const EXEC_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];

const STDIN = 0, STDOUT = 1, STDERR = 2, ERROR = 3, RESIZE = 4, CLOSE = 255;

export interface ExecOptions {
  command: string[];
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

export function parseExecQuery(q: URLSearchParams): ExecOptions {
  const flag = (k: string) => q.get(k) === 'true' || q.get(k) === '1';
  return { command: q.getAll('command'), stdin: flag('stdin'), stdout: flag('stdout'), stderr: flag('stderr'), tty: flag('tty') };
}

/**
 * nsenter, seccomp and setpriv as containers.ts starts the container itself (same
 * namespaces, filter, bounding set, no_new_privs, user), so an exec has exactly the
 * container's privileges.
 */
export function containerExecArgv(initPid: number, sc: any, argv: string[], workingDir?: string): string[] {
  const ns = ['/usr/bin/nsenter', ...nsenterArgs(initPid)];
  if (workingDir) ns.push(`--wd=${workingDir}`);
  return [...ns, '--', ...confinementArgs(sc), '--', ...argv];
}

/** The environment the container's main process started with (execs inherit it, as in a runtime). */
function containerEnv(pid: number | undefined): Record<string, string> {
  const env: Record<string, string> = {};
  try {
    for (const kv of readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0')) {
      const i = kv.indexOf('=');
      if (i > 0) env[kv.slice(0, i)] = kv.slice(i + 1);
    }
  } catch { /* the process is gone: a bare PATH */ }
  env.PATH ??= '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
  return env;
}

function shellQuote(argv: string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/** The upstream kubelet's final Status for an exec (remotecommand v4+ error channel). */
export function exitStatus(command: string[], exitCode: number): object {
  if (exitCode === 0) return { metadata: {}, status: 'Success' };
  return {
    metadata: {}, status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${command.join(' ')}], exit code ${exitCode}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(exitCode) }] },
  };
}

export function serveExec(ws: WebSocket, a: ContainerAccess, o: ExecOptions): void {
  const v5 = ws.protocol === 'v5.channel.k8s.io';
  const argv = o.tty ? ['/usr/bin/script', '-qfec', shellQuote(o.command), '/dev/null'] : o.command;
  const [cmd, ...args] = containerExecArgv(a.initPid!, a.securityContext, a.execArgv ? a.execArgv(argv) : argv, a.workingDir);
  const child: ChildProcess = spawn(cmd, args, { env: containerEnv(a.pid), stdio: ['pipe', 'pipe', 'pipe'] });
  const send = (channel: number, data: Buffer | string) => {
    if (ws.readyState === ws.OPEN) ws.send(Buffer.concat([Buffer.from([channel]), Buffer.from(data)]));
  };
  if (o.stdout || o.tty) child.stdout!.on('data', (d: Buffer) => send(STDOUT, d));
  else child.stdout!.resume();
  if (o.stderr && !o.tty) child.stderr!.on('data', (d: Buffer) => send(STDERR, d));
  else child.stderr!.resume();
  if (!o.stdin) child.stdin!.end();
  child.stdin!.on('error', () => {}); // the command may exit without reading its input

  const inner = childOf(child.pid!).catch(() => undefined);
  const tty = o.tty ? terminalOf(inner) : Promise.resolve(undefined);
  let size: { Width: number; Height: number } | undefined;
  let resizing = Promise.resolve();
  const resize = (s: { Width: number; Height: number }) => {
    size = s;
    resizing = resizing.then(async () => {
      const dev = await tty;
      if (dev && size === s) await new Promise((r) => execFile('/usr/bin/stty', ['-F', dev, 'rows', String(s.Height), 'cols', String(s.Width)], () => r(undefined)));
    });
  };

  ws.on('message', (raw: Buffer, isBinary) => {
    const msg = isBinary ? raw : Buffer.from(raw.toString());
    if (!msg.length) return;
    const data = msg.subarray(1);
    switch (msg[0]) {
      case STDIN:
        if (o.stdin && !child.stdin!.writableEnded) child.stdin!.write(data);
        break;
      case RESIZE:
        try {
          const s = JSON.parse(data.toString());
          if (o.tty && s.Width > 0 && s.Height > 0) resize(s);
        } catch { /* a malformed resize is ignored, as upstream does */ }
        break;
      case CLOSE:
        if (v5 && data[0] === STDIN) child.stdin!.end();
        break;
    }
  });
  let done = false;
  ws.on('close', () => {
    if (done) return;
    // The client went away: the command goes too (a tty would see its terminal hang up).
    child.stdin!.end();
    void inner.then((pid) => {
      if (pid) try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
    });
  });
  child.once('error', (err) => {
    done = true;
    send(ERROR, JSON.stringify({ metadata: {}, status: 'Failure', message: String(err.message), reason: 'InternalError' }));
    ws.close(1000);
  });
  child.once('close', (code, sig) => {
    done = true;
    const exitCode = sig ? 128 + (sig === 'SIGKILL' ? 9 : 15) : code ?? 0;
    send(ERROR, JSON.stringify(exitStatus(o.command, exitCode)));
    ws.close(1000);
  });
}

/** The pseudo-terminal `script` made: the standard input of its child, as /dev/pts/N. */
async function terminalOf(scriptPid: Promise<number | undefined>): Promise<string | undefined> {
  const pid = await scriptPid;
  if (!pid) return undefined;
  try {
    const shell = await childOf(pid);
    const dev = readlinkSync(`/proc/${shell}/fd/0`);
    return dev.startsWith('/dev/pts/') ? dev : undefined;
  } catch {
    return undefined;
  }
}
