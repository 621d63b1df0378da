// Running the machine's networking tools. Every call goes through execFile with an argv
// (never a shell string), so names and addresses cannot be reinterpreted by a shell.

import { execFile } from 'node:child_process';
import { KnetError } from '../lib/errors.ts';

export interface CommandResult {
  /** Exit status; 128 + signal number when the process was killed, as shells report it. */
  code: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export interface RunOptions {
  /** Written to the process's stdin, which is then closed. */
  input?: string;
  timeoutMs?: number;
}

const signalNumbers: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };

/** Runs a program and reports how it ended; only a failure to start it throws. */
export function runCommand(file: string, args: string[], opts: RunOptions = {}): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(file, args, {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      timeout: opts.timeoutMs ?? 0,
      killSignal: 'SIGKILL',
    }, (err, stdout, stderr) => {
      if (err && typeof (err as NodeJS.ErrnoException).code === 'string') {
        // ENOENT, EACCES...: the program never ran.
        reject(new KnetError('host-command-failed', `${describe(file, args)}: ${err.message}`, { cause: err }));
        return;
      }
      const e = err as (Error & { code?: number | null; signal?: NodeJS.Signals | null; killed?: boolean }) | null;
      let code = 0;
      if (e) code = typeof e.code === 'number' ? e.code : 128 + (signalNumbers[e.signal ?? ''] ?? 0);
      resolve({ code, stdout, stderr, timedOut: Boolean(e?.killed && opts.timeoutMs) });
    });
    // A child that exits before reading its stdin makes the write fail with EPIPE; the exit
    // status tells the real story, so that error is ignored.
    child.stdin?.on('error', () => {});
    child.stdin?.end(opts.input ?? '');
  });
}

/** Runs a program and returns its stdout, or throws a KnetError with its stderr. */
export async function runChecked(file: string, args: string[], opts: RunOptions = {}): Promise<string> {
  const r = await runCommand(file, args, opts);
  if (r.code !== 0) {
    const why = r.timedOut ? `timed out after ${opts.timeoutMs}ms` : `exit status ${r.code}`;
    throw new KnetError('host-command-failed', `${describe(file, args)} failed (${why}): ${r.stderr.trim() || r.stdout.trim()}`);
  }
  return r.stdout;
}

export function describe(file: string, args: string[]): string {
  return [file, ...args].map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : JSON.stringify(a))).join(' ');
}
